"""Salary.com: one job profile's lines, read in order into its Profile.

A profile's parts come in order: the job summary and responsibilities, the salary block
(label / value pairs, the value on the same line or a later one), the role's fields (job
level, job code, education, reports to), the skills list with its skill sections (skills.py
reads their entries), and the closing summary (declared counts, names of locked entries,
totals, the proficiency each skill needs). Each line is read as a heading that begins a part,
a salary figure, a field, or a line of the part being read.
"""

from __future__ import annotations

from typing import Literal

from ..common import ParseResult, clean_name
from .profile import Profile
from .skills import SkillSection
from .text import (
    BOILERPLATE,
    FIELD_WORDS,
    NOT_A_VALUE,
    PERIODS,
    RE_ANY_SECTION,
    RE_ETC,
    RE_INSTANCE,
    RE_JOB_SUMMARY,
    RE_LIST,
    RE_MONEY,
    RE_NAMED,
    RE_PHRASE,
    RE_PROFILE,
    RE_RESPONSIBILITIES,
    RE_SALARY,
    RE_SALARY_RANGE,
    RE_SECTION,
    RE_SUMMARY,
    RE_TOTAL,
    RE_ZERO,
    SMALLEST_YEARLY,
    field_label,
    field_of_value,
    headerish,
    lower_headerish,
    money,
)

# The part of the page being read, which says what its plain lines are.
Part = Literal["summary", "responsibilities", "skills", "closing"]
_SKILL_PARTS = ("skills", "closing")  # the skill sections and the closing summary: their lines are never the role's fields


def read_profile(result: ParseResult, title: str, lines: list[str], headings: list[bool], complete: bool, title_line: bool = True) -> Profile:
    """The Profile of a profile's lines; `headings`: per line, the page marks it as a heading;
    `complete`: the page is whole. The first line, the title's, is not read (nor the page's
    first line when the title is the HTML title's), unless `title_line` is False (a page
    without its header, read from its first skill section)."""
    reader = _ProfileReader(result, title, complete)
    skip = 1 if title_line else 0
    for line, heading in zip(lines[skip:], headings[skip:]):
        reader.read_line(line, heading)
    reader.finish()
    return reader.profile


class _ProfileReader:
    """Reads a profile's lines in order into its Profile; holds where the reading is."""

    def __init__(self, result: ParseResult, title: str, complete: bool) -> None:
        self.result = result  # (for its warnings)
        self.title = title
        self.profile = Profile(complete=complete, role={"title": title})
        self.part: Part | None = None
        self.skills: SkillSection | None = None  # the skill section being read
        self.pending_label: str | None = None  # a field whose value is on the next line
        self.pending_salary: tuple[str, int] | None = None  # (base|total, percentile) whose amount is on a later line

    def finish(self) -> None:
        """The end of the profile's lines: a label still waiting for its value has none."""
        if self.pending_label:
            self._invalid_value(self.pending_label, self.pending_label, None)
        if self.pending_salary:
            kind, percentile = self.pending_salary
            self._invalid_value(f"{kind.upper()} {percentile}%", "salary", None)

    def read_line(self, line: str, heading: bool) -> None:
        """Read one line; `heading`: the page marks it as a heading."""
        if self._value_of_line_before(line):
            return
        if line[:1].isdigit() and self.part != "closing" and self._unknown_skill_section(line):
            return
        # (each line lowercased once: the checks below compare its lowercase prefixes)
        low = line.lower()
        if self.part in _SKILL_PARTS and not lower_headerish(low):
            # Most lines of a page are skill entries and behaviors: skip the header checks.
            if not self._skill_part_line(line, low, heading):
                self.profile.unrecognized.append(line)
            return
        if self._section_heading(line, low) or self._salary_figure(line, low) or self._field(line):
            return
        # The closing summary's "While the list totals N distinct skills" is read (the total)
        # before boilerplate is skipped; in the skill sections boilerplate is skipped before it
        # could be read as a behavior.
        if self.part == "closing" and self._closing_line(line):
            return
        if any(p.match(line) for p in BOILERPLATE):
            return
        if self.part == "skills" and self._skill_part_line(line, low, heading):
            return
        if self.part == "summary" or self.part == "responsibilities":
            self._text_field(self.part, line)
            return
        self.profile.unrecognized.append(line)

    def _text_field(self, part: Literal["summary", "responsibilities"], line: str) -> None:
        """A line of the job summary or responsibilities. The summary is one paragraph: a line
        after it that begins another (the one before ended its sentence) is no part of it (the
        responsibilities without their heading, say), reported and not loaded."""
        role = self.profile.role
        before = role.get(part)
        if not before:
            role[part] = line
        elif part == "summary" and str(before).endswith((".", "!", "?")):
            self.result.warn("unrecognized_text", f"a paragraph after the job summary, with no heading before it, was not loaded: {line[:80]!r}")
            self.part = None
        else:
            role[part] = f"{before} {line}"

    def _skill_part_line(self, line: str, low: str, heading: bool) -> bool:
        """A line (and its lowercase) of the skill sections or of the closing summary; False if it is neither."""
        if self.part == "closing":
            return self._closing_line(line)
        return self.skills is not None and self.skills.read_line(line, low, heading)

    # -- the parts' headings -------------------------------------------------------------
    def _section_heading(self, line: str, low: str) -> bool:
        """A heading that begins a part of the profile: JOB SUMMARY, JOB RESPONSIBILITIES, the
        SALARY RANGE, the skills list, a skill section, the closing summary."""
        # Each pattern is tried only on lines carrying its literal words (the lowered line checked
        # first: a failed regex match costs several times a substring check).
        if low.endswith("job profile") and RE_PROFILE.match(line) and not self.profile.seen:
            return True  # the "<title> job profile" line above the sections
        if low.startswith("job summary") and (m := RE_JOB_SUMMARY.match(line)):
            self._begin("summary", m.group(1), "summary")
        elif low.startswith("job responsibilities") and (m := RE_RESPONSIBILITIES.match(line)):
            self._begin("responsibilities", m.group(1), "responsibilities")
        elif low.endswith("salary range") and (m := RE_SALARY_RANGE.match(line)):
            self._begin("salary", m.group(1), None)
        # (checked before the field labels: "Education Coordinator Skills and Competencies
        # List" is a heading naming the role, not an Education value)
        elif low.endswith("competencies list") and (m := RE_LIST.match(line)):
            self._begin("skills_list", m.group(1), None)
        elif line[:1].isdigit() and (m := RE_SECTION.match(line)):
            self._begin_skill_section(m.group(2).lower(), int(m.group(1)))
        elif low.startswith("summary of") and (m := RE_SUMMARY.match(line)):
            self._begin("summary_of_skills", m.group(1), "closing")
        else:
            return False
        return True

    def _begin(self, section: str, role_named: str, part: Part | None) -> None:
        """A section met, its heading naming the role (`role_named`); `part`: what its plain lines are."""
        self.profile.seen.add(section)
        if clean_name(role_named).lower() != self.title.lower():
            self.result.warn("title_mismatch", f"section {section!r} names {role_named!r}, the page title is {self.title!r}")
        self.part = part
        self.skills = None

    def _begin_skill_section(self, category: str, declared: int) -> None:
        """A skill section ("11 general skills or competencies (...) for ..."), its entries read next."""
        self.profile.declared[category] = declared
        self.profile.seen.add(f"section:{category}")
        self.part = "skills"
        self.skills = SkillSection(self.profile, self.result, self.title, category)

    def _unknown_skill_section(self, line: str) -> bool:
        """A heading of a skill section's shape naming the role, of a kind the format does not
        have ("3 certifications or licenses (credential competencies) for ..."): its entries are
        read apart, with no category, never filed under the section before it."""
        m = RE_ANY_SECTION.match(line)
        if m is None or RE_SECTION.match(line) or clean_name(m.group(4)).lower() != self.title.lower():
            return False
        self.profile.seen.add("section:unknown")
        self.part = "skills"
        self.skills = SkillSection(self.profile, self.result, self.title, None)
        self.result.warn("unknown_section", f"unknown section {line[:100]!r}: its entries were loaded apart, with no category")
        return True

    # -- the salary block and the role's fields ------------------------------------------
    def _value_of_line_before(self, line: str) -> bool:
        """The amount of a salary figure or the value of a field label given on a line before, if this line is it."""
        if self.pending_salary:
            (kind, percentile), self.pending_salary = self.pending_salary, None
            if m := RE_MONEY.match(line):
                self._salary(kind, percentile, m.group(1), m.group(2) or m.group(3))
                return True
            self._invalid_value(f"{kind.upper()} {percentile}%", "salary", line)
            return False
        if self.pending_label:
            label, self.pending_label = self.pending_label, None
            if field_label(line) is None and not any(p.match(line) for p in NOT_A_VALUE) and field_of_value(line) == label:
                self.profile.role[label] = line
                return True
            self._invalid_value(label, label, line)  # (the line is then read as what it is)
        return False

    def _invalid_value(self, label: str, field: str, value: str | None, next_line: bool = True) -> None:
        """A label whose value is missing or malformed: left NULL. `value`: what stands where its
        value goes, on the next line (`next_line`) or after the label; None at the page's end."""
        what = FIELD_WORDS[field]
        if value is None:
            found = "the page stops after it"
        elif next_line and (field_label(value) or any(p.match(value) for p in NOT_A_VALUE) or headerish(value) or field_of_value(value) not in (None, field)):
            found = f"the next line, {value[:80]!r}, is not {what}"
        else:
            found = f"{value[:80]!r} is not {what}"
        shown = label.replace("_", " ").title() if label in FIELD_WORDS else label
        self.result.warn("invalid_value", f"{shown} has no value ({found}): left NULL")

    def _salary_figure(self, line: str, low: str) -> bool:
        """A salary line ("BASE 25th percentile $53,040"); without its amount, the amount comes on a later line."""
        if not low.startswith(("base", "total")):
            return False
        m = RE_SALARY.match(line)
        if m is None:
            return False
        kind, percentile = m.group(1).lower(), int(m.group(2))
        if m.group(3):
            self._salary(kind, percentile, m.group(3), m.group(4) or m.group(5))
        else:
            self.pending_salary = (kind, percentile)
        return True

    def _salary(self, kind: str, percentile: int, amount_text: str, period_word: str | None) -> None:
        """A salary figure; loaded when it is per year (said so, or large enough to be), else reported."""
        amount = money(amount_text)
        period = PERIODS[period_word.lower()] if period_word else None
        if period == "year" or (period is None and amount >= SMALLEST_YEARLY):
            self.profile.salaries.append((kind, percentile, amount))
            return
        self.profile.salaries_not_yearly.add(kind)
        given = f"per {period} (${amount_text})" if period else f"as ${amount_text} with no period, too small for a yearly amount"
        self.result.warn("salary_not_yearly", f"the {kind} salary at the {percentile}th percentile is given {given}: not loaded (the catalog's salaries are per year)")

    def _field(self, line: str) -> bool:
        """A field's label and its value ("Job Code: SM15000495"), or the label alone (its value on the next line)."""
        label_and_value = field_label(line)
        if label_and_value is None:
            return False
        label, value = label_and_value
        if self.part in _SKILL_PARTS:
            # Inside the skill sections a line such as "Reports to senior management on ..." or
            # "Education Coordinator - Skill and Competency" is a behavior or an entry, never the
            # role's field; a bare label there is neither.
            if value:
                return False
            self.profile.unrecognized.append(line)
        elif value and field_of_value(value) == label:
            self.profile.role[label] = value
        elif value:
            self._invalid_value(label, label, value, next_line=False)
        else:
            self.pending_label = label
        return True

    # -- the closing summary -------------------------------------------------------------
    def _closing_line(self, line: str) -> bool:
        """A sentence of the closing summary: a category's count (with the names of its first
        skills), the total, the proficiency each skill needs; False if none."""
        if m := RE_ZERO.match(line):
            self.profile.summary_declared[m.group(2).lower()] = int(m.group(1)) if m.group(1).isdigit() else 0
            return True
        if m := RE_NAMED.match(line):
            category = m.group(2).lower()
            self.profile.summary_declared[category] = int(m.group(1))
            self.profile.summary_names[category] = self._summary_names(m.group(3))
            return True
        if m := RE_TOTAL.search(line):
            self.profile.role["declared_skills_total"] = int(m.group(1))
            return True
        if m := RE_INSTANCE.match(line):
            for pm in RE_PHRASE.finditer(m.group(2)):
                self.profile.phrases[clean_name(pm.group(2)).lower()] = pm.group(1).lower()
            return True
        return False

    def _summary_names(self, names: str) -> list[str]:
        """The skill names a summary sentence lists ("<title>, Customer Interaction, ..., etc.")."""
        prefix = self.title + ","
        if names.lower().startswith(prefix.lower()):
            names = names[len(prefix):]
        names = RE_ETC.sub("", names.strip())
        return [clean_name(n) for n in names.split(",") if clean_name(n)]

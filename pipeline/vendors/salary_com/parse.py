"""Salary.com "Skills & Competencies" job-profile pages.

Reads the page's text lines in order: header, summary and responsibilities, the salary
block (label / value pairs, the value on the same line or the next), the skill sections
("11 general skills or competencies (Job family competencies) for ..."), each entry with
its required level, definition and the behavior shown per level, the locked placeholders,
and the closing summary (declared counts, names of locked entries, totals), into a Profile;
salary_com_rows.py turns the Profile into rows and checks what the page lacks;
salary_com_text.py holds the wording it matches (labels, headings, line patterns).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...document import Document
from ...enums import CATEGORIES
from ..common import ParseResult, clean_name, drop_cut_last_line, parse_each
from .rows import Entry, Profile, profile_rows
from .text import (
    BOILERPLATE, ENTRY_LABELS, RE_COLLAPSE, RE_DEFINITION, RE_ENTRY, RE_ENTRY_PLAIN, RE_ETC,
    RE_HIDDEN, RE_HTML_TITLE, RE_INSTANCE, RE_JOB_SUMMARY, RE_LABEL_SPLIT, RE_LEVEL,
    RE_LEVEL_LABEL, RE_LEVEL_NAMED, RE_LEVEL_REQ, RE_LIST, RE_LONE_LEVEL, RE_MONEY,
    RE_NAMED, RE_PHRASE, RE_PROFILE, RE_RESPONSIBILITIES, RE_SALARY, RE_SALARY_RANGE,
    RE_SECTION, RE_SKILL_WORD, RE_SUMMARY, RE_TITLE, RE_TOTAL, RE_ZERO,
    NOT_A_VALUE, PERIODS, PLACEHOLDER_WORDS, SMALLEST_YEARLY, field_label, known_label, lower_headerish,
    money, structural,
)

from .meta import PARSER_VERSION, SCALE, VENDOR

RE_END = re.compile(r"^It'?\u2019?s Easy to Get Started", re.I)


def _title(doc: Document, lines: list[str], result: ParseResult) -> int:
    """Set the role title; return the index where the profile starts."""
    for i, line in enumerate(lines):
        if m := RE_TITLE.match(line):
            result.title, result.title_source = clean_name(m.group(1)), "heading"
            return i
    for i, line in enumerate(lines):
        if (m := RE_PROFILE.match(line)) or (m := RE_JOB_SUMMARY.match(line)):
            result.title, result.title_source = clean_name(m.group(1)), "heading"
            return i
    if doc.html_title and (m := RE_HTML_TITLE.match(doc.html_title)):
        result.title, result.title_source = clean_name(m.group(1)), "html_title"
    return 0


def parse(doc: Document) -> ParseResult:
    # Pages saved or printed together: each profile ends with its closing line, and another
    # begins after it with its own title and sections (a related-jobs link named like a title
    # is not one).
    lines = doc.lines
    ends = _closing_lines(lines)
    cuts = [e + 1 for e in ends if _profile_follows(lines[e + 1:])]
    first_title = next((line for line in lines if _is_title(line)), None)
    if first_title is not None and lines.count(first_title) > 1:  # (a list scan in C: the title line given again)
        cuts = sorted({*cuts, *_profile_again(lines, ends)})
    if not cuts:
        return _parse_profile(doc, ends)
    blocks = doc.content
    return parse_each(VENDOR, PARSER_VERSION, cuts, len(blocks),
                      lambda a, b, first, bounded: _parse_profile(replace(doc, blocks=blocks[a:b], html_title=doc.html_title if first else None)), what="job profiles")


def _closing_lines(lines: list[str]) -> list[int]:
    # (first letters checked before the pattern: this scans every line of the page)
    return [i for i, line in enumerate(lines) if line[:1] in "Ii" and RE_END.match(line)]


def _is_title(line: str) -> bool:
    """A profile's title line ("Skills & Competencies for ..."); its first word is checked before
    the pattern: a page has dozens of lines starting "Skill definition" or "See 4 More"."""
    return line[:1] in "Ss" and line[1:6].lower() == "kills" and RE_TITLE.match(line) is not None


def _profile_again(lines: list[str], ends: list[int]) -> list[int]:
    """Title lines that begin the profile again with no closing line before them (a page that
    carries its content twice, for another screen size or for print): the sections after
    such a title repeat sections read since the profile's own title. A title line repeated
    otherwise (a sticky header above the skill sections) begins nothing."""
    titles = [i for i, line in enumerate(lines) if _is_title(line)]
    cuts: list[int] = []
    start = titles[0] if titles else 0
    for n, at in enumerate(titles[1:], start=1):
        if any(start < e < at for e in ends):  # a closing line before it: a profile of its own (cut after that line)
            start = at
            continue
        stop = titles[n + 1] if n + 1 < len(titles) else len(lines)
        if _sections(lines[start:at]) & _sections(lines[at:stop]):
            cuts.append(at)
            start = at
    return cuts


_SECTION_HEADS = (("summary", RE_JOB_SUMMARY), ("responsibilities", RE_RESPONSIBILITIES), ("salary", RE_SALARY_RANGE),
                  ("summary_of_skills", RE_SUMMARY))


def _section_of(line: str) -> str | None:
    """The profile section a line begins (job summary, salary range, a skill section...), or None."""
    if line[:1].isdigit():
        m = RE_SECTION.match(line)
        return f"section:{m.group(2).lower()}" if m else None
    return next((name for name, pattern in _SECTION_HEADS if pattern.match(line)), None)


def _sections(lines: list[str]) -> set[str]:
    return {name for line in lines if (name := _section_of(line))}


def _profile_follows(lines: list[str]) -> bool:
    """A title line, then before the next closing line a section of its own."""
    title = next((i for i, line in enumerate(lines) if _is_title(line)), None)
    if title is None:
        return False
    for line in lines[title + 1:]:
        if line[:1] in "Ii" and RE_END.match(line):
            return False
        if _section_of(line):
            return True
    return False


def _parse_profile(doc: Document, ends: list[int] | None = None) -> ParseResult:
    """One profile; `ends`: its closing lines, when the caller has found them."""
    result = ParseResult(VENDOR, PARSER_VERSION)
    lines = doc.lines
    start = _title(doc, lines, result)
    end = next((i for i in (_closing_lines(lines) if ends is None else ends) if i > start), None)
    lines = lines[start:end]
    # Whole: the page goes on past the profile (its closing "It's Easy to Get Started") or the
    # closing summary is whole. Its heading alone is not enough: a page cut inside the summary
    # would load a name cut short as a skill. (An HTML file reaching its closing tags is no
    # proof: a browser saving a page that has not finished loading writes them all the same.)
    complete = end is not None
    if not complete:
        summary_at = next((i for i, line in enumerate(lines) if line[:1] in "Ss" and RE_SUMMARY.match(line)), None)
        complete = summary_at is not None and _summary_is_whole(lines[summary_at + 1:])
    if not complete:
        lines = drop_cut_last_line(lines, result, whole=_WHOLE_LINES)
    if not result.title:
        result.warn("missing_section", "no job title found (no 'Skills & Competencies for ...' heading, 'job profile' line or page title)")
        return result
    headings = [b.kind == "heading" for b in doc.content[start:start + len(lines)]]
    return _Parser(result, lines, headings, complete).run()


# Lines whole whatever they end with: a required level ("Proficiency Level - 3") and the link
# giving a level's hidden behaviors (its count is data).
# (RE_LEVEL_REQ with its digit required: "Proficiency Level -" may be the cut of "- 3".)
_WHOLE_LINES = (re.compile(r"^(?:Required\s+)?Proficiency Level\s*[-\u2013\u2014:]?\s*\d$", re.I), RE_HIDDEN, RE_COLLAPSE)


def _summary_is_whole(lines: list[str]) -> bool:
    """The closing summary gives every category's count, the total, and ends with its "For
    instance, ..." sentence, whole."""
    categories = {m.group(2).lower() for line in lines if (m := RE_ZERO.match(line) or RE_NAMED.match(line))}
    return (categories == set(CATEGORIES) and any(RE_TOTAL.search(line) for line in lines)
            and bool(lines) and RE_INSTANCE.match(lines[-1]) is not None and lines[-1].endswith("."))


class _Parser(Profile):
    """Reads a profile's lines in order into its Profile (salary_com_rows turns it into rows)."""

    def __init__(self, result: ParseResult, lines: list[str], headings: list[bool], complete: bool):
        super().__init__(complete=complete, role={"title": result.title})
        self.r = result
        self.lines = lines
        self.headings = headings  # per line: the page marks it as a heading
        self.heading = False  # the line being read is one
        self.category: str | None = None  # the skill section being read
        self.entry: Entry | None = None  # the skill entry being read
        self.level: dict | None = None  # the behavior level being read

    # -- line loop -------------------------------------------------------------------
    def run(self) -> ParseResult:
        mode = None  # which free-text field the next plain lines belong to
        pending_label = None  # a field label whose value is on the next line
        pending_salary = None
        for line, heading in zip(self.lines[1:], self.headings[1:]):
            self.heading = heading
            if pending_salary and (m := RE_MONEY.match(line)):
                self._salary(*pending_salary, m.group(1), m.group(2) or m.group(3))
                pending_salary = None
                continue
            if pending_label:
                label, pending_label = pending_label, None
                if field_label(line) is None and not any(p.match(line) for p in NOT_A_VALUE):
                    self.role[label] = line
                    continue
            # (each line lowercased once: the checks below compare its lowercase prefixes)
            low = line.lower()
            if mode in ("skills", "closing") and not lower_headerish(low):
                # Most lines of a page are skill entries and behaviors: skip the header checks.
                if not self._body_line(mode, line, low):
                    self.unrecognized.append(line)
                continue
            # Each pattern below is tried only on lines carrying its literal words (the lowered
            # line checked first: a failed regex match costs several times a substring check).
            if low.endswith("job profile") and RE_PROFILE.match(line) and not self.seen:
                continue
            if low.startswith("job summary") and (m := RE_JOB_SUMMARY.match(line)):
                self._section("summary", m.group(1))
                mode = "summary"
                continue
            if low.startswith("job responsibilities") and (m := RE_RESPONSIBILITIES.match(line)):
                self._section("responsibilities", m.group(1))
                mode = "responsibilities"
                continue
            if low.endswith("salary range") and (m := RE_SALARY_RANGE.match(line)):
                self._section("salary", m.group(1))
                mode = None
                continue
            if low.startswith(("base", "total")) and (m := RE_SALARY.match(line)):
                kind, pct = m.group(1).lower(), int(m.group(2))
                if m.group(3):
                    self._salary(kind, pct, m.group(3), m.group(4) or m.group(5))
                else:
                    pending_salary = (kind, pct)
                continue
            # (a heading naming the role before the field labels: "Education Coordinator Skills
            # and Competencies List" is a heading, not an Education value)
            if low.endswith("competencies list") and (m := RE_LIST.match(line)):
                self._section("skills_list", m.group(1))
                mode = None
                continue
            if (key := field_label(line)) is not None:
                label, value = key
                if mode in ("skills", "closing"):
                    # Inside the skill sections a line such as "Reports to senior management on
                    # ..." or "Education Coordinator - Skill and Competency" is a behavior or an
                    # entry, never the role's field; a bare label there is neither.
                    if not value:
                        self.unrecognized.append(line)
                        continue
                elif value:
                    self.role[label] = value
                    continue
                else:
                    pending_label = label
                    continue
            if line[:1].isdigit() and (m := RE_SECTION.match(line)):
                cat = m.group(2).lower()
                self.declared[cat] = int(m.group(1))
                self.seen.add(f"section:{cat}")
                self.category = cat
                mode, self.entry, self.level = "skills", None, None
                continue
            if low.startswith("summary of") and (m := RE_SUMMARY.match(line)):
                self._section("summary_of_skills", m.group(1))
                mode, self.entry, self.level = "closing", None, None
                continue
            if mode == "closing" and self._body_line(mode, line, low):
                continue
            if any(p.match(line) for p in BOILERPLATE):
                continue
            if mode == "skills" and self._body_line(mode, line, low):
                continue
            if mode in ("summary", "responsibilities"):
                self.role[mode] = f"{self.role[mode]} {line}" if self.role.get(mode) else line
                continue
            self.unrecognized.append(line)
        return profile_rows(self.r, self, VENDOR, SCALE)

    def _salary(self, kind: str, percentile: int, amount_text: str, period_word: str | None) -> None:
        """A salary figure; loaded when it is per year (said so, or large enough to be), else reported."""
        amount = money(amount_text)
        period = PERIODS[period_word.lower()] if period_word else None
        if period == "year" or (period is None and amount >= SMALLEST_YEARLY):
            self.salaries.append((kind, percentile, amount))
            return
        self.salaries_not_yearly.add(kind)
        given = f"per {period} (${amount_text})" if period else f"as ${amount_text} with no period, too small for a yearly amount"
        self.r.warn("salary_not_yearly", f"the {kind} salary at the {percentile}th percentile is given {given}: not loaded (the catalog's salaries are per year)")

    def _body_line(self, mode: str, line: str, low: str) -> bool:
        """A line (and its lowercase) of the skill sections or of the closing summary; False if it is neither."""
        if mode == "closing":
            return self._closing_line(line)
        # Entries start with their rank; a line without one is tried only when it has the dash
        # an entry label or placeholder needs (not "Proficiency Level - 3"), or a known label.
        if self.category is not None and (
                line[:1].isdigit() or "\u2013" in line or "\u2014" in line or (" - " in line and not low.startswith("proficiency level"))
                or known_label(line, low)) and (new_entry := self._entry_start(line)):
            self.entry, self.level = new_entry, None
            return True
        if self.entry is not None:
            level = self._entry_line(self.entry, self.level, line, low)
            if level is not False:
                self.level = level
                return True
            self.level = None
        return False

    def _section(self, name: str, title_in_heading: str) -> None:
        self.seen.add(name)
        if clean_name(title_in_heading).lower() != self.r.title.lower():
            self.r.warn("title_mismatch", f"section {name!r} names {title_in_heading!r}, the page title is {self.r.title!r}")

    def _entry_start(self, line: str) -> Entry | None:
        """The entry a line starts (one _body_line found may be one), or None."""
        m = (RE_ENTRY if "Proficiency Level" in line else RE_ENTRY_PLAIN).match(line)
        rank, separator, text, shown_level = m.groups()
        if not (rank and separator):
            # No rank, or one glued on ("1Job Family ...", "3911 Dispatcher - Skill and
            # Competency"): only a known label or placeholder is an entry, read with no rank or
            # with the one or two digits that leave one (a title may start with digits).
            whole = line[:m.end(3)]
            digits = next((n for n in (0, 1, 2) if n <= len(rank or "") and self._unranked_entry(whole[n:])), None)
            if digits is None:
                return None
            rank, text = whole[:digits] or None, whole[digits:]
        # Without its rank in the text, the entry's place in its section is its rank.
        rank = int(rank) if rank else sum(1 for e in self.entries if e.category == self.category) + 1
        entry = Entry(category=self.category, rank=rank, label_raw=text)
        if known := known_label(text):
            label, entry.name = known
            if ENTRY_LABELS[label.lower()] != self.category:
                self.r.warn("category_mismatch", f"entry {line!r} is labelled {label!r} inside the {self.category} section")
        elif self.r.title.lower() in text.lower() and RE_SKILL_WORD.search(text):
            entry.locked, entry.visibility = True, "locked"
        elif split := RE_LABEL_SPLIT.match(text):
            label = split.group(1).strip()
            entry.name = clean_name(split.group(2))
            self.r.warn("unknown_label", f"entry {line!r} has an unknown label {label!r}; read {entry.name!r} as its name")
        elif separator and rank == max((e.rank for e in self.entries if e.category == self.category), default=0) + 1:
            # The section's next rank in a form not known ("3 Unlock this skill"): an entry whose
            # name cannot be read, not a line of the entry before.
            entry.locked, entry.visibility, entry.unreadable = True, "locked", True
            self.r.warn("unreadable_entry", f"entry {line!r} at rank {rank} of the {self.category} skills is in no known form; its name was not read")
        else:
            return None
        if shown_level:
            self._set_level(entry, int(shown_level))
        self.entries.append(entry)
        return entry

    def _unranked_entry(self, text: str) -> bool:
        """An entry line without its rank: a known entry label and a name, or a locked
        placeholder (the job title and only words like "Skill and Competency")."""
        if known_label(text):
            return True
        # The title matched whole, not split at a dash: a title may have its own ("Teacher - K-12").
        low, title = text.lower().strip(), self.r.title.lower()
        if low.startswith(title):
            rest = low[len(title):]
        elif low.endswith(title):
            rest = low[:-len(title)]
        else:
            return False
        words = rest.replace("\u2013", " ").replace("\u2014", " ").replace("-", " ").split()
        return bool(words) and set(words) <= PLACEHOLDER_WORDS

    def _entry_line(self, entry: Entry, level: dict | None, line: str, low: str):
        """Consume a line (and its lowercase) inside an entry; return the current level dict, or False if not ours."""
        expect = entry.expect
        if expect is not None:
            entry.expect = None
            if expect == "level" and (m := RE_LONE_LEVEL.match(line)):
                self._set_level(entry, int(m.group(1)))
                return level
            if expect == "definition" and not structural(line):
                entry.definition = line.lstrip("-\u2013\u2014: ").strip() or None
                return None
        first = low[:1]
        if first in "pr" and (m := RE_LEVEL_REQ.match(line)):
            if m.group(1):
                self._set_level(entry, int(m.group(1)))
            else:
                entry.expect = "level"
            return level
        if first in "sd" and low.startswith(("skill definition", "definition")) and (m := RE_DEFINITION.match(line)):
            definition = m.group(1).strip()
            if structural(definition):  # the definition is missing: what follows the label is the page's next part
                return False
            entry.definition = definition or None
            if entry.definition is None:
                entry.expect = "definition"
            return None
        level_word = first == "l" and low.startswith("level")  # (behaviors starting "Leads", "Leverages" skip the patterns)
        if level_word and (m := RE_LEVEL.match(line)):
            lvl = _level_of(entry, int(m.group(1)))
            if m.group(2):
                lvl["label"] = m.group(2).strip()
            if m.group(3):
                if not m.group(2) and (label := SCALE.label_in(m.group(3))):
                    lvl["label"] = label
                else:
                    self._behavior_text(lvl, m.group(3))
            return lvl
        if (level_word or (line[-1:] == ")" and ("(Level" in line or "(level" in line))) and (m := RE_LEVEL_NAMED.match(line)):
            n, label = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if label := SCALE.label_in(label):
                lvl = _level_of(entry, int(n))
                lvl["label"] = label
                return lvl
        if level is not None and level["label"] is None and not level["behaviors"]:  # the line after "Level N Behaviors"
            if first == "(" and (m := RE_LEVEL_LABEL.match(line)):
                level["label"] = m.group(1).strip()
                if m.group(2):
                    self._behavior_text(level, m.group(2))
                return level
            if label := SCALE.label_in(line):
                level["label"] = label
                return level
        if level is not None and not self.heading:  # a heading of its own (a block put in the list: "Related Jobs") ends the level
            self._behavior_text(level, line)
            return level
        return False

    @staticmethod
    def _behavior_text(level: dict, text: str) -> None:
        if len(text) < 30 and RE_COLLAPSE.match(text):
            return
        if text[-1:] in "sSrR>\u203a\u00bb" and (m := RE_HIDDEN.match(text)):  # ends "See N More Skill Behaviors"
            level["hidden"] = int(m.group(2))
            text = m.group(1)
        if text := text.strip():
            level["behaviors"].append(text)

    def _set_level(self, entry: Entry, value: int) -> None:
        if not SCALE.contains(value):
            self.r.warn("out_of_scale", f"entry {entry.label_raw!r}: " + SCALE.out_of_scale(f"proficiency level {value}", value) + ": not loaded")
            return
        if entry.locked:
            entry.displayed_level = value
        else:
            entry.required_level = value

    def _closing_line(self, line: str) -> bool:
        if m := RE_ZERO.match(line):
            self.summary_declared[m.group(2).lower()] = int(m.group(1)) if m.group(1).isdigit() else 0
            return True
        if m := RE_NAMED.match(line):
            cat = m.group(2).lower()
            self.summary_declared[cat] = int(m.group(1))
            rest = m.group(3)
            prefix = self.r.title + ","
            if rest.lower().startswith(prefix.lower()):
                rest = rest[len(prefix):]
            rest = RE_ETC.sub("", rest.strip())
            self.summary_names[cat] = [clean_name(n) for n in rest.split(",") if clean_name(n)]
            return True
        if m := RE_TOTAL.search(line):
            self.role["declared_skills_total"] = int(m.group(1))
            return True
        if m := RE_INSTANCE.match(line):
            for pm in RE_PHRASE.finditer(m.group(2)):
                self.phrases[clean_name(pm.group(2)).lower()] = pm.group(1).lower()
            return True
        return False


def _level_of(entry: Entry, level: int) -> dict:
    """The entry's behavior level `level`, begun if not yet seen."""
    return entry.levels.setdefault(level, {"label": None, "hidden": None, "behaviors": []})

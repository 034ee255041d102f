"""Salary.com: the lines of one skill section ("11 general skills or competencies (Job family
competencies) for ...") read into the Profile's entries. Each entry begins with its line (a
rank, a known label and the skill's name, or a locked placeholder naming the job title), then
come its required level, its definition, and each behavior level's heading, label and
behaviors; the label or the number of a field may come on the line after its own."""

from __future__ import annotations

from typing import Literal

from ..common import ParseResult, clean_name
from .meta import SCALE
from .profile import Entry, Level, Profile
from .text import (
    ENTRY_LABELS,
    PLACEHOLDER_WORDS,
    RE_COLLAPSE,
    RE_DEFINITION,
    RE_ENTRY,
    RE_ENTRY_PLAIN,
    RE_HIDDEN,
    RE_LABEL_SPLIT,
    RE_LEVEL,
    RE_LEVEL_LABEL,
    RE_LEVEL_NAMED,
    RE_LEVEL_REQ,
    RE_LONE_LEVEL,
    RE_SKILL_WORD,
    known_label,
    structural,
)


class SkillSection:
    """Reads the lines of one skill section into the Profile's entries; holds where the reading is."""

    def __init__(self, profile: Profile, result: ParseResult, title: str, category: str | None) -> None:
        """`category`: the section's, None for a section of a kind the format does not have."""
        self.profile = profile
        self.result = result  # (for its warnings)
        self.title = title
        self.category = category
        self.entry: Entry | None = None  # the entry being read
        self.level: Level | None = None  # the entry's behavior level being read
        self.expect: Literal["level", "definition"] | None = None  # the entry's line before ended with that label

    def read_line(self, line: str, low: str, heading: bool) -> bool:
        """Read a line (and its lowercase) of the section; False if it is no part of it.
        `heading`: the page marks the line as a heading."""
        if _may_start_entry(line, low) and (entry := self._entry_start(line)):
            self.entry, self.level, self.expect = entry, None, None
            return True
        if low[:1] in "sd" and self._begins_unnamed_entry(line, low):
            self.entry, self.level, self.expect = self._unnamed_entry(), None, None
        if self.entry is None:
            return False
        if self._entry_line(self.entry, line, low, heading):
            return True
        self.level = None  # a line that is none of the entry's ends the level being read
        return False

    # -- an entry without its own line ---------------------------------------------------
    def _begins_unnamed_entry(self, line: str, low: str) -> bool:
        """A definition line where no entry is open, or under an entry that already has its
        definition or levels: an entry whose own line (rank, label, name) the page does not
        give (a copy of the page that starts part-way, or leaves the names out)."""
        if not low.startswith(("skill definition", "definition")) or RE_DEFINITION.match(line) is None:
            return False
        entry = self.entry
        return entry is None or entry.definition is not None or bool(entry.levels)

    def _unnamed_entry(self) -> Entry:
        """An entry shown without its name: at the section's next place, its name NULL."""
        entry = Entry(category=self.category, rank=self._last_rank() + 1)
        self.profile.entries.append(entry)
        return entry

    # -- an entry's own line -------------------------------------------------------------
    def _entry_start(self, line: str) -> Entry | None:
        """The entry a line starts (one _may_start_entry lets through may be one), or None."""
        m = (RE_ENTRY if "Proficiency Level" in line else RE_ENTRY_PLAIN).match(line)
        assert m is not None  # (both patterns match any non-empty line)
        rank_text, separator, text, shown_level = m.groups()
        if not (rank_text and separator):
            unranked = self._without_rank(line[:m.end(3)], rank_text)
            if unranked is None:
                return None
            rank_text, text = unranked
        # Without its rank in the text, the entry's place in its section is its rank.
        rank = int(rank_text) if rank_text else self._entries_read() + 1
        entry = Entry(category=self.category, rank=rank, label_raw=text)
        if not self._identify(entry, line, text, spaced_rank=bool(separator)):
            return None
        if shown_level:
            self._set_level(entry, int(shown_level))
        self.profile.entries.append(entry)
        return entry

    def _without_rank(self, whole: str, rank_text: str | None) -> tuple[str | None, str] | None:
        """(rank, text) of an entry line with no rank, or one glued on ("1Job Family ...", "3911
        Dispatcher - Skill and Competency"), or None: only a known label or placeholder is an
        entry then, read with no rank or with the one or two digits that leave one (a title may
        start with digits)."""
        digits = next((n for n in (0, 1, 2) if n <= len(rank_text or "") and self._unranked_entry(whole[n:])), None)
        if digits is None:
            return None
        return whole[:digits] or None, whole[digits:]

    def _unranked_entry(self, text: str) -> bool:
        """An entry line without its rank: a known entry label and a name, or a locked
        placeholder (the job title and only words like "Skill and Competency")."""
        if known_label(text):
            return True
        # The title matched whole, not split at a dash: a title may have its own ("Teacher - K-12").
        low, title = text.lower().strip(), self.title.lower()
        if low.startswith(title):
            rest = low[len(title):]
        elif low.endswith(title):
            rest = low[:-len(title)]
        else:
            return False
        words = rest.replace("\u2013", " ").replace("\u2014", " ").replace("-", " ").split()
        return bool(words) and set(words) <= PLACEHOLDER_WORDS

    def _identify(self, entry: Entry, line: str, text: str, spaced_rank: bool) -> bool:
        """Name the entry from its text (a known label and the name, a locked placeholder, an
        unknown label and the name, or a rank alone); False if the text is no entry's."""
        if known := known_label(text):
            label, entry.name = known
            if self.category is not None and ENTRY_LABELS[label.lower()] != self.category:
                self.result.warn("category_mismatch", f"entry {line!r} is labelled {label!r} inside the {self.category} section")
        elif self.title.lower() in text.lower() and RE_SKILL_WORD.search(text):
            entry.locked, entry.visibility = True, "locked"
        elif split := RE_LABEL_SPLIT.match(text):
            label = split.group(1).strip()
            entry.name = clean_name(split.group(2))
            self.result.warn("unknown_label", f"entry {line!r} has an unknown label {label!r}; read {entry.name!r} as its name")
        elif spaced_rank and entry.rank == self._last_rank() + 1:
            # The section's next rank in a form not known ("3 Unlock this skill"): an entry whose
            # name cannot be read, not a line of the entry before.
            entry.locked, entry.visibility, entry.unreadable = True, "locked", True
            self.result.warn("unreadable_entry", f"entry {line!r} at rank {entry.rank} of the {self.category or 'unknown section'} skills is in no known form; its name was not read")
        else:
            return False
        return True

    def _entries_read(self) -> int:
        """Entries of this category read so far (in any section of the page)."""
        return sum(1 for e in self.profile.entries if e.category == self.category)

    def _last_rank(self) -> int:
        return max((e.rank for e in self.profile.entries if e.category == self.category), default=0)

    # -- the lines under an entry --------------------------------------------------------
    def _entry_line(self, entry: Entry, line: str, low: str, heading: bool) -> bool:
        """A line of the entry being read: its required level, its definition, a behavior
        level's heading, or a line of the level being read; False if none."""
        if self.expect is not None and self._expected_value(entry, line):
            return True
        first = low[:1]
        if first in "pr" and (m := RE_LEVEL_REQ.match(line)):
            if m.group(1):
                self._set_level(entry, int(m.group(1)))
            else:
                self.expect = "level"  # the number is on the next line
            return True
        if first in "sd" and low.startswith(("skill definition", "definition")) and (m := RE_DEFINITION.match(line)):
            return self._definition(entry, m.group(1).strip())
        if self._level_heading(entry, line, low):
            return True
        return self.level is not None and self._level_line(self.level, line, heading)

    def _expected_value(self, entry: Entry, line: str) -> bool:
        """The required level or the definition whose label ended the line before, if this line gives it."""
        expect, self.expect = self.expect, None
        if expect == "level" and (m := RE_LONE_LEVEL.match(line)):
            self._set_level(entry, int(m.group(1)))
            return True
        if expect == "definition" and not structural(line):
            entry.definition = line.lstrip("-\u2013\u2014: ").strip() or None
            self.level = None
            return True
        return False

    def _definition(self, entry: Entry, definition: str) -> bool:
        """The definition after its label (empty: it is on the next line); False when the label has none."""
        if structural(definition):  # the definition is missing: what follows the label is the page's next part
            return False
        entry.definition = definition or None
        if entry.definition is None:
            self.expect = "definition"
        self.level = None
        return True

    def _set_level(self, entry: Entry, value: int) -> None:
        """The entry's required level, or the level a locked placeholder shows."""
        if not SCALE.contains(value):
            self.result.warn("out_of_scale", f"entry {entry.label_raw!r}: " + SCALE.out_of_scale(f"proficiency level {value}", value) + ": not loaded")
            return
        if entry.locked:
            entry.displayed_level = value
        else:
            entry.required_level = value

    # -- behavior levels -----------------------------------------------------------------
    def _level_heading(self, entry: Entry, line: str, low: str) -> bool:
        """A behavior level's heading, which begins the level read next: "Level 3 Behaviors
        (Moderate Experience)" (a label or a behavior may follow on the line), or the level
        named by the scale's label ("Level 3 - Moderate Experience", "Moderate Experience (Level 3)")."""
        level_word = low[:1] == "l" and low.startswith("level")  # (behaviors starting "Leads", "Leverages" skip the patterns)
        if level_word and (m := RE_LEVEL.match(line)):
            self.level = level = _level_of(entry, int(m.group(1)))
            label, rest = m.group(2), m.group(3)
            if label:
                level.label = label.strip()
            if rest:
                if not label and (scale_label := SCALE.label_in(rest)):
                    level.label = scale_label
                else:
                    _add_behavior(level, rest)
            return True
        if (level_word or (line[-1:] == ")" and ("(Level" in line or "(level" in line))) and (m := RE_LEVEL_NAMED.match(line)):
            number, named = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if scale_label := SCALE.label_in(named):
                self.level = level = _level_of(entry, int(number))
                level.label = scale_label
                return True
        return False

    def _level_line(self, level: Level, line: str, heading: bool) -> bool:
        """A line of the level being read: its label on the line after its heading
        ("(Moderate Experience)", bare or before a behavior), else a behavior."""
        if level.label is None and not level.behaviors:  # the line after "Level N Behaviors"
            if line[:1] == "(" and (m := RE_LEVEL_LABEL.match(line)):
                level.label = m.group(1).strip()
                if m.group(2):
                    _add_behavior(level, m.group(2))
                return True
            if scale_label := SCALE.label_in(line):
                level.label = scale_label
                return True
        if not heading:  # a heading of its own (a block put in the list: "Related Jobs") ends the level
            _add_behavior(level, line)
            return True
        return False


def _may_start_entry(line: str, low: str) -> bool:
    """Entries start with their rank; a line without one is tried only when it has the dash
    an entry label or placeholder needs (not "Proficiency Level - 3"), or a known label."""
    return (line[:1].isdigit() or "\u2013" in line or "\u2014" in line or (" - " in line and not low.startswith("proficiency level"))
            or known_label(line, low) is not None)


def _level_of(entry: Entry, number: int) -> Level:
    """The entry's behavior level `number`, begun if not yet seen."""
    return entry.levels.setdefault(number, Level())


def _add_behavior(level: Level, text: str) -> None:
    """A behavior of the level; the page's links that open or close the level's list are none
    (the count a "See N More" link gives is kept)."""
    if len(text) < 30 and RE_COLLAPSE.match(text):
        return
    if text[-1:] in "sSrR>\u203a\u00bb" and (m := RE_HIDDEN.match(text)):  # ends "See N More Skill Behaviors"
        level.hidden = int(m.group(2))
        text = m.group(1)
    if text := text.strip():
        level.behaviors.append(text)

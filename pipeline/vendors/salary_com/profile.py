"""Salary.com: what one job-profile page says, as read from its lines (reader.py fills a
Profile, rows.py turns it into catalog rows). Plain records: the state of the reading is
kept by the readers, not here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Level:
    """One proficiency level of an entry and the behaviors the page shows for it."""

    label: str | None = None  # "Moderate Experience", as the page writes it
    hidden: int | None = None  # behaviors behind the level's "See N More Skill Behaviors" link
    behaviors: list[str] = field(default_factory=list)


@dataclass
class Entry:
    """One skill entry of a skill section, or a skill only the closing summary names."""

    category: str | None  # None: a section of a kind the format does not have
    rank: int
    name: str | None = None
    label_raw: str | None = None
    required_level: int | None = None
    displayed_level: int | None = None  # the level a locked placeholder shows
    definition: str | None = None
    locked: bool = False
    visibility: str = "shown"
    levels: dict[int, Level] = field(default_factory=dict)
    unreadable: bool = False  # at its rank in no known form: its name could not be read


@dataclass
class Profile:
    """What the line reader collected from one page."""

    complete: bool  # the page reached its closing line or a whole closing summary
    role: dict[str, str | int]  # title, job_code, job_level, summary, ... as read
    salaries: list[tuple[str, int, float]] = field(default_factory=list)  # (base|total, percentile, amount per year)
    salaries_not_yearly: set[str] = field(default_factory=set)  # base|total given per hour, week or month: reported, not loaded
    entries: list[Entry] = field(default_factory=list)
    declared: dict[str, int] = field(default_factory=dict)  # category -> count its section header declares
    summary_declared: dict[str, int] = field(default_factory=dict)  # category -> count the closing summary declares
    summary_names: dict[str, list[str]] = field(default_factory=dict)  # category -> skill names the summary gives
    phrases: dict[str, str] = field(default_factory=dict)  # skill name (lowercase) -> "highly skilled", ...
    seen: set[str] = field(default_factory=set)  # sections met
    unrecognized: list[str] = field(default_factory=list)

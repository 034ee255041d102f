"""Salary.com, second half: what salary_com.py read from a page's lines (its Profile) ->
catalog rows, with the checks that say what the page lacks (sections, fields, counts that
disagree, names of locked skills the summary gives)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...ids import competency_id, role_id
from ...enums import CATEGORIES
from ..common import ParseResult
from ..scale import Scale


@dataclass
class Entry:
    category: str
    rank: int
    name: str | None = None
    label_raw: str | None = None
    required_level: int | None = None
    displayed_level: int | None = None
    definition: str | None = None
    locked: bool = False
    visibility: str = "shown"
    levels: dict[int, dict] = field(default_factory=dict)  # level -> {label, hidden, behaviors}
    expect: str | None = None  # "level" or "definition" when its label ended the previous line
    unreadable: bool = False  # at its rank in no known form: its name could not be read


@dataclass
class Profile:
    """What the line reader collected from one page."""

    complete: bool  # the page reached its closing line or a whole closing summary
    role: dict  # title, job_code, job_level, summary, ... as read
    salaries: list[tuple[str, int, float]] = field(default_factory=list)  # (base|total, percentile, amount per year)
    salaries_not_yearly: set[str] = field(default_factory=set)  # base|total given per hour, week or month: reported, not loaded
    entries: list[Entry] = field(default_factory=list)
    declared: dict[str, int] = field(default_factory=dict)  # category -> count its section header declares
    summary_declared: dict[str, int] = field(default_factory=dict)  # category -> count the closing summary declares
    summary_names: dict[str, list[str]] = field(default_factory=dict)  # category -> skill names the summary gives
    phrases: dict[str, str] = field(default_factory=dict)  # skill name (lowercase) -> "highly skilled", ...
    seen: set[str] = field(default_factory=set)  # sections met
    unrecognized: list[str] = field(default_factory=list)


def _recover_summary_names(r: ParseResult, p: Profile) -> None:
    """The closing summary names the first skills of each section in rank order; the
    names it gives for locked placeholders are recovered (their level stays unknown)."""
    for cat, names in p.summary_names.items():
        ranked = {e.rank: e for e in p.entries if e.category == cat}
        for rank, name in enumerate(names, start=1):
            e = ranked.get(rank)
            if e is None:
                p.entries.append(Entry(category=cat, rank=rank, name=name, visibility="named_in_summary"))
            elif e.name is None:
                e.name, e.visibility = name, "named_in_summary"
            elif e.name.lower() != name.lower():
                r.warn("summary_mismatch", f"summary names {name!r} at rank {rank} of the {cat} skills, the list shows {e.name!r}; names of locked {cat} skills were not recovered")
                for later in ranked.values():
                    if later.visibility == "named_in_summary":
                        later.name, later.visibility = None, "locked"
                break


def profile_rows(r: ParseResult, p: Profile, vendor: str, scale: Scale) -> ParseResult:
    """The page's rows from its Profile, with warnings for what it lacks."""
    listed = {e.category for e in p.entries if not e.unreadable}  # sections with an entry read from the list itself
    _recover_summary_names(r, p)
    rid = role_id(vendor, r.title)
    r.add("roles", role_id=rid, vendor=vendor, title=r.title, job_code=p.role.get("job_code"), job_level=p.role.get("job_level"),
          summary=p.role.get("summary"), responsibilities=p.role.get("responsibilities"), education=p.role.get("education"),
          reports_to=p.role.get("reports_to"), declared_skills_total=p.role.get("declared_skills_total"))
    for kind, pct, amount in p.salaries:
        r.add("salaries", role_id=rid, kind=kind, percentile=pct, amount=amount, currency="USD")
    for e in sorted(p.entries, key=lambda e: (CATEGORIES.index(e.category), e.rank)):
        cid = competency_id(vendor, e.name) if e.name else None
        if e.name:
            r.add("competencies", competency_id=cid, vendor=vendor, name=e.name, definition=e.definition, category=e.category, family=None, notes=None)
        if e.levels and not e.name:
            r.warn("unrecognized_text", f"behavior levels under the locked entry at rank {e.rank} of the {e.category} skills were not loaded (no competency name)")
        for lvl, info in sorted(e.levels.items() if e.name else ()):
            if not scale.contains(lvl):
                r.warn("out_of_scale", f"{e.name}: " + scale.out_of_scale(f"level {lvl}", lvl) + ": its behaviors were not loaded")
                continue
            if mismatch := scale.label_mismatch(lvl, info["label"]):
                r.warn("scale_label_mismatch", f"{e.name}: {mismatch}")
            r.add("competency_levels", competency_id=cid, level=lvl, label=info["label"], behaviors_hidden=info["hidden"])
            for seq, text in enumerate(info["behaviors"], start=1):
                r.add("behaviors", competency_id=cid, level=lvl, text=text, seq=seq)
        req = e.required_level
        r.add("role_competencies", role_id=rid, competency_id=cid, competency_name=e.name, category=e.category, rank=e.rank,
              required_level=req, required_level_normalized=None if req is None else scale.normalized(req),
              displayed_level=e.displayed_level, visibility=e.visibility,
              proficiency_phrase=p.phrases.get(e.name.lower()) if e.name else None)
        if e.visibility == "shown" and p.complete:
            missing = [what for what, v in (("definition", e.definition), ("required level", e.required_level)) if v is None]
            missing += [f"level {n} behaviors" for n in scale.numbers if n not in e.levels]
            if missing:
                r.warn("missing_field", f"{e.name}: no {', '.join(missing)}")
    for cat in CATEGORIES:
        header, summary = p.declared.get(cat), p.summary_declared.get(cat)
        if header is not None and summary is not None and header != summary:
            r.warn("count_mismatch", f"the {cat} section declares {header} skills, the page summary {summary}")
        declared = header if header is not None else summary
        extracted = sum(1 for e in p.entries if e.category == cat and e.name)
        if declared is not None or extracted:
            r.add("role_skill_counts", role_id=rid, category=cat, declared=declared, extracted=extracted)
        if summary and header is None and p.complete:
            r.warn("missing_section", f"the summary declares {summary} {cat} skills but the page has no {cat} skills section")
        if header and p.complete and cat not in listed:
            r.warn("missing_section", f"the {cat} skills section declares {header} skills but none of its entries could be read")
    _check_sections(r, p)
    if p.unrecognized:
        sample = "; ".join(repr(u[:80]) for u in p.unrecognized[:3])
        r.warn("unrecognized_text", f"{len(p.unrecognized)} line(s) not recognized as part of a Salary.com profile, e.g. {sample}")
    return r


def _check_sections(r: ParseResult, p: Profile) -> None:
    fields = {"summary": "job summary", "responsibilities": "job responsibilities"}
    expected = [("summary", "JOB SUMMARY"), ("responsibilities", "JOB RESPONSIBILITIES"), ("salary", "SALARY RANGE"),
                ("skills_list", "Skills and Competencies List"), ("summary_of_skills", "Summary of skills and competencies")]
    missing = [label for key, label in expected if key not in p.seen]
    if not any(f"section:{c}" in p.seen for c in CATEGORIES):
        missing.insert(-1, "skill sections")
    got = {k for k, _, _ in p.salaries} | p.salaries_not_yearly  # (one given per hour is reported as such, not as missing)
    missing_fields = [f for f in ("job_level", "job_code", "education", "reports_to") if not p.role.get(f)]
    missing_fields += [f"{k} salary" for k in ("base", "total") if k not in got]
    missing_fields += [label for key, label in fields.items() if key in p.seen and not p.role.get(key)]
    if not p.complete:
        if "summary_of_skills" in p.seen:
            missing.append("the rest of the Summary of skills and competencies")
        r.warn("truncated", f"page stops part-way (saved before it finished loading); missing: {', '.join(missing) or 'the end of the page'}")
    elif missing:
        r.warn("missing_section", f"page has no {', '.join(missing)} section")
    if missing_fields and (p.complete or "skills_list" in p.seen):
        r.warn("missing_field", f"page gives no {', '.join(missing_fields)}")

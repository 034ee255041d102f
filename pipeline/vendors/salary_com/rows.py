"""Salary.com: what reader.py read from a page's lines (its Profile) -> catalog rows, with the
checks that say what the page lacks (sections, fields, counts that disagree, names of locked
skills the summary gives)."""

from __future__ import annotations

from ...enums import CATEGORIES
from ...ids import competency_id, role_id, unnamed_competency_id
from ..common import ParseResult
from ..scale import Scale
from .profile import Entry, Profile


def profile_rows(result: ParseResult, profile: Profile, vendor: str, scale: Scale) -> ParseResult:
    """The page's rows from its Profile, with warnings for what it lacks."""
    listed = {e.category for e in profile.entries if e.category is not None and not e.unreadable}  # sections with an entry read from the list itself
    _recover_summary_names(result, profile)
    assert result.title is not None  # (a profile without a title is not read)
    rid = role_id(vendor, result.title)
    _role_rows(result, profile, vendor, rid)
    for entry in sorted(profile.entries, key=lambda e: (CATEGORIES.index(e.category) if e.category else len(CATEGORIES), e.rank)):
        _entry_rows(result, profile, entry, vendor, rid, scale)
        if entry.visibility == "shown" and profile.complete:
            _check_entry_fields(result, entry, scale)
    _section_counts(result, profile, rid, listed)
    if unnamed := [e for e in profile.entries if _shown_unnamed(e)]:
        places = ", ".join(f"rank {e.rank} of the {e.category} skills" for e in unnamed)
        result.warn("missing_section", f"{len(unnamed)} entr{'ies are' if len(unnamed) > 1 else 'y is'} shown without a name line ({places}): "
                                       "loaded with their definition and levels, with no name")
    _check_sections(result, profile)
    if profile.unrecognized:
        sample = "; ".join(repr(u[:80]) for u in profile.unrecognized[:3])
        result.warn("unrecognized_text", f"{len(profile.unrecognized)} line(s) not recognized as part of a Salary.com profile, e.g. {sample}")
    return result


def _recover_summary_names(result: ParseResult, profile: Profile) -> None:
    """The closing summary names the first skills of each section in rank order; the
    names it gives for locked placeholders are recovered (their level stays unknown)."""
    for category, names in profile.summary_names.items():
        ranked = {e.rank: e for e in profile.entries if e.category == category}
        for rank, name in enumerate(names, start=1):
            entry = ranked.get(rank)
            if entry is None:
                profile.entries.append(Entry(category=category, rank=rank, name=name, visibility="named_in_summary"))
            elif _shown_unnamed(entry):
                continue  # (shown without its name, at a place read by position: no name is given to it)
            elif entry.name is None:
                entry.name, entry.visibility = name, "named_in_summary"
            elif entry.name.lower() != name.lower():
                result.warn("summary_mismatch", f"summary names {name!r} at rank {rank} of the {category} skills, the list shows {entry.name!r}; "
                                                f"names of locked {category} skills were not recovered")
                for later in ranked.values():
                    if later.visibility == "named_in_summary":
                        later.name, later.visibility = None, "locked"
                break


def _role_rows(result: ParseResult, profile: Profile, vendor: str, rid: str) -> None:
    """The role and its salaries."""
    role = profile.role
    result.add("roles", role_id=rid, vendor=vendor, title=result.title, job_code=role.get("job_code"), job_level=role.get("job_level"),
               summary=role.get("summary"), responsibilities=role.get("responsibilities"), education=role.get("education"),
               reports_to=role.get("reports_to"), declared_skills_total=role.get("declared_skills_total"))
    for kind, percentile, amount in profile.salaries:
        result.add("salaries", role_id=rid, kind=kind, percentile=percentile, amount=amount, currency="USD")


def _entry_rows(result: ParseResult, profile: Profile, entry: Entry, vendor: str, rid: str, scale: Scale) -> None:
    """An entry's competency with its levels and behaviors (when its name is known), and the role's need of it."""
    cid = None
    if entry.name or _shown_unnamed(entry):
        cid = competency_id(vendor, entry.name) if entry.name else unnamed_competency_id(vendor, _content_of(entry, rid))
        result.add("competencies", competency_id=cid, vendor=vendor, name=entry.name, definition=entry.definition, category=entry.category,
                   family=None, notes=None)
        _level_rows(result, entry, entry.name or _unnamed(entry), cid, scale)
    elif entry.levels:
        result.warn("unrecognized_text", f"behavior levels under the locked entry at rank {entry.rank} of the {entry.category} skills were not loaded (no competency name)")
    required = entry.required_level
    result.add("role_competencies", role_id=rid, competency_id=cid, competency_name=entry.name, category=entry.category, rank=entry.rank,
               required_level=required, required_level_normalized=None if required is None else scale.normalized(required),
               displayed_level=entry.displayed_level, visibility=entry.visibility,
               proficiency_phrase=profile.phrases.get(entry.name.lower()) if entry.name else None)


def _shown_unnamed(entry: Entry) -> bool:
    """An entry the page shows (its definition or levels) without its name line."""
    return entry.name is None and not entry.locked and entry.visibility == "shown"


def _unnamed(entry: Entry) -> str:
    return f"the unnamed entry at rank {entry.rank} of the {entry.category} skills"


def _content_of(entry: Entry, rid: str) -> str:
    """What identifies an unnamed entry: its definition, else its first behavior, else its place."""
    first_behavior = next((b for _, level in sorted(entry.levels.items()) for b in level.behaviors), None)
    return entry.definition or first_behavior or f"{rid} {entry.category} {entry.rank}"


def _level_rows(result: ParseResult, entry: Entry, name: str, cid: str, scale: Scale) -> None:
    """The competency's levels on the scale, each with its behaviors in page order."""
    for number, level in sorted(entry.levels.items()):
        if not scale.contains(number):
            result.warn("out_of_scale", f"{name}: " + scale.out_of_scale(f"level {number}", number) + ": its behaviors were not loaded")
            continue
        if mismatch := scale.label_mismatch(number, level.label):
            result.warn("scale_label_mismatch", f"{name}: {mismatch}")
        result.add("competency_levels", competency_id=cid, level=number, label=level.label, behaviors_hidden=level.hidden)
        for seq, text in enumerate(level.behaviors, start=1):
            result.add("behaviors", competency_id=cid, level=number, text=text, seq=seq)


def _check_entry_fields(result: ParseResult, entry: Entry, scale: Scale) -> None:
    """A shown entry of a whole page gives its definition, required level and every level's behaviors."""
    missing = [what for what, value in (("definition", entry.definition), ("required level", entry.required_level)) if value is None]
    missing += [f"level {n} behaviors" for n in scale.numbers if n not in entry.levels]
    if missing:
        result.warn("missing_field", f"{entry.name or _unnamed(entry)}: no {', '.join(missing)}")


def _section_counts(result: ParseResult, profile: Profile, rid: str, listed: set[str]) -> None:
    """Per category, the skills declared (by the section header, else the closing summary) and
    those read, and the checks that the two counts and the sections agree."""
    for category in CATEGORIES:
        header, summary = profile.declared.get(category), profile.summary_declared.get(category)
        if header is not None and summary is not None and header != summary:
            result.warn("count_mismatch", f"the {category} section declares {header} skills, the page summary {summary}")
        declared = header if header is not None else summary
        extracted = sum(1 for e in profile.entries if e.category == category and e.name)
        if declared is not None or extracted:
            result.add("role_skill_counts", role_id=rid, category=category, declared=declared, extracted=extracted)
        if summary and header is None and profile.complete:
            result.warn("missing_section", f"the summary declares {summary} {category} skills but the page has no {category} skills section")
        if header and profile.complete and category not in listed:
            result.warn("missing_section", f"the {category} skills section declares {header} skills but none of its entries could be read")


def _check_sections(result: ParseResult, profile: Profile) -> None:
    """The sections and fields the page lacks: a page cut off part-way is truncated, a whole one misses them."""
    missing = _missing_sections(profile)
    missing_fields = _missing_fields(profile)
    if result.title_source == "section_heading":  # a page starting at its skill sections: what comes before them was reported as missing
        missing, missing_fields = [label for key, label in _SECTIONS if key == "summary_of_skills" and key not in profile.seen], []
    if not profile.complete:
        if "summary_of_skills" in profile.seen:
            missing.append("the rest of the Summary of skills and competencies")
        result.warn("truncated", f"page stops part-way (saved before it finished loading); missing: {', '.join(missing) or 'the end of the page'}")
    elif missing:
        result.warn("missing_section", f"page has no {', '.join(missing)} section")
    if missing_fields and (profile.complete or "skills_list" in profile.seen):
        result.warn("missing_field", f"page gives no {', '.join(missing_fields)}")


_SECTIONS = (("summary", "JOB SUMMARY"), ("responsibilities", "JOB RESPONSIBILITIES"), ("salary", "SALARY RANGE"),
             ("skills_list", "Skills and Competencies List"), ("summary_of_skills", "Summary of skills and competencies"))


def _missing_sections(profile: Profile) -> list[str]:
    """The sections the page has not shown (so far, on a page cut off part-way)."""
    missing = [label for key, label in _SECTIONS if key not in profile.seen]
    if not any(f"section:{c}" in profile.seen for c in CATEGORIES):
        missing.insert(-1, "skill sections")
    return missing


# The sections whose text is a field of the role, as messages name it (a dict: a pair of two
# strings would read as a (code, message) pair to tests/test_warning_codes.py).
_TEXT_FIELDS = {"summary": "job summary", "responsibilities": "job responsibilities"}


def _missing_fields(profile: Profile) -> list[str]:
    """The role's fields and salaries the page does not give (a salary given per hour is reported as such, not as missing)."""
    role = profile.role
    given = {kind for kind, _, _ in profile.salaries} | profile.salaries_not_yearly
    missing = [f for f in ("job_level", "job_code", "education", "reports_to") if not role.get(f)]
    missing += [f"{kind} salary" for kind in ("base", "total") if kind not in given]
    missing += [label for key, label in _TEXT_FIELDS.items() if key in profile.seen and not role.get(key)]
    return missing

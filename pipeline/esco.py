"""ESCO, the European skills taxonomy, as the common reference every vendor's competency is
anchored to (competency_esco), so that analysts can pivot on one concept across vendors.

The skills come from pipeline/data/esco/skills.csv.gz, built offline from ESCO data shipped in
PyPI wheels (tools/build_esco.py; attribution in pipeline/data/esco/NOTICE.md), and their
vectors (label with description) from pipeline/data/esco/vectors.npz (tools/build_esco_vectors.py). Nothing is
downloaded at run time.

A competency's anchors are the ESCO skills nearest to it by meaning: its name with its
definition (or its first behaviors when the page gives no definition) against each skill's
label and description (`similarity`). A skill that specializes another for a sector ("manage
time in tourism", a `broader_label` in the data) gives way to the general one unless the
competency speaks of that sector. Among the nearest skills, one whose label's words the
competency's own text uses (name, definition, behaviors) ranks higher (`label_support`): a
sentence vector blurs "manage budgets" and "manage school budget", the words do not. Reviewed anchors
(pipeline/data/reviewed_esco.csv) replace the computed ones of their competency.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
SKILLS = DATA / "esco" / "skills.csv.gz"
VECTORS = DATA / "esco" / "vectors.npz"
REVIEWED = DATA / "reviewed_esco.csv"
METHOD = "minilm-esco/2"
TOP = 3
CANDIDATES = 20  # nearest skills by meaning that the label words re-rank
# Anchors scoring below this are not kept; from CLOSE_FROM a concept is close, from EXACT_FROM
# (or a label with the name's words) exact.
KEEP_FROM, CLOSE_FROM, EXACT_FROM = 0.30, 0.55, 0.80
SPECIFIC_PENALTY = 0.05  # a sector's variant of another skill, when the competency does not name the sector
LABEL_SUPPORT = 0.12  # added for a label whose words are all in the competency's text (chosen on the tuning half)

_WORD = re.compile(r"[a-z]+")
_STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "to", "with", "within"])


@dataclass(frozen=True)
class Skill:
    uri: str
    preferred_label: str
    alt_labels: tuple[str, ...]
    description: str
    skill_type: str
    transversal: bool
    broader_label: str | None


@functools.cache
def load_skills() -> tuple[Skill, ...]:
    """Every ESCO skill that has a preferred label, in URI order."""
    with gzip.open(SKILLS, "rt", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["preferred_label"]]
    return tuple(Skill(r["uri"], r["preferred_label"], tuple(filter(None, r["alt_labels"].split("\n"))), r["description"], r["skill_type"],
                       r["transversal"] == "true", r["broader_label"] or None) for r in rows)


def data_version() -> str:
    return hashlib.sha256(SKILLS.read_bytes()).hexdigest()


def describe(skill: Skill) -> str:
    """What a skill's vector is made of: its label and the start of its description."""
    return f"{skill.preferred_label}. {skill.description[:300]}".strip()


@functools.cache
def _skill_vectors() -> np.ndarray:
    """The skills' label-with-description vectors, in load_skills() order (float32, unit length)."""
    from .embeddings import model_id

    with np.load(VECTORS, allow_pickle=False) as data:
        if str(data["model"]) != model_id() or str(data["data"]) != data_version():
            raise RuntimeError(f"{VECTORS} was built from another ESCO file or model: run `make esco-data`")
        uris, described = data["uris"].tolist(), data["described"].astype(np.float32)
    if uris != [s.uri for s in load_skills()]:
        raise RuntimeError(f"{VECTORS} does not list the skills of {SKILLS}: run `make esco-data`")
    return described / np.maximum(np.linalg.norm(described, axis=1, keepdims=True), 1e-12)


@functools.cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)  # (pure Python: a few words recur in every label and name)


def words(text: str) -> list[str]:
    """Content words, stemmed (Porter2: "communicating", "communications" -> "communic"), for
    comparing names and labels."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2]


def behaviors_by_competency(behaviors: list[dict]) -> dict[str, list[str]]:
    """Each competency's behavior statements in page order (level, then order on the page), the
    same whatever order the rows come in."""
    out: dict[str, list[str]] = {}
    for b in sorted(behaviors, key=lambda b: (b["competency_id"], b.get("level") or 0, b.get("seq") or 0, b["text"])):
        out.setdefault(b["competency_id"], []).append(b["text"])
    return out


def query_texts(competency: dict, behaviors: list[str]) -> tuple[str, str]:
    """What a competency is compared by: its name, and its name with its definition (or, when
    the page gives none, its first behaviors)."""
    name, definition = name_and_definition(competency)
    detail = definition or " ".join(behaviors[:3])
    return name, f"{name}. {detail}".strip()


def name_and_definition(competency: dict) -> tuple[str, str | None]:
    """What a competency is compared by, as its name and its definition: a competency its page
    shows without a name is compared by its definition in the name's place (for comparing only:
    the catalog keeps its name NULL)."""
    if competency["name"]:
        return competency["name"], competency.get("definition")
    return competency.get("definition") or "", None


def similarity(names: np.ndarray, details: np.ndarray) -> np.ndarray:
    """Competencies (rows) by ESCO skills (columns): the competency's name-and-definition vector
    and, at half its weight, its name against each skill's label-with-description vector
    (chosen on the tuning half; a label-only vector as well added one anchor in 44 there and
    would double the data file)."""
    described = _skill_vectors()
    return (details @ described.T + 0.5 * (names @ described.T)) / 1.5


def anchors(competencies: list[dict], behaviors: list[dict], cache) -> list[dict]:
    """competency_esco rows: each competency's TOP best ESCO skills above KEEP_FROM. A
    competency whose texts were anchored before (by any ingest, with this data and code) takes
    its anchors from the anchor cache beside the sentence vectors; only new ones are computed."""
    if not competencies:
        return []
    by_competency = behaviors_by_competency(behaviors)
    shown = [by_competency.get(c["competency_id"], []) for c in competencies]
    texts = [(*query_texts(c, b), full_text(c, b)) for c, b in zip(competencies, shown)]
    known = AnchorCache(cache.folder)
    keys = [known.key(*t) for t in texts]
    new = sorted({k: t for k, t in zip(keys, texts) if k not in known.anchors}.items())
    if new:
        scores = similarity(cache.vectors([t[0] for _, t in new]), cache.vectors([t[1] for _, t in new]))
        scores -= SPECIFIC_PENALTY * _sector_variants()
        candidates = np.argpartition(-scores, CANDIDATES, axis=1)[:, :CANDIDATES]  # (one call for every row)
        for n, (key, (name, detail, text)) in enumerate(new):
            known.anchors[key] = _best(name, candidates[n], scores[n], detail, text)
        known.save()
    rows = [dict(competency_id=c["competency_id"], rank=rank, esco_uri=uri, score=score, relation=relation, method=METHOD, reviewed=False)
            for c, key in zip(competencies, keys) for rank, (uri, score, relation) in enumerate(known.anchors[key], start=1)]
    return _with_reviewed(rows, {c["competency_id"] for c in competencies})


class AnchorCache:
    """Anchors by the hash of the texts they were computed from, in a JSON file (data only) per
    ESCO data version and version of this module's code."""

    def __init__(self, folder: Path):
        fingerprint = hashlib.sha256(f"{data_version()}:{Path(__file__).read_bytes().hex()}".encode()).hexdigest()[:16]
        self.path = folder / f"esco-anchors-{fingerprint}.json"
        self.anchors: dict[str, list] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.anchors = loaded
        except (OSError, ValueError):
            pass

    @staticmethod
    def key(name: str, detail: str, text: str) -> str:
        return hashlib.sha256(f"{name}\0{detail}\0{text}".encode()).hexdigest()[:32]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.anchors, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


@functools.cache
def _sector_variants() -> np.ndarray:
    return np.array([1.0 if s.broader_label else 0.0 for s in load_skills()], dtype=np.float32)


def full_text(competency: dict, behaviors: list[str]) -> str:
    """Everything a competency's page says of it, for the words its anchors' labels should use."""
    return " ".join(filter(None, (competency["name"], competency.get("definition"), *behaviors)))


def _best(name: str, candidates: np.ndarray, score: np.ndarray, detail: str, text: str) -> list[list]:
    """[uri, score, relation] of the best skills among the nearest candidates whose similarity by
    meaning reaches KEEP_FROM, ranked by that similarity plus LABEL_SUPPORT times the share of the
    label's words that the competency's text uses; a sector variant regains its penalty when the
    competency's text names its sector. The score and the relation are the similarity by meaning
    alone (the rank carries the words' part)."""
    skills = load_skills()
    detail_words, text_words = frozenset(words(detail)), frozenset(words(text))
    similar = {int(i): float(score[i]) + (SPECIFIC_PENALTY if _names_its_sector(skills[i], detail_words) else 0.0) for i in candidates}
    ranked = {i: value + LABEL_SUPPORT * label_support(skills[i], text_words) for i, value in similar.items()}
    kept = [i for i in ranked if similar[i] >= KEEP_FROM]  # (before the cut: a label's words never push out a skill that qualifies)
    best = sorted(kept, key=lambda i: (-ranked[i], skills[i].uri))[:TOP]
    return [[skills[i].uri, round(min(similar[i], 1.0), 4), _relation(name, skills[i], similar[i])] for i in best]


def label_support(skill: Skill, text_words: frozenset[str]) -> float:
    """The share of a skill's preferred label's words that a competency's text uses ("manage
    school budget" for a budget competency that never says school: two thirds)."""
    label = _label_words(skill.preferred_label)
    return len(label & text_words) / len(label) if label else 0.0


@functools.lru_cache(maxsize=1 << 14)
def _label_words(label: str) -> frozenset[str]:
    return frozenset(words(label))


def _names_its_sector(skill: Skill, text_words: frozenset[str]) -> bool:
    """Whether the competency's text names what a sector variant adds to its general skill (a
    skill that is no variant had no penalty to regain)."""
    if not skill.broader_label:
        return False
    added = _label_words(skill.preferred_label) - _label_words(skill.broader_label)
    return bool(added) and added <= text_words


def _relation(name: str, skill: Skill, score: float) -> str:
    name_words, label_words = set(words(name)), set(words(skill.preferred_label))
    if name_words == label_words or any(set(words(a)) == name_words for a in skill.alt_labels) or score >= EXACT_FROM:
        return "exact"
    if score >= CLOSE_FROM:
        return "close"
    if label_words and name_words and label_words < name_words:
        return "broad"  # the skill's label says less: it is broader than the competency
    if label_words and name_words and name_words < label_words:
        return "narrow"
    return "related"


def read_reviewed(path: Path = REVIEWED) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _with_reviewed(rows: list[dict], known: set[str]) -> list[dict]:
    """Reviewed anchors replace every computed one of their competency ('none': no anchor)."""
    reviewed: dict[str, list[dict]] = {}
    for r in read_reviewed():
        if r["competency_id"] in known:
            reviewed.setdefault(r["competency_id"], [])
            if r["esco_uri"] != "none":
                reviewed[r["competency_id"]].append(dict(competency_id=r["competency_id"], rank=len(reviewed[r["competency_id"]]) + 1,
                                                         esco_uri=r["esco_uri"], score=1.0, relation=r["relation"], method="reviewed",
                                                         reviewed=True))
    return [r for r in rows if r["competency_id"] not in reviewed] + [r for rs in reviewed.values() for r in rs]


def concept_rows(anchor_rows: list[dict]) -> list[dict]:
    """esco_concepts rows: the ESCO skills some competency is anchored to."""
    used = {r["esco_uri"] for r in anchor_rows}
    return [dict(esco_uri=s.uri, preferred_label=s.preferred_label, alt_labels="\n".join(s.alt_labels) or None, description=s.description or None,
                 skill_type=s.skill_type, transversal=s.transversal, broader_label=s.broader_label) for s in load_skills() if s.uri in used]

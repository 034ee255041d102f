"""Cross-vendor matching: which competency (and which role) of one vendor is which of another.

Deterministic and explainable, in the SKOS vocabulary O*NET-style crosswalks use:
- words are stemmed and mapped through a small thesaurus (pipeline/data/synonyms.csv:
  complaint ~ conflict ~ escalation, client ~ customer, ...),
- names are compared by TF-IDF cosine over name stems (a word every name has weighs little),
  the full text (name, definition, behaviors) by TF-IDF cosine over all stems,
- score = 0.5 * name similarity + 0.5 * text similarity, in [0, 1];
- relation: `exact` when the normalized names are equal, `broad`/`narrow` when one name's
  stems are a strict subset of the other's, `close` from 0.40, `related` from 0.12; below,
  no row.
Analysts review matches in pipeline/data/reviewed_matches.csv: a reviewed row replaces the
computed one (method 'reviewed'); relation 'none' there removes a computed match.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Set as AbstractSet
from pathlib import Path

REVIEWED = Path(__file__).resolve().parent / "data" / "reviewed_matches.csv"
SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms.csv"
METHOD = "name+text-tfidf/1"
NAME_WEIGHT = 0.5
CLOSE, RELATED = 0.4, 0.12
RELATIONS = ("exact", "close", "broad", "narrow", "related")

_STOP = set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "them", "they", "this", "to", "with", "within", "without", "all", "any", "able", "ability", "knowledge", "use", "using", "utilize", "other", "others", "such", "those", "these", "who", "whom"])
_WORD = re.compile(r"[a-z]+")
_LEVEL_MARK = re.compile(r"\b(?:i{1,3}|iv|v|vi{0,3}|[1-5]|sr|senior|jr|junior|lead|principal|entry|level)\b", re.I)


def stem(word: str) -> str:
    for suffix in ("ational", "ations", "ation", "ments", "ment", "ness", "ities", "ity", "ings", "ing", "ives", "ive", "ers", "er", "ies", "es", "s", "ed", "al"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _load_synonyms() -> dict[str, str]:
    out = {}
    with open(SYNONYMS, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                concept, words = line.strip().split(",", 1)
                out.update({w: concept for w in words.split()})
    return out


_TERMS: dict[str, str] = {}  # word -> its term (synonym concept or stem), "" for a word that is no term


def stems(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("de-escalat", "deescalat"))
    terms = _TERMS
    for w in words:
        if w not in terms:
            terms[w] = "" if w in _STOP or len(w) <= 1 else _SYNONYMS.get(w) or stem(w)
    return [t for t in map(terms.__getitem__, words) if t]


_SYNONYMS: dict[str, str] = {}


def jaccard(a: AbstractSet, b: AbstractSet) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


_SYNONYMS.update(_load_synonyms())


def _tfidf(docs: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    df = Counter(t for terms in docs.values() for t in set(terms))
    n = len(docs)
    vectors = {}
    for key, terms in docs.items():
        tf = Counter(terms)
        vec = {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t])) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[key] = {t: v / norm for t, v in vec.items()}
    return vectors


def _matrix(vectors: dict[str, dict[str, float]], ids: list[str]):
    """Rows of unit TF-IDF vectors, so that one matrix product gives all cosines of a vendor pair."""
    import numpy as np

    vocab = {t: k for k, t in enumerate(sorted({t for v in vectors.values() for t in v}))}
    m = np.zeros((len(ids), max(1, len(vocab))))
    for r, cid in enumerate(ids):
        for t, w in vectors[cid].items():
            m[r, vocab[t]] = w
    return m


def _relation(name_a: set, name_b: set, score: float) -> str | None:
    if name_a and name_a == name_b:
        return "exact"
    if name_a and name_b and (name_a < name_b or name_b < name_a) and score >= RELATED:
        return "broad" if name_b < name_a else "narrow"  # SKOS: left broadMatch right = right is broader
    if score >= CLOSE:
        return "close"
    if score >= RELATED:
        return "related"
    return None


def match_competencies(competencies: list[dict], behaviors: list[dict], reviewed_path: Path | None = REVIEWED) -> list[dict]:
    """competency_matches rows, one per cross-vendor pair (left vendor sorts before right)."""
    text: dict[str, list[str]] = {c["competency_id"]: stems(" ".join(filter(None, (c["name"], c["name"], c.get("definition"))))) for c in competencies}
    for b in behaviors:
        if b["competency_id"] in text:
            text[b["competency_id"]].extend(stems(b["text"]))
    names = {c["competency_id"]: set(stems(c["name"])) for c in competencies}
    ids = sorted(text)
    # Names are compared with IDF weights too: a word every name has ("customer") says little.
    text_m = _matrix(_tfidf(text), ids)
    name_m = _matrix(_tfidf({cid: sorted(ns) for cid, ns in names.items()}), ids)
    vendor_of = {c["competency_id"]: c["vendor"] for c in competencies}
    by_vendor: dict[str, list[int]] = {}
    for i, cid in enumerate(ids):
        by_vendor.setdefault(vendor_of[cid], []).append(i)
    rows: dict[tuple[str, str], dict] = {}
    vendors = sorted(by_vendor)
    for x, va in enumerate(vendors):
        for vb in vendors[x + 1:]:
            left_rows, right_rows = by_vendor[va], by_vendor[vb]
            scores = NAME_WEIGHT * (name_m[left_rows] @ name_m[right_rows].T) + (1 - NAME_WEIGHT) * (text_m[left_rows] @ text_m[right_rows].T)
            ii, jj = (scores >= RELATED - 1e-9).nonzero()
            for i, j, value in zip(ii.tolist(), jj.tolist(), scores[ii, jj].tolist()):  # Python numbers: no numpy scalar per pair
                la, lb = ids[left_rows[i]], ids[right_rows[j]]
                score = round(value, 4)
                relation = _relation(names[la], names[lb], score)
                if relation == "exact":
                    score = max(score, 0.9)
                if relation:
                    rows[(la, lb)] = dict(left_competency_id=la, right_competency_id=lb, relation=relation, score=score, method=METHOD)
    for r in read_reviewed(reviewed_path):
        key = tuple(sorted((r["left_competency_id"], r["right_competency_id"])))
        known = {c["competency_id"] for c in competencies}
        if not set(key) <= known:
            continue
        if r["relation"] == "none":
            rows.pop(key, None)
        else:
            rows[key] = dict(left_competency_id=key[0], right_competency_id=key[1], relation=r["relation"], score=1.0, method="reviewed")
    return [rows[k] for k in sorted(rows)]


def crosswalk_tables(competencies: list[dict], behaviors: list[dict], roles: list[dict], related_titles: list[dict]) -> tuple[dict, dict]:
    """competency_matches and role_matches as columns (a list per column: compact to send back
    from another process and to hold until written; a large catalog has 100,000s of pairs)."""
    from .schema import to_columns

    return to_columns("competency_matches", match_competencies(competencies, behaviors)), to_columns("role_matches", match_roles(roles, related_titles))


def read_reviewed(path: Path | None) -> list[dict]:
    if path is None or not Path(path).exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    for r in rows:
        if r["relation"] not in RELATIONS + ("none",):
            raise ValueError(f"{path}: relation {r['relation']!r} is not one of {RELATIONS + ('none',)}")
    return rows


def _title_key(title: str) -> set[str]:
    return set(stems(_LEVEL_MARK.sub(" ", title)))


def match_roles(roles: list[dict], related_titles: list[dict]) -> list[dict]:
    """role_matches rows: same title (exact), same title but for a level mark such as 'II'
    (close), or one role's example position naming the other's title (related)."""
    current: dict[str, dict] = {}
    for r in sorted(roles, key=lambda r: (r["role_id"], r["document_id"])):
        current.setdefault(r["role_id"], r)
    positions: dict[str, set[frozenset[str]]] = {}
    for t in related_titles:
        if t.get("role_id") and t["relation"] == "example_position":
            positions.setdefault(t["role_id"], set()).add(frozenset(_title_key(t["title"])))
    keys = {rid: frozenset(_title_key(r["title"])) for rid, r in current.items()}
    # Candidates only: roles of a later-sorting vendor sharing a title stem, a title, or an
    # example position with the title (an inverted index per vendor instead of every pair:
    # 10,000 roles are 50 million pairs, and a word like "manager" is in thousands of titles
    # of one vendor, none of which can match each other).
    index: dict[str, dict[object, set[str]]] = {}
    for rid, r in current.items():
        vendor_index = index.setdefault(r["vendor"], {})
        for k in (*keys[rid], ("title", r["title"].lower()), ("key", keys[rid])):
            vendor_index.setdefault(k, set()).add(rid)
        for p in positions.get(rid, ()):
            vendor_index.setdefault(("position", p), set()).add(rid)
    out = []
    for ra, a in current.items():
        ka = keys[ra]
        lookups = (*ka, ("title", a["title"].lower()), ("position", ka), *(("key", p) for p in positions.get(ra, ())))
        later = [vendor_index for vendor, vendor_index in index.items() if vendor > a["vendor"]]
        cands = set().union(*(vi.get(k, ()) for vi in later for k in lookups))
        for rb in cands:
            b = current[rb]
            kb = keys[rb]
            if a["title"].lower() == b["title"].lower():
                relation, score = "exact", 1.0
            elif ka and ka == kb:
                relation, score = "close", 0.9
            elif kb in positions.get(ra, ()) or ka in positions.get(rb, ()):
                relation, score = "related", 0.7
            elif jaccard(ka, kb) >= 0.6:
                relation, score = "related", round(0.6 * jaccard(ka, kb), 4)
            else:
                continue
            out.append(dict(left_role_id=ra, right_role_id=rb, relation=relation, score=score, method="title-stems/1"))
    out.sort(key=lambda m: (m["left_role_id"], m["right_role_id"]))
    return out

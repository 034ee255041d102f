"""Cross-vendor matching: which competency (and which role) of one vendor is which of another,
in the SKOS vocabulary O*NET-style crosswalks use.

Competencies are compared by meaning, with a sentence embedding (pipeline/embeddings.py) of
three texts each: the name, the name with the definition (its first behaviors when the page
gives none), the name with the behaviors; and by the mean of its behaviors' own vectors
(every behavior, where the third text is cut at the model's length: competency_vectors).
Two scores, each a weighted sum of cosines:
- nearness, of the raw vectors: a pair is a candidate from NEAR when it is among the BEST_OF
  of either competency at the other vendor. Competency texts share a vocabulary ("knowledge
  of and ability to ...", "customer", "management"), so raw cosines say that two competencies
  are of one domain rather than one construct;
- the score, of the vectors centered on the catalog's mean (`centered`): what is left once
  the shared vocabulary is taken away tells constructs apart. A candidate is close from
  STRONG, related from RELATED, no row below; from CONTAINED it is exact when the names have
  the same words, broad/narrow when one name's words are all in the other's, which adds its
  own (words, not a thesaurus: a shared generic word never makes a match by itself; names
  only: a competency shown without a name is compared by its definition, whose words say
  nothing of scope).
Shared ESCO anchors, a logistic combination of the cosines with other signals, borrowed
definitions for competencies shown with a name only, and more, were measured on the tuning half
and did not add to this score (docs/crosswalk.md; tools/crosswalk_study.py), so they are not used.
Roles are matched by their titles' stems (with a small thesaurus, pipeline/data/synonyms.csv:
client ~ customer, ...) and Caliper's example positions.
Analysts review matches in pipeline/data/reviewed_matches.csv: a reviewed row replaces the
computed one (method 'reviewed'); relation 'none' there removes a computed match.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Set as AbstractSet
from pathlib import Path

import numpy as np

from .enums import MATCH_RELATIONS
from .esco import behaviors_by_competency, name_and_definition
from .esco import words as name_words

REVIEWED = Path(__file__).resolve().parent / "data" / "reviewed_matches.csv"
SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms.csv"
METHOD = "minilm-name-definition-behaviors/3"
# Weights and thresholds chosen on the tuning half of the judged pairs
# (tests/fixtures/judged/crosswalk_pairs.csv; tools/evaluate.py). Weights of the name,
# name-with-definition, name-with-behaviors and mean-behavior cosines:
NEARNESS_WEIGHTS = (0.1, 0.2, 0.7, 0.0)  # the crosswalk's score before centering, kept for candidates
SCORE_WEIGHTS = (0.1, 0.2, 0.4, 0.3)
NEAR = 0.40
STRONG, CONTAINED, RELATED = 0.45, 0.30, 0.15
BEST_OF = 3  # a pair is kept when it is among the 3 best of either competency at the other vendor (chosen on the tuning half)
MEAN_PRIOR = 10  # the mean is the sum over this many more competencies than the catalog has: a small catalog's says little

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


def _relation(left: frozenset[str], right: frozenset[str], score: float) -> str | None:
    """The SKOS relation of two competencies from their similarity and their names' words. A
    name whose words are all in the other's, which adds its own, names the narrower of the
    two ("Communications" and "Written Communications"); the words themselves, not a
    thesaurus (escalation handling is no kind of conflict handling)."""
    if score < RELATED:
        return None
    if score >= CONTAINED and left and left == right:
        return "exact"
    if score >= CONTAINED and left and right and left < right:
        return "narrow"  # SKOS: left broadMatch right = right is broader; here the right adds words: it is narrower
    if score >= CONTAINED and left and right and right < left:
        return "broad"
    return "close" if score >= STRONG else "related"


def competency_vectors(competencies: list[dict], behaviors: list[dict], cache) -> tuple[np.ndarray, ...]:
    """Four unit vectors per competency: its name's; its name with its definition's (or its
    first behaviors' when the page gives none: esco.query_texts); its name with its behaviors'
    (or its definition's when the page shows none); the mean of its behaviors' own vectors (its
    second vector when the page shows none)."""
    from .esco import query_texts

    by_competency = behaviors_by_competency(behaviors)
    lists = [by_competency.get(c["competency_id"], []) for c in competencies]
    texts = [query_texts(c, shown) for c, shown in zip(competencies, lists)]
    with_behaviors = [_with_behaviors(*name_and_definition(c), shown) for c, shown in zip(competencies, lists)]
    defined = cache.vectors([t[1] for t in texts])
    return cache.vectors([t[0] for t in texts]), defined, cache.vectors(with_behaviors), _mean_behavior(lists, defined, cache)


def centered(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors less what the catalog's share (their mean, shrunk toward none for a small
    catalog), made unit length again. A sentence model's vectors of one kind of text crowd
    into a narrow cone, so raw cosines of competencies run high and close together."""
    shifted = vectors - vectors.sum(axis=0) / (len(vectors) + MEAN_PRIOR)
    return shifted / np.maximum(np.linalg.norm(shifted, axis=1, keepdims=True), 1e-12)


def _mean_behavior(lists: list[list[str]], defined: np.ndarray, cache) -> np.ndarray:
    """Each competency's mean behavior vector, made unit length: what all its behaviors say,
    each embedded alone (a long list does not fit the model's length in one text); its second
    vector when the page shows no behavior."""
    means = cache.mean_vectors(lists)
    empty = np.array([not b for b in lists], dtype=bool)
    means[empty] = defined[empty]
    return means


def _with_behaviors(name: str, definition: str | None, behaviors: list[str]) -> str:
    """A competency's name with its first behaviors (or its definition when the page shows none)."""
    return f"{name}. {' '.join(behaviors[:8]) or definition or ''}".strip()


def match_competencies(competencies: list[dict], behaviors: list[dict], cache, reviewed_path: Path | None = REVIEWED) -> list[dict]:
    """competency_matches rows, one per cross-vendor pair (left vendor sorts before right) that
    is a candidate by nearness and whose score reaches RELATED; reviewed rows replace computed ones."""
    competencies = sorted(competencies, key=lambda c: c["competency_id"])
    raw = competency_vectors(competencies, behaviors, cache)
    distinct = tuple(centered(v) for v in raw)
    ids = [c["competency_id"] for c in competencies]
    words = [frozenset(name_words(c["name"] or "")) for c in competencies]
    by_vendor: dict[str, list[int]] = {}
    for i, c in enumerate(competencies):
        by_vendor.setdefault(c["vendor"], []).append(i)
    rows: dict[tuple[str, str], dict] = {}
    vendors = sorted(by_vendor)
    for x, va in enumerate(vendors):
        for vb in vendors[x + 1:]:
            left, right = by_vendor[va], by_vendor[vb]
            nearness = _weighted(raw, NEARNESS_WEIGHTS, left, right)
            ii, jj = (_among_best(nearness) & (nearness >= NEAR - 1e-6)).nonzero()
            scores = _paired(distinct, SCORE_WEIGHTS, np.asarray(left)[ii], np.asarray(right)[jj])
            for i, j, value in zip(ii.tolist(), jj.tolist(), scores.tolist()):  # Python numbers: no numpy scalar per pair
                la, lb = left[i], right[j]
                relation = _relation(words[la], words[lb], value)
                if relation is not None:
                    rows[(ids[la], ids[lb])] = dict(left_competency_id=ids[la], right_competency_id=ids[lb], relation=relation,
                                                    score=round(min(1.0, value), 4), method=METHOD)
    _apply_reviewed(rows, set(ids), reviewed_path)
    return [rows[k] for k in sorted(rows)]


def _paired(vectors: tuple[np.ndarray, ...], weights: tuple[float, ...], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The weighted sum of the cosines of each kind of vector, of the pairs (left[k], right[k])
    only: the candidates are few beside every pair of two vendors."""
    out = np.zeros(len(left), dtype=np.float32)
    for weight, v in zip(weights, vectors):
        out += weight * np.einsum("ij,ij->i", v[left], v[right])
    return out


def _weighted(vectors: tuple[np.ndarray, ...], weights: tuple[float, ...], left: list[int], right: list[int]) -> np.ndarray:
    """The weighted sum of the cosines of each kind of vector, left competencies by right."""
    out = np.zeros((len(left), len(right)), dtype=np.float32)
    for weight, v in zip(weights, vectors):
        if weight:
            out += weight * (v[left] @ v[right].T)
    return out


def _among_best(scores: np.ndarray) -> np.ndarray:
    """Pairs among the BEST_OF highest scores of their row or of their column: each competency's
    nearest counterparts at the other vendor. In a catalog of look-alike competencies most
    pairs pass RELATED, and a row for each would list everything against everything."""
    k_rows, k_cols = min(BEST_OF, scores.shape[1]), min(BEST_OF, scores.shape[0])
    if not scores.size:
        return np.zeros(scores.shape, dtype=bool)
    row_cut = -np.partition(-scores, k_rows - 1, axis=1)[:, k_rows - 1:k_rows]
    col_cut = -np.partition(-scores, k_cols - 1, axis=0)[k_cols - 1:k_cols, :]
    return (scores >= row_cut) | (scores >= col_cut)


def _apply_reviewed(rows: dict[tuple[str, str], dict], known: set[str], reviewed_path: Path | None) -> None:
    for r in read_reviewed(reviewed_path):
        key = tuple(sorted((r["left_competency_id"], r["right_competency_id"])))
        if not set(key) <= known:
            continue
        if r["relation"] == "none":
            rows.pop(key, None)
        else:
            rows[key] = dict(left_competency_id=key[0], right_competency_id=key[1], relation=r["relation"], score=1.0, method="reviewed")


def crosswalk_tables(competencies: list[dict], behaviors: list[dict], roles: list[dict], related_titles: list[dict]) -> tuple[dict, ...]:
    """competency_matches, role_matches, competency_esco and esco_concepts as columns (a list per
    column: compact to send back from another process and to hold until written; a large
    catalog has 100,000s of pairs). Sentence vectors come from (and new ones go to) the
    embedding cache."""
    from . import esco
    from .embeddings import EmbeddingCache
    from .rows import columns_of

    cache = EmbeddingCache()
    anchors = esco.anchors(competencies, behaviors, cache)
    matches = match_competencies(competencies, behaviors, cache)
    cache.save()
    return (columns_of("competency_matches", matches), columns_of("role_matches", match_roles(roles, related_titles)),
            columns_of("competency_esco", anchors), columns_of("esco_concepts", esco.concept_rows(anchors)))


def read_reviewed(path: Path | None) -> list[dict]:
    if path is None or not Path(path).exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    for r in rows:
        if r["relation"] not in MATCH_RELATIONS + ("none",):
            raise ValueError(f"{path}: relation {r['relation']!r} is not one of {MATCH_RELATIONS + ('none',)}")
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

"""Does a signal add to the crosswalk's score? Measured on the tuning half of the judged pairs.

    python tools/crosswalk_study.py [--catalog FILE] [--split tuning]

Scores every judged pair of the split that is a candidate of the crosswalk by nearness (raw
vectors, NEAR) with the committed score (pipeline/crosswalk.py) and with other signals, then
prints for each, over those candidates, the area under the ROC curve (the chance that a related
pair outscores an unrelated one; strong pairs against the rest) and, for logistic combinations
of the score with other signals (numpy, L2, standardized features), the same area under 10-fold
cross-validation on the split, mean of 5 random fold assignments: a combination that adds
nothing scores at or under the score alone. Last, how many of the first k candidates by score
the judge related, the frontier any threshold on the score can reach.

Signals: the four centered cosines the score sums; the raw nearness; shared ESCO anchors (of the
top 3); the cosine of two competencies' similarity profiles over the ESCO skills (each
competency's 50 nearest skills); the gap to each competency's best counterpart at the other
vendor and its rank there; the Jaccard of the names' words; CSLS (cross-domain similarity local
scaling, the usual remedy for hub competencies near everything); the best path through a
competency of a third vendor.

Builds the catalog of raw/ and tests/fixtures/real/ unless given one (tools/evaluate.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import evaluate  # noqa: E402

from pipeline import crosswalk, esco  # noqa: E402
from pipeline.embeddings import EmbeddingCache  # noqa: E402


def auc(x: np.ndarray, y: np.ndarray) -> float:
    pos, neg = x[y], x[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Weights (the last one the intercept) by Newton's method with an L2 penalty."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    penalty = l2 * np.eye(x1.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x1 @ w))
        w -= np.linalg.solve(x1.T @ (x1 * (p * (1 - p))[:, None]) + penalty, x1.T @ (p - y) + penalty @ w)
    return w


def cross_validated_auc(x: np.ndarray, y: np.ndarray, folds: int = 10, seeds: int = 5) -> float:
    out = []
    for seed in range(seeds):
        fold = np.random.default_rng(seed).integers(0, folds, len(y))
        predicted = np.zeros(len(y))
        for f in range(folds):
            train, test = fold != f, fold == f
            mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
            w = fit_logistic((x[train] - mean) / scale, y[train].astype(float))
            predicted[test] = np.hstack([(x[test] - mean) / scale, np.ones((test.sum(), 1))]) @ w
        out.append(auc(predicted, y))
    return float(np.mean(out))


def signals(competencies: list[dict], behaviors: list[dict], anchors: list[dict]) -> tuple[dict[str, np.ndarray], dict[str, int], np.ndarray]:
    """Competency-by-competency matrices of every signal, the index of each id, the nearness."""
    cache = EmbeddingCache()
    competencies = sorted(competencies, key=lambda c: c["competency_id"])
    raw = crosswalk.competency_vectors(competencies, behaviors, cache)
    centered = [crosswalk.centered(v) for v in raw]
    n = len(competencies)
    vendor = np.array([c["vendor"] for c in competencies])
    near = sum(w * (v @ v.T) for w, v in zip(crosswalk.NEARNESS_WEIGHTS, raw))
    score = sum(w * (v @ v.T) for w, v in zip(crosswalk.SCORE_WEIGHTS, centered))
    out: dict[str, np.ndarray] = {"score": score, "nearness": near}
    out.update({f"centered cosine {k} ({name})": v @ v.T for k, (name, v) in enumerate(zip(("name", "definition", "behaviors", "mean behavior"), centered))})
    top: dict[str, set[str]] = {}
    for r in anchors:
        top.setdefault(r["competency_id"], set()).add(r["esco_uri"])
    ids = [c["competency_id"] for c in competencies]
    out["shared ESCO anchors"] = np.array([[len(top.get(a, set()) & top.get(b, set())) for b in ids] for a in ids], dtype=float)
    by = esco.behaviors_by_competency(behaviors)
    texts = [esco.query_texts(c, by.get(c["competency_id"], [])) for c in competencies]
    profile = esco.similarity(cache.vectors([t[0] for t in texts]), cache.vectors([t[1] for t in texts]))
    profile = np.where(profile >= np.sort(profile, axis=1)[:, -50:-49], profile, 0.0)
    profile /= np.linalg.norm(profile, axis=1, keepdims=True)
    out["ESCO profile cosine"] = profile @ profile.T
    gap, rank, local = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n))
    for v in set(vendor):
        cols = vendor == v
        sub = score[:, cols]
        gap[:, cols] = sub - sub.max(axis=1, keepdims=True)
        rank[:, cols] = (sub[:, None, :] > sub[:, :, None]).sum(axis=2)
        local[:, cols] = np.sort(sub, axis=1)[:, -10:].mean(axis=1, keepdims=True)  # each competency's mean of its 10 best at vendor v
    out["gap to the best (larger side)"] = np.maximum(gap, gap.T)
    out["gap to the best (smaller side)"] = np.minimum(gap, gap.T)
    out["rank at the other vendor (worse side)"] = -np.maximum(np.minimum(rank, 5), np.minimum(rank, 5).T)
    out["CSLS (k=10, half the local means)"] = 2 * score - 0.5 * (local + local.T)
    words = [frozenset(esco.words(c["name"] or "")) for c in competencies]
    out["Jaccard of the names' words"] = np.array([[len(a & b) / len(a | b) if a and b else 0.0 for b in words] for a in words])
    path = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            third = (vendor != vendor[i]) & (vendor != vendor[j])
            path[i, j] = np.max(np.minimum(score[i, third], score[third, j])) if third.any() else 0.0
    out["best path through a third vendor"] = path
    return out, {c: k for k, c in enumerate(ids)}, near


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", type=Path)
    ap.add_argument("--split", choices=("tuning", "heldout", "all"), default="tuning")
    args = ap.parse_args()
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(args.catalog or evaluate.build_catalog(Path(tmp) / "out")), read_only=True)

        def rows(sql: str) -> list[dict]:
            cursor = con.execute(sql)
            return [dict(zip([d[0] for d in cursor.description], r)) for r in cursor.fetchall()]

        competencies, behaviors, anchors = rows("SELECT * FROM competencies"), rows("SELECT * FROM behaviors"), rows("SELECT * FROM competency_esco")
        con.close()
    matrices, index, near = signals(competencies, behaviors, anchors)
    pairs = [(index[a], index[b], rel) for (a, b), rel in evaluate.judged_pairs(args.split).items()
             if a in index and b in index and near[index[a], index[b]] >= crosswalk.NEAR - 1e-6]
    related = np.array([rel != "none" for _, _, rel in pairs])
    strong = np.array([rel in evaluate.STRONG for _, _, rel in pairs])
    column: Callable[[str], np.ndarray] = lambda name: np.array([matrices[name][i, j] for i, j, _ in pairs])  # noqa: E731
    print(f"{args.split} half: {len(pairs)} judged candidates, {related.sum()} related, {strong.sum()} strong")
    print(f"{'signal':40s} {'AUC related':>11s} {'AUC strong':>10s}")
    for name in matrices:
        print(f"{name:40s} {auc(column(name), related):11.3f} {auc(column(name), strong):10.3f}")
    print("logistic combinations, 10-fold cross-validated on the split:")
    cosines = [n for n in matrices if n.startswith("centered")]
    combinations = [["score"], cosines] + [["score", n] for n in matrices if n != "score" and n not in cosines] + [list(matrices)]
    for names in combinations:
        x = np.column_stack([column(n) for n in names])
        label = "the four centered cosines" if names == cosines else f"all {len(names)} signals" if len(names) == len(matrices) else " + ".join(names)
        print(f"  {label[:78]:78s} {cross_validated_auc(x, related):.3f} {cross_validated_auc(x, strong):.3f}")
    order = np.argsort(-column("score"), kind="stable")
    hits = np.cumsum(related[order])
    print("related among the first k candidates by score: " + ", ".join(f"{k}: {hits[k - 1]}" for k in (60, 70, 80, 90, 100) if k <= len(hits))
          + f" (of {sum(rel != 'none' for rel in evaluate.judged_pairs(args.split).values())} related pairs judged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

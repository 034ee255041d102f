"""How right is the crosswalk, and the ESCO anchoring, on competencies it was not tuned on?

    python tools/evaluate.py [--split heldout|tuning|all] [--catalog FILE] [--json] [--details]

Builds a catalog of raw/ and tests/fixtures/real/ (real pages of the four vendors), unless
given one, and scores it against the hand-judged sets in tests/fixtures/judged/:
- crosswalk_pairs.csv: cross-vendor competency pairs with the relation a judge gave (how they
  were chosen and judged: its header and JUDGING_PAIRS.md);
- esco_anchors.csv: competencies with the ESCO concepts a judge would anchor them to, or none
  (JUDGING_ESCO.md).
Both were split once at random into a tuning half and a held-out half before any tuning; the
figures that count are the held-out half's. Each figure comes with its 95% Wilson interval.

Strong relations are exact, close, broad and narrow. A predicted strong row is right when the
judge gave a strong relation, the direction of a containment agreeing (broad for broad, narrow
for narrow); all rows: a predicted row of any relation is right when the judge gave any
relation but none. Precision counts the predicted rows among judged pairs (rows on pairs
nobody judged are counted apart); recall, the judged pairs the crosswalk found.
ESCO top-1 (top-3): the competency's first (first three) anchors hold a concept the judge
chose; a competency the judge anchored to none is right when it has no anchor.
How far two judges agree (second_judge.csv: a blind second judgement of every related pair and
of 150 pairs judged none) is printed after: the second judge scored as a matcher against the
first, by the same rules, shows how much of a matcher's disagreement with the labels careful
judges share.
--details lists every error of the split after the figures: each judged pair the crosswalk got
wrong (a strong relation missed or given to a pair judged weaker, a containment the other way
round, a row on a pair judged none, a related pair missed) and each judged competency whose
first ESCO anchor is not one the judge chose. Study the tuning half's, not the held-out half's.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "fixtures" / "judged"
CORPUS = (ROOT / "raw", ROOT / "tests" / "fixtures" / "real")
STRONG = ("exact", "close", "broad", "narrow")


@dataclass
class Ratio:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else float("nan")

    def interval(self, z: float = 1.96) -> tuple[float, float]:
        """Wilson score interval."""
        n = self.total
        if not n:
            return float("nan"), float("nan")
        p = self.hits / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)

    def text(self) -> str:
        low, high = self.interval()
        return f"{self.value:.2f} [{low:.2f}, {high:.2f}] ({self.hits}/{self.total})"


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def judged_pairs(split: str) -> dict[tuple[str, str], str]:
    return {(r["left"], r["right"]): r["relation"] for r in _rows(JUDGED / "crosswalk_pairs.csv") if split in ("all", r["split"])}


def judged_anchors(split: str) -> dict[str, set[str]]:
    """competency -> the ESCO URIs a judge accepts (empty: none)."""
    out: dict[str, set[str]] = {}
    for r in _rows(JUDGED / "esco_anchors.csv"):
        if split in ("all", r["split"]):
            out.setdefault(r["competency_id"], set())
            if r["esco_uri"] != "none":
                out[r["competency_id"]].add(r["esco_uri"])
    return out


def _strong_right(predicted: str, judged: str) -> bool:
    if judged not in STRONG:
        return False
    containment = {"broad", "narrow"}
    return not (predicted in containment and judged in containment and predicted != judged)


def crosswalk_scores(con, split: str) -> dict:
    judged = judged_pairs(split)
    predicted = {(a, b): rel for a, b, rel in con.execute("SELECT left_competency_id, right_competency_id, relation FROM competency_matches").fetchall()}
    in_judged = {k: v for k, v in predicted.items() if k in judged}
    strong_pred = {k: v for k, v in in_judged.items() if v in STRONG}
    strong_true = [k for k, v in judged.items() if v in STRONG]
    any_true = [k for k, v in judged.items() if v != "none"]
    return {
        "pairs judged": len(judged),
        "strong precision": Ratio(sum(_strong_right(v, judged[k]) for k, v in strong_pred.items()), len(strong_pred)),
        "strong recall": Ratio(sum(1 for k in strong_true if k in strong_pred and _strong_right(strong_pred[k], judged[k])), len(strong_true)),
        "all rows precision": Ratio(sum(judged[k] != "none" for k in in_judged), len(in_judged)),
        "all rows recall": Ratio(sum(1 for k in any_true if k in in_judged), len(any_true)),
        "rows on pairs not judged": sum(1 for k in predicted if k not in judged_pairs("all")),
    }


def _kind(predicted: str, judged: str) -> str | None:
    """What is wrong with a crosswalk row (or its absence, 'none') against the judged relation."""
    if judged in STRONG:
        if predicted in STRONG:
            return None if _strong_right(predicted, judged) else "containment reversed"
        return "strong missed" if predicted == "none" else "strong judged, related given"
    if judged == "related":
        return "strong given, related judged" if predicted in STRONG else "related missed" if predicted == "none" else None
    return None if predicted == "none" else "row on a pair judged none"


def crosswalk_errors(con, split: str) -> list[dict]:
    """Every judged pair of the split whose crosswalk row (or its absence) disagrees with the judge,
    highest score first (pairs without a row last)."""
    names = dict(con.execute("SELECT competency_id, coalesce(name, '(no name)') FROM competencies").fetchall())
    rows = {(a, b): (rel, score) for a, b, rel, score in con.execute(
        "SELECT left_competency_id, right_competency_id, relation, score FROM competency_matches").fetchall()}
    out = []
    for (a, b), judged in judged_pairs(split).items():
        predicted, score = rows.get((a, b), ("none", None))
        kind = _kind(predicted, judged)
        if kind and a in names and b in names:
            out.append(dict(kind=kind, left=a, right=b, left_name=names[a], right_name=names[b], judged=judged, predicted=predicted, score=score))
    return sorted(out, key=lambda e: (e["score"] is None, -(e["score"] or 0.0), e["left"], e["right"]))


def esco_errors(con, split: str) -> list[dict]:
    """Every judged competency of the split whose first ESCO anchor the judge did not choose (or that
    has anchors where the judge chose none), with its anchors' and the accepted concepts' labels."""
    from pipeline.esco import load_skills

    labels = {s.uri: s.preferred_label for s in load_skills()}
    names = dict(con.execute("SELECT competency_id, coalesce(name, '(no name)') FROM competencies").fetchall())
    anchors: dict[str, list[str]] = {}
    for cid, uri in con.execute("SELECT competency_id, esco_uri FROM competency_esco ORDER BY competency_id, rank").fetchall():
        anchors.setdefault(cid, []).append(uri)
    out = []
    for cid, ok in sorted(judged_anchors(split).items()):
        got = anchors.get(cid, [])
        if cid in names and (bool(got) != bool(ok) or (got and got[0] not in ok)):
            out.append(dict(competency_id=cid, name=names[cid], anchors=[(labels.get(u, u), u in ok) for u in got],
                            accepted=sorted(labels.get(u, u) for u in ok)))
    return out


def esco_scores(con, split: str) -> dict:
    judged = judged_anchors(split)
    anchors: dict[str, list[str]] = {}
    for cid, uri in con.execute("SELECT competency_id, esco_uri FROM competency_esco ORDER BY competency_id, rank").fetchall():
        anchors.setdefault(cid, []).append(uri)
    known = {r[0] for r in con.execute("SELECT competency_id FROM competencies").fetchall()}

    def right(cid: str, k: int) -> bool:
        got, ok = anchors.get(cid, [])[:k], judged[cid]
        return not got if not ok else bool(set(got) & ok)

    scored = [cid for cid in judged if cid in known]
    return {
        "competencies judged": len(scored),
        "ESCO top-1": Ratio(sum(right(c, 1) for c in scored), len(scored)),
        "ESCO top-3": Ratio(sum(right(c, 3) for c in scored), len(scored)),
    }


def build_catalog(out: Path) -> Path:
    from pipeline.ingest import ingest

    ingest([str(p) for p in CORPUS], out, workers=1)
    return out / "catalog.duckdb"


def evaluate(catalog: Path | None, split: str, details: bool = False) -> dict:
    """The split's figures; with details, also its errors (under 'crosswalk errors' and 'ESCO errors')."""
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        db = catalog or build_catalog(Path(tmp) / "out")
        con = duckdb.connect(str(db), read_only=True)
        try:
            scores = crosswalk_scores(con, split)
            has_esco = (JUDGED / "esco_anchors.csv").exists() and con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'competency_esco'").fetchone()[0]
            if has_esco:
                scores.update(esco_scores(con, split))
            if details:
                scores["crosswalk errors"] = crosswalk_errors(con, split)
                scores["ESCO errors"] = esco_errors(con, split) if has_esco else []
        finally:
            con.close()
    return scores


def print_errors(scores: dict) -> None:
    crosswalk, anchors = scores.get("crosswalk errors", []), scores.get("ESCO errors", [])
    counts = Counter(e["kind"] for e in crosswalk)
    print(f"crosswalk errors ({', '.join(f'{k}: {n}' for k, n in counts.most_common()) or 'none'}):")
    for e in crosswalk:
        score = "  -  " if e["score"] is None else f"{e['score']:.3f}"
        print(f"  {e['kind']:28s} judged {e['judged']:7s} given {e['predicted']:7s} {score}  "
              f"{e['left']} ({e['left_name']}) | {e['right']} ({e['right_name']})")
    print(f"ESCO errors (first anchor not chosen by the judge: {len(anchors)}):")
    for e in anchors:
        got = "; ".join(f"{label}{' (accepted)' if ok else ''}" for label, ok in e["anchors"]) or "no anchor"
        print(f"  {e['competency_id']} ({e['name']}): {got}  [judge: {'; '.join(e['accepted']) or 'none'}]")


def judge_agreement() -> dict:
    """The second judge scored against the first as a matcher is (both splits: labels, not
    tuning). The sample holds every pair the first judge related and some it judged none: a
    sampled none pair stands for `weight` of them in every figure that counts none pairs (the
    share given the same relation, and a strong relation the second judge gave to one)."""
    first = judged_pairs("all")
    second = {(r["left"], r["right"]): r["relation"] for r in _rows(JUDGED / "second_judge.csv")}
    pairs = [(first[k], rel) for k, rel in second.items()]
    weight = sum(1 for rel in first.values() if rel == "none") / max(1, sum(1 for a, _ in pairs if a == "none"))

    def w(a: str) -> float:
        return weight if a == "none" else 1.0

    same = sum(w(a) for a, b in pairs if a == b) / sum(w(a) for a, _ in pairs)
    related = [(a, b) for a, b in pairs if a != "none"]
    strong_said = sum(w(a) for a, b in pairs if b in STRONG)
    strong_right = sum(1 for a, b in pairs if b in STRONG and _strong_right(b, a))
    return {
        "pairs judged twice": len(pairs),
        "same relation, all pairs": f"{same:.2f} (the sampled none pairs weighted back)",
        "same relation, related pairs": Ratio(sum(1 for a, b in related if a == b), len(related)),
        "strong precision": f"{strong_right / strong_said:.2f} ({strong_right}/{strong_said:g}, none pairs weighted back)",
        "strong recall": Ratio(sum(1 for a, b in pairs if b in STRONG and _strong_right(b, a)), sum(1 for a, _ in pairs if a in STRONG)),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("heldout", "tuning", "all"), default="heldout")
    ap.add_argument("--catalog", type=Path, help="score this catalog instead of building one of raw/ and tests/fixtures/real/")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--details", action="store_true", help="list the split's errors after its figures (study the tuning half's)")
    args = ap.parse_args()
    scores = evaluate(args.catalog, args.split, details=args.details)
    if args.json:
        print(json.dumps({k: (dict(hits=v.hits, total=v.total, value=v.value, interval=v.interval()) if isinstance(v, Ratio) else v)
                          for k, v in scores.items()}, indent=1))
        return 0
    print(f"{args.split} half (95% Wilson intervals):")
    for name, value in scores.items():
        if name not in ("crosswalk errors", "ESCO errors"):
            print(f"  {name:26s} {value.text() if isinstance(value, Ratio) else value}")
    print("a second, blind judge scored as a matcher against the first:")
    for name, value in judge_agreement().items():
        print(f"  {name:26s} {value.text() if isinstance(value, Ratio) else value}")
    if args.details:
        print_errors(scores)
    return 0


if __name__ == "__main__":
    sys.exit(main())

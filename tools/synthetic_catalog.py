"""Write a SYNTHETIC catalog of many roles straight into the catalog schema, for the notebooks' scale tests.

    python tools/synthetic_catalog.py OUT_DIR --roles 10000 [--seed 7]

Generating and ingesting 10,000 pages (tools/corpus.py, then `compcat ingest`) takes minutes on
this machine; the notebooks only read the catalog, so this writes its tables directly, through
the real DDL and views (pipeline.load.write_catalog, then pipeline.views.create_views), in a
few seconds. Every value is made up (definitions and behaviors say SYNTHETIC), shaped like the
real catalog: Salary.com roles with job levels P01..P04 and M01..M05, a few shown competencies
each (some far more common than others) whose required level climbs with the job level, locked
placeholders, a tenth of the pages partial; salaries that grow with the level and, for some
competencies, with the competency; Kenexa (levels 1-4), NIH (1-5) and Caliper (no levels)
frameworks; a crosswalk of every relation; ESCO-like anchors. Same seed, same catalog.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DOMAINS, FUNCTIONS, KENEXA_LABELS, LEVELS, SALARY_LABELS, SKILLS, TOPICS, VERBS  # noqa: E402

JOB_LEVELS = ["P01", "P02", "P03", "P04", "M01", "M02", "M03", "M04", "M05"]
JOB_LEVEL_SHARE = [0.2, 0.22, 0.18, 0.1, 0.1, 0.08, 0.06, 0.04, 0.02]
NIH_LABELS = ["Fundamental Awareness", "Novice", "Intermediate", "Advanced", "Expert"]
RELATIONS = ["exact", "close", "broad", "narrow", "related"]


def _behavior(name: str, level: int, k: int) -> str:
    return f"{VERBS[min(level, 5)][k % 5]} {name.lower()} activities to meet level {level} expectations (synthetic behavior {k + 1})."


def _competency_rows(vendor: str, names: list[str], labels: list[str] | None, family: str | None) -> dict[str, pd.DataFrame]:
    ids = [f"{vendor}:{n.lower().replace(' ', '-')}" for n in names]
    comps = pd.DataFrame({"competency_id": ids, "vendor": vendor, "name": names, "family": family,
                          "definition": [f"SYNTHETIC. Knowledge of {n.lower()} practices and the ability to apply them." for n in names],
                          "category": "general" if vendor == "salary_com" else None})
    levels, behaviors = [], []
    for cid, name in zip(ids, names):
        for lv, label in enumerate(labels or [], start=1):
            levels.append((cid, lv, label))
            behaviors += [(cid, lv, _behavior(name, lv, k), k + 1, f"synthetic-{vendor}") for k in range(2)]
    document = pd.DataFrame({"document_id": [f"synthetic-{vendor}"], "path": [f"synthetic/{vendor}/framework.html"], "vendor": vendor,
                             "format": "html", "status": "ok", "title": f"SYNTHETIC {vendor} framework", "title_source": "heading",
                             "parser_version": "synthetic", "file_modified_at": pd.Timestamp("2026-11-01"), "load_id": "synthetic"})
    return {"documents": document, "competencies": comps, "competency_levels": pd.DataFrame(levels, columns=["competency_id", "level", "label"]),
            "behaviors": pd.DataFrame(behaviors, columns=["competency_id", "level", "text", "seq", "document_id"])}


def frameworks(rng: np.random.Generator) -> dict[str, dict[str, pd.DataFrame]]:
    pool = sorted({f"{t} {s}" for t in TOPICS for s in SKILLS})
    rng.shuffle(pool)
    return {"salary_com": _competency_rows("salary_com", pool, SALARY_LABELS, None),
            "kenexa": _competency_rows("kenexa", pool[:300], KENEXA_LABELS, None),
            "nih": _competency_rows("nih", pool[300:330], NIH_LABELS, None),
            "caliper": _competency_rows("caliper", pool[330:380], None, "Managing Process")}


def roles(rng: np.random.Generator, n: int, salary_ids: list[str]) -> dict[str, pd.DataFrame]:
    titles = [f"{d} {f} {lv}" for d in DOMAINS for f in FUNCTIONS for lv in LEVELS]
    rng.shuffle(titles)
    level_rank = rng.choice(len(JOB_LEVELS), size=n, p=JOB_LEVEL_SHARE)
    partial = rng.random(n) < 0.1
    popularity = 1 / np.arange(1, len(salary_ids) + 1) ** 0.9  # a few competencies on many roles, most on few
    popularity /= popularity.sum()
    premium = np.where(rng.random(len(salary_ids)) < 0.1, rng.normal(0, 0.12, len(salary_ids)), 0)
    role_ids = [f"salary_com:role-{i:05d}" for i in range(n)]
    doc_ids = [f"synthetic-{i:05d}" for i in range(n)]
    rc, counts, log_pay = [], [], np.log(48000) + 0.17 * level_rank + rng.normal(0, 0.15, n)
    for i in range(n):
        shown = 1 if partial[i] else int(rng.integers(2, 7))
        picked = rng.choice(len(salary_ids), size=shown, replace=False, p=popularity)
        for rank, c in enumerate(picked, start=1):
            req = int(np.clip(round(1 + 0.45 * level_rank[i] + rng.normal(0, 0.8)), 1, 5))
            rc.append((role_ids[i], salary_ids[c], salary_ids[c].split(":")[1].replace("-", " ").title(), "general", rank, req,
                       25.0 * (req - 1), None, "shown", doc_ids[i]))
            log_pay[i] += premium[c] + 0.02 * (req - 3)
        for rank in range(shown + 1, 6):
            rc.append((role_ids[i], None, None, "general", rank, None, None, rank, "locked", doc_ids[i]))
        counts.append((role_ids[i], "general", int(rng.integers(shown + 3, 20)), shown, doc_ids[i]))
    base = np.round(np.exp(log_pay), -2)
    return {
        "documents": pd.DataFrame({"document_id": doc_ids, "path": [f"synthetic/salary_com/{i:05d}.html" for i in range(n)], "vendor": "salary_com",
                                   "format": "html", "status": np.where(partial, "partial", "ok"), "title": titles[:n], "title_source": "heading",
                                   "parser_version": "synthetic", "file_modified_at": pd.Timestamp("2026-11-01"), "load_id": "synthetic"}),
        "roles": pd.DataFrame({"role_id": role_ids, "vendor": "salary_com", "title": titles[:n], "job_code": [f"SY{i:06d}" for i in range(n)],
                               "job_level": [JOB_LEVELS[k] for k in level_rank], "declared_skills_total": [c[2] for c in counts], "document_id": doc_ids}),
        "salaries": pd.concat([pd.DataFrame({"role_id": role_ids, "kind": kind, "percentile": 50, "amount": base * factor, "currency": "USD",
                                             "document_id": doc_ids}) for kind, factor in (("base", 1.0), ("total", 1.12))]),
        "role_competencies": pd.DataFrame(rc, columns=["role_id", "competency_id", "competency_name", "category", "rank", "required_level",
                                                       "required_level_normalized", "displayed_level", "visibility", "document_id"]),
        "role_skill_counts": pd.DataFrame(counts, columns=["role_id", "category", "declared", "extracted", "document_id"]),
    }


def crosswalk(rng: np.random.Generator, fw: dict) -> dict[str, pd.DataFrame]:
    salary = fw["salary_com"]["competencies"]["competency_id"].tolist()
    rows = []
    for vendor in ("caliper", "kenexa", "nih"):
        for k, cid in enumerate(fw[vendor]["competencies"]["competency_id"]):
            same = f"salary_com:{cid.split(':')[1]}"
            rows.append((cid, same, "exact" if k % 3 == 0 else "close", round(0.6 + 0.3 * rng.random(), 4), "synthetic"))
            for other in rng.choice(salary, size=int(rng.integers(0, 5)), replace=False):
                if other != same:
                    rows.append((cid, other, str(rng.choice(RELATIONS[2:])), round(0.4 + 0.2 * rng.random(), 4), "synthetic"))
    matches = pd.DataFrame(rows, columns=["left_competency_id", "right_competency_id", "relation", "score", "method"])
    concepts = pd.DataFrame({"esco_uri": [f"http://example.org/synthetic-esco/{k}" for k in range(len(SKILLS))],
                             "preferred_label": [f"{s.lower()} (synthetic concept)" for s in SKILLS], "transversal": False})
    all_ids = pd.concat([f["competencies"] for f in fw.values()])
    anchors = pd.DataFrame({"competency_id": all_ids["competency_id"], "rank": 1,
                            "esco_uri": [f"http://example.org/synthetic-esco/{SKILLS.index(n.split(' ', 1)[1])}" for n in all_ids["name"]],
                            "score": 0.6, "relation": "close", "method": "synthetic", "reviewed": False})
    return {"competency_matches": matches.drop_duplicates(["left_competency_id", "right_competency_id"]), "esco_concepts": concepts,
            "competency_esco": anchors}


def build(out: Path, n_roles: int, seed: int = 7) -> Path:
    """Write the catalog under `out` (as an ingest would) and return its catalog.duckdb."""
    import duckdb

    from pipeline.load import write_catalog
    from pipeline.views import create_views

    rng = np.random.default_rng(seed)
    write_catalog(out, "synthetic")  # an empty catalog
    fw = frameworks(rng)
    tables: dict[str, list[pd.DataFrame]] = {}
    for part in [*fw.values(), roles(rng, n_roles, fw["salary_com"]["competencies"]["competency_id"].tolist()), crosswalk(rng, fw)]:
        for name, frame in part.items():
            tables.setdefault(name, []).append(frame)
    scale = [(v, lv, label) for v, labels in (("salary_com", SALARY_LABELS), ("kenexa", KENEXA_LABELS), ("nih", NIH_LABELS))
             for lv, label in enumerate(labels, start=1)]
    tables["scale_levels"] = [pd.DataFrame(scale, columns=["vendor", "level", "label"])]
    con = duckdb.connect(str(out / "catalog.duckdb"))
    try:
        for name, frames in tables.items():
            frame = pd.concat(frames, ignore_index=True)  # noqa: F841 (read by name in the SQL below)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM frame")
        create_views(con)  # materialized views are computed at load: refresh them over the generated rows
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return out / "catalog.duckdb"


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--roles", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(f"wrote a synthetic catalog of {a.roles:,} roles to {build(a.out, a.roles, a.seed)}")

"""The cross-vendor crosswalk: its rules, determinism and review (measured against judged pairs in tests/test_evaluation.py)."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from conftest import RAW

from pipeline import crosswalk
from pipeline.cli import main


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("xwalk")
    main(["ingest", str(RAW), "--out", str(out), "--quiet"])
    return duckdb.connect(str(out / "catalog.duckdb"), read_only=True)


def _cache():
    from pipeline.embeddings import EmbeddingCache

    return EmbeddingCache()


def test_relations_and_scores(catalog):
    rows = dict(((a, b), (rel, score, method)) for a, b, rel, score, method in catalog.execute("SELECT * FROM competency_matches").fetchall())
    assert rows[("kenexa:customer-interaction", "salary_com:customer-interaction")][0] == "exact"
    assert rows[("kenexa:service-excellence", "salary_com:service-excellence")][0] == "exact"
    # Kenexa's accountability page has no name line: compared by its definition alone, it is
    # related to Caliper's Accountability, no longer exact (that took a name made from its file name).
    assert rows[("caliper:accountability", "kenexa:unnamed-1856d8dbafc6")][0] == "related"
    # A shared generic word ("management") makes no match by itself, and escalation handling is
    # no kind of conflict handling: related at most, never broad or narrow.
    assert ("caliper:conflict-management", "salary_com:customer-escalation-management") not in rows or \
        rows[("caliper:conflict-management", "salary_com:customer-escalation-management")][0] == "related"
    # Matches that share no words: a trait and the construct it serves.
    assert rows[("caliper:service-focus", "salary_com:customer-focus")][0] == "close"
    assert all(0 <= s <= 1 and m == crosswalk.METHOD for _, s, m in rows.values())
    assert all(a.split(":")[0] < b.split(":")[0] for a, b in rows)


def test_containment_comes_from_the_names_words_not_a_thesaurus():
    assert crosswalk._relation(frozenset({"communic"}), frozenset({"written", "communic"}), 0.35) == "narrow"
    assert crosswalk._relation(frozenset({"budget", "formul"}), frozenset({"budget"}), 0.35) == "broad"
    assert crosswalk._relation(frozenset({"conflict", "manag"}), frozenset({"custom", "escal", "manag"}), 0.35) == "related"
    assert crosswalk._relation(frozenset({"conflict", "manag"}), frozenset({"custom", "escal", "manag"}), 0.50) == "close"
    assert crosswalk._relation(frozenset({"account"}), frozenset({"account"}), 0.10) is None  # same stem, far apart in meaning: no row
    # A name's word in the other's with little else in common ("Communicating", "News Media
    # Communications"): related, not a part of it.
    assert crosswalk._relation(frozenset({"communic"}), frozenset({"news", "media", "communic"}), 0.25) == "related"
    assert crosswalk._relation(frozenset({"communic"}), frozenset({"communic"}), 0.25) == "related"


def test_a_competency_without_a_name_is_never_broader_or_narrower(catalog):
    unnamed = {r[0] for r in catalog.execute("SELECT competency_id FROM competencies WHERE name IS NULL").fetchall()}
    rows = catalog.execute("SELECT left_competency_id, right_competency_id, relation FROM competency_matches").fetchall()
    assert unnamed and any(unnamed & {a, b} for a, b, _ in rows)
    assert all(rel not in ("broad", "narrow", "exact") for a, b, rel in rows if unnamed & {a, b})


def test_centering_takes_away_what_the_catalogs_texts_share():
    rng = np.random.default_rng(5)
    shared = rng.normal(size=64)
    own = rng.normal(size=(200, 64))
    vectors = 3 * shared + own
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    raw = vectors @ vectors.T
    distinct = crosswalk.centered(vectors)
    cosines = distinct @ distinct.T
    off = ~np.eye(200, dtype=bool)
    assert raw[off].mean() > 0.8 and abs(cosines[off].mean()) < 0.1  # unrelated texts no longer look alike
    assert np.allclose(np.linalg.norm(distinct, axis=1), 1, atol=1e-5)
    # Two competencies alone are barely centered: the mean of a catalog that small says little.
    pair = vectors[:2]
    centered_pair = crosswalk.centered(pair)
    assert float(centered_pair[0] @ centered_pair[1]) > float(pair[0] @ pair[1]) - 0.1


def test_the_mean_behavior_vector_is_every_behaviors_and_the_definitions_without_any(monkeypatch, tmp_path):
    from pipeline import embeddings

    encoded = []

    def encode(texts):  # "plan..." points one way, anything else the other
        encoded.extend(texts)
        out = np.zeros((len(texts), embeddings.DIMENSIONS), dtype=np.float32)
        out[:, 0] = ["plan" in t for t in texts]
        out[:, 1] = ["plan" not in t for t in texts]
        return out

    monkeypatch.setattr(embeddings, "encode", encode)
    defined = np.zeros((3, embeddings.DIMENSIONS), dtype=np.float32)
    defined[:, :2] = [[0.6, 0.8], [1.0, 0.0], [0.0, 1.0]]
    lists = [["plans", "plans again", "talks"], [], ["talks"]]
    cache = embeddings.EmbeddingCache(tmp_path)
    got = crosswalk._mean_behavior(lists, defined, cache)
    assert np.allclose(got[:, :2], [[2 / 5 ** 0.5, 1 / 5 ** 0.5], [1.0, 0.0], [0.0, 1.0]], atol=1e-6) and not got[:, 2:].any()
    assert encoded == ["plans", "plans again", "talks", "talks"]
    # The cache keeps one vector per list of behaviors, not one per behavior, and the next
    # ingest (another process: the file) embeds nothing again.
    cache.save()
    again = embeddings.EmbeddingCache(tmp_path)
    assert np.array_equal(crosswalk._mean_behavior(lists, defined, again), got)
    assert len(encoded) == 4 and len(again) == 2
    # Lists embedded a few at a time (bounded memory) give the same vectors.
    monkeypatch.setattr(embeddings, "MEAN_LISTS_AT_ONCE", 1)
    assert np.array_equal(crosswalk._mean_behavior(lists, defined, embeddings.EmbeddingCache(tmp_path / "one_at_a_time")), got)


def test_a_shared_domain_is_related_not_close(catalog):
    # Customer service and customer relationship management share their domain's words: raw
    # vectors put them as near as one construct; centered, they are related.
    rows = dict(((a, b), rel) for a, b, rel in catalog.execute("SELECT left_competency_id, right_competency_id, relation FROM competency_matches").fetchall())
    assert rows[("kenexa:customer-service-management", "salary_com:customer-relationship-management")] == "related"
    assert rows[("kenexa:customer-interaction", "salary_com:customer-relations")] == "related"


def test_role_matching(catalog):
    assert catalog.execute("SELECT * FROM role_matches").fetchall() == [
        ("caliper:client-service-specialist", "salary_com:client-service-specialist-ii", "close", 0.9, "title-stems/1")]


def test_reviewed_matches_win(tmp_path):
    comps = [dict(competency_id="a:x", vendor="a", name="Customer Focus", definition="Puts customers first."),
             dict(competency_id="b:y", vendor="b", name="Customer Focus", definition="Customers come first."),
             dict(competency_id="b:z", vendor="b", name="Budgeting", definition="Plans money.")]
    reviewed = tmp_path / "reviewed.csv"
    reviewed.write_text("# reviewed\nleft_competency_id,right_competency_id,relation,reviewer,note\n"
                        "b:y,a:x,none,ana,different in context\na:x,b:z,related,ana,budget for service\n", encoding="utf-8")
    assert crosswalk.match_competencies(comps, [], _cache(), None)[0]["relation"] == "exact"
    assert crosswalk.match_competencies(comps, [], _cache(), reviewed) == [
        dict(left_competency_id="a:x", right_competency_id="b:z", relation="related", score=1.0, method="reviewed")]


def test_reviewed_file_with_a_bad_relation_is_an_error(tmp_path):
    bad = tmp_path / "reviewed.csv"
    bad.write_text("left_competency_id,right_competency_id,relation\na:x,b:y,same\n", encoding="utf-8")
    with pytest.raises(ValueError, match="relation 'same' is not one of"):
        crosswalk.read_reviewed(bad)


def test_crosswalk_is_deterministic(catalog):
    comps = [dict(zip(("competency_id", "vendor", "name", "definition"), r)) for r in catalog.execute("SELECT competency_id, vendor, name, definition FROM competencies").fetchall()]
    behaviors = [dict(zip(("competency_id", "text"), r)) for r in catalog.execute("SELECT competency_id, text FROM behaviors").fetchall()]
    assert crosswalk.match_competencies(comps, behaviors, _cache()) == crosswalk.match_competencies(list(reversed(comps)), list(reversed(behaviors)), _cache())


def test_role_matching_finds_what_comparing_every_pair_finds():
    import random

    rng = random.Random(3)
    words = ["Customer Service", "Payroll", "Network", "Client Service", "Help Desk"], ["Specialist", "Manager", "Representative", "Analyst"]
    roles, titles = [], []
    for i in range(300):
        vendor = rng.choice(["salary_com", "caliper", "kenexa"])
        roles.append(dict(role_id=f"{vendor}:{i}", vendor=vendor, document_id=str(i),
                          title=f"{rng.choice(words[0])} {rng.choice(words[1])} {rng.choice(['I', 'II', 'Senior', ''])}".strip()))
        if vendor == "caliper":
            titles += [dict(role_id=f"{vendor}:{i}", relation="example_position", title=f"{rng.choice(words[0])} {rng.choice(words[1])}")]
    positions = {}
    for t in titles:
        positions.setdefault(t["role_id"], set()).add(frozenset(crosswalk._title_key(t["title"])))
    expected = []
    ordered = sorted(roles, key=lambda r: (r["vendor"], r["role_id"]))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            ka, kb = frozenset(crosswalk._title_key(a["title"])), frozenset(crosswalk._title_key(b["title"]))
            if a["vendor"] == b["vendor"]:
                continue
            if a["title"].lower() == b["title"].lower():
                rel = ("exact", 1.0)
            elif ka and ka == kb:
                rel = ("close", 0.9)
            elif kb in positions.get(a["role_id"], ()) or ka in positions.get(b["role_id"], ()):
                rel = ("related", 0.7)
            elif crosswalk.jaccard(ka, kb) >= 0.6:
                rel = ("related", round(0.6 * crosswalk.jaccard(ka, kb), 4))
            else:
                continue
            expected.append(dict(left_role_id=a["role_id"], right_role_id=b["role_id"], relation=rel[0], score=rel[1], method="title-stems/1"))
    got = crosswalk.match_roles(roles, titles)
    assert len(got) > 100 and got == sorted(expected, key=lambda m: (m["left_role_id"], m["right_role_id"]))


def test_a_forked_process_embeds_with_a_model_of_its_own_and_exits():
    # The crosswalk runs in a forked process, and a notebook or this test process may have
    # embedded before: the child builds a session of its own (the parent's holds threads the
    # child does not have) and gives the same vectors.
    import subprocess
    import sys

    code = ("import multiprocessing, sys\nfrom pipeline import embeddings\nparent = embeddings.encode(['plans the budget'])\n"
            "def child():\n    assert (embeddings.encode(['plans the budget']) == parent).all()\n"
            "p = multiprocessing.get_context('fork').Process(target=child)\np.start()\np.join(60)\n"
            "print(p.exitcode)\nsys.stdout.flush()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "0", proc.stderr

"""The crosswalk and the ESCO anchors measured on the held-out half of the judged sets
(tools/evaluate.py; tests/fixtures/judged/): floors just under today's figures, so that a
change that makes them worse fails here. The figures and their intervals are in the README."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import evaluate  # noqa: E402

FLOORS = {
    "strong precision": 0.86,
    "strong recall": 0.49,
    "all rows precision": 0.59,
    "all rows recall": 0.66,
    "ESCO top-1": 0.55,
    "ESCO top-3": 0.76,
}


@pytest.fixture(scope="module")
def heldout():
    return evaluate.evaluate(None, "heldout")


def test_every_crosswalk_row_on_the_judged_competencies_was_judged(heldout):
    assert heldout["pairs judged"] > 500 and heldout["rows on pairs not judged"] == 0


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_heldout_figure_stays_above_its_floor(heldout, figure):
    assert heldout[figure].total >= 15, figure
    assert heldout[figure].value >= FLOORS[figure], f"{figure}: {heldout[figure].text()}"


def test_the_halves_were_split_once_and_do_not_overlap():
    tuning, held = evaluate.judged_pairs("tuning"), evaluate.judged_pairs("heldout")
    assert not set(tuning) & set(held) and abs(len(tuning) - len(held)) <= 1
    anchors_tuning, anchors_held = evaluate.judged_anchors("tuning"), evaluate.judged_anchors("heldout")
    assert not set(anchors_tuning) & set(anchors_held) and len(anchors_tuning) + len(anchors_held) >= 60


def test_wilson_interval():
    low, high = evaluate.Ratio(12, 20).interval()
    assert (round(low, 3), round(high, 3)) == (0.387, 0.781)
    assert evaluate.Ratio(0, 0).text().startswith("nan")


def test_second_judge_saw_every_related_pair_and_a_sample_of_the_rest():
    # The agreement figures (README) are only the labels' ceiling if the second judgement covers
    # the pairs a matcher is scored on: all the first judge related, and unrelated ones beside.
    first = evaluate.judged_pairs("all")
    second = {(r["left"], r["right"]): r["relation"] for r in evaluate._rows(evaluate.JUDGED / "second_judge.csv")}
    assert set(second) <= set(first)
    assert {k for k, v in first.items() if v != "none"} <= set(second)
    assert sum(first[k] == "none" for k in second) == 150
    assert set(second.values()) <= {"exact", "close", "broad", "narrow", "related", "none"}
    figures = evaluate.judge_agreement()
    assert figures["strong precision"] == "0.91 (43/47, none pairs weighted back)"  # no sampled none pair was called strong
    assert (figures["strong recall"].hits, figures["strong recall"].total) == (43, 49)
    assert (figures["same relation, related pairs"].hits, figures["same relation, related pairs"].total) == (153, 177)
    assert figures["same relation, all pairs"].startswith("0.96 ")


def test_a_sampled_none_pair_stands_for_all_it_was_drawn_from(monkeypatch):
    # 2 related pairs and 1 of 4 none pairs sampled: the none pair the second judge calls close
    # counts 4 times against the second judge's precision.
    first = {("a", "x"): "close", ("b", "y"): "related", ("c", "z"): "none", ("d", "z"): "none", ("e", "z"): "none", ("f", "z"): "none"}
    second = [dict(left="a", right="x", relation="exact"), dict(left="b", right="y", relation="related"), dict(left="c", right="z", relation="close")]
    monkeypatch.setattr(evaluate, "judged_pairs", lambda split: first)
    monkeypatch.setattr(evaluate, "_rows", lambda path: second)
    figures = evaluate.judge_agreement()
    assert figures["strong precision"] == "0.20 (1/5, none pairs weighted back)"
    assert figures["same relation, all pairs"].startswith("0.17 ")  # 1 of 6: the related pair
    assert figures["strong recall"].text() == evaluate.Ratio(1, 1).text()


def test_details_list_each_kind_of_crosswalk_error(monkeypatch):
    import duckdb

    judged = {("a", "v"): "close", ("b", "w"): "narrow", ("c", "x"): "related", ("d", "y"): "none", ("e", "z"): "broad", ("f", "z"): "related"}
    monkeypatch.setattr(evaluate, "judged_pairs", lambda split: judged)
    con = duckdb.connect()
    con.execute("CREATE TABLE competencies (competency_id VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO competencies VALUES (?, ?)", [(c, c.upper()) for c in "abcdefvwxyz"])
    con.execute("CREATE TABLE competency_matches (left_competency_id VARCHAR, right_competency_id VARCHAR, relation VARCHAR, score DOUBLE)")
    con.executemany("INSERT INTO competency_matches VALUES (?, ?, ?, ?)",
                    [("a", "v", "exact", 0.9), ("b", "w", "broad", 0.5), ("d", "y", "related", 0.2), ("e", "z", "related", 0.3), ("f", "z", "close", 0.6)])
    errors = evaluate.crosswalk_errors(con, "tuning")
    assert [(e["left"], e["kind"]) for e in errors] == [
        ("f", "strong given, related judged"), ("b", "containment reversed"), ("e", "strong judged, related given"),
        ("d", "row on a pair judged none"), ("c", "related missed")]
    assert errors[0]["left_name"] == "F" and errors[-1]["score"] is None


def test_details_list_the_competencies_whose_first_esco_anchor_is_wrong(monkeypatch):
    import duckdb

    from pipeline.esco import load_skills

    s1, s2, s3 = (s.uri for s in load_skills()[:3])
    monkeypatch.setattr(evaluate, "judged_anchors", lambda split: {"a": {s1}, "b": {s1}, "c": set(), "d": set()})
    con = duckdb.connect()
    con.execute("CREATE TABLE competencies (competency_id VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO competencies VALUES (?, ?)", [("a", "A"), ("b", None), ("c", "C"), ("d", "D")])
    con.execute("CREATE TABLE competency_esco (competency_id VARCHAR, rank INTEGER, esco_uri VARCHAR)")
    con.executemany("INSERT INTO competency_esco VALUES (?, ?, ?)", [("a", 1, s1), ("b", 1, s2), ("b", 2, s1), ("c", 1, s3)])
    errors = evaluate.esco_errors(con, "tuning")
    assert [(e["competency_id"], [ok for _, ok in e["anchors"]]) for e in errors] == [("b", [False, True]), ("c", [False])]
    assert errors[0]["name"] == "(no name)" and errors[0]["accepted"] == [load_skills()[0].preferred_label] and errors[1]["accepted"] == []


def test_crosswalk_study_measures_what_a_signal_adds():
    # tools/crosswalk_study.py (docs/crosswalk.md): a signal that ranks every related pair first
    # has an area of 1, a constant one 0.5; a logistic fit on a separating signal keeps it, and a
    # noise feature beside it adds nothing under cross-validation.
    import crosswalk_study
    import numpy as np

    y = np.array([True] * 20 + [False] * 40)
    signal = np.where(y, 1.0, 0.0) + np.linspace(0, 0.5, 60)
    assert crosswalk_study.auc(signal, y) == 1.0 and crosswalk_study.auc(np.zeros(60), y) == 0.5
    assert crosswalk_study.fit_logistic(signal[:, None], y.astype(float))[0] > 0
    noise = np.random.default_rng(0).normal(size=60)
    assert crosswalk_study.cross_validated_auc(np.column_stack([signal, noise]), y) <= crosswalk_study.cross_validated_auc(signal[:, None], y) + 1e-9

"""ESCO anchoring (pipeline/esco.py): which concepts a competency is anchored to, and why
(measured against judged anchors in tests/test_evaluation.py)."""

from __future__ import annotations

import pytest

from pipeline import esco
from pipeline.embeddings import EmbeddingCache


def _labels(competencies: list[dict], tmp_path) -> dict[str, list[str]]:
    cache = EmbeddingCache()
    cache.folder = tmp_path  # a fresh anchor cache: anchors computed by this code
    skills = {s.uri: s for s in esco.load_skills()}
    out: dict[str, list[str]] = {}
    for r in esco.anchors(competencies, [], cache):
        out.setdefault(r["competency_id"], []).append(skills[r["esco_uri"]].preferred_label)
    return out


def _skill(label: str) -> esco.Skill:
    return next(s for s in esco.load_skills() if s.preferred_label == label)


def test_label_support_is_the_share_of_the_labels_words_the_text_uses():
    text = frozenset(esco.words("Plans and manages the budgets of a department."))
    assert esco.label_support(_skill("manage budgets"), text) == 1.0
    assert esco.label_support(_skill("manage budgets for social services programs"), text) == pytest.approx(2 / 5)
    assert esco.label_support(_skill("manage time"), text) == 0.5


def test_a_label_in_the_competencys_words_ranks_above_one_that_only_sounds_close(tmp_path):
    labels = _labels([dict(competency_id="a:budget", vendor="a", name="Budget Support",
                           definition="Helps prepare the annual budget and tracks spending, as directed.")], tmp_path)
    # "provide support in financial calculation" is nearer by meaning, but the text never
    # speaks of calculations; the general budget concept uses its words.
    assert labels["a:budget"] == ["support development of annual budget", "budget for financial needs", "manage budgets"]


def test_a_sector_variant_never_wins_over_the_general_concept(tmp_path):
    labels = _labels([dict(competency_id="a:time", vendor="a", name="Time Management",
                           definition="Plans own work and manages time to meet deadlines."),
                      dict(competency_id="a:tourism", vendor="a", name="Time Management in Tourism",
                           definition="Manages time in tourism: schedules tours and visits of travellers.")], tmp_path)
    assert labels["a:time"][0] == "manage time" and not any(" in " in label for label in labels["a:time"])
    assert "manage time in tourism" in labels["a:tourism"]  # a competency of the sector keeps its variant


def test_a_label_in_the_page_never_pushes_out_a_skill_that_qualifies_and_scores_are_the_similarity():
    import numpy as np

    skills = esco.load_skills()
    index = {s.preferred_label: i for i, s in enumerate(skills)}
    labels = ["manage budgets", "perform project management", "coordinate operational activities", "manage staff"]
    score = np.zeros(len(skills), dtype=np.float32)
    score[[index[label] for label in labels]] = [esco.KEEP_FROM - 0.05, esco.KEEP_FROM + 0.05, esco.KEEP_FROM + 0.04, esco.KEEP_FROM + 0.03]
    candidates = np.array([index[label] for label in labels])
    text = "Budget Planning. Plans and manages budgets."  # every word of "manage budgets", none of the others'
    best = esco._best("Budget Planning", candidates, score, "Plans and manages budgets.", text)
    # "manage budgets" ranks first by its words but is under the threshold: the three that reach it stay.
    expected = {skills[index[label]].uri: round(float(score[index[label]]), 4) for label in labels[1:]}
    assert {uri: s for uri, s, _ in best} == expected

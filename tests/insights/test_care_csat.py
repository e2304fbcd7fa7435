"""CSAT: the mean 1–5 score with a bootstrap interval, and the share satisfied (4–5) with an exact one."""

import statistics

import numpy as np
import pytest

from tests.insights.care_story import MONDAY, care, converse
from tests.sla.helpers import converse as conversation_row
from townsquare.events.log import record
from townsquare.replies.csat import answer_survey, request_survey

pytestmark = pytest.mark.django_db
SCORES = [5, 4, 4, 3, 5, 1, 2, 5, 4, 5, 3, 4]


def test_mean_score_and_its_bootstrap_interval(hook):
    for score in SCORES:
        converse(hook, MONDAY, reply_after=60, resolve_after=600, csat=score)
    converse(hook, MONDAY, reply_after=60, resolve_after=600)  # not answered
    mean = care()["figures"]["csat_mean"]
    assert (mean["value"], mean["n"]) == (pytest.approx(statistics.mean(SCORES), abs=1e-6), len(SCORES))
    # By hand: a percentile bootstrap with many resamples.
    rng = np.random.default_rng(7)
    means = np.array(SCORES)[rng.integers(0, len(SCORES), size=(40_000, len(SCORES)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    assert mean["ci95"] == pytest.approx([low, high], abs=1 / len(SCORES) + 1e-9)
    assert mean["ci95"][0] < mean["value"] < mean["ci95"][1]


def test_satisfied_share_is_four_or_five_among_answers(hook):
    for score in SCORES:
        converse(hook, MONDAY, csat=score)
    satisfied = care()["figures"]["csat_satisfied"]
    happy = sum(score >= 4 for score in SCORES)
    assert (satisfied["value"], satisfied["n"]) == (pytest.approx(happy / len(SCORES), abs=1e-6), len(SCORES))


def test_an_answer_through_the_survey_link_counts(hook):
    rows = [conversation_row(hook, ("in", MONDAY), ("out", MONDAY)) for _ in range(2)]
    for conversation, score in zip(rows, (5, 2), strict=True):
        record(
            "conversation.created", channel_id=hook.pk, conversation_id=conversation.pk, occurred_at=MONDAY
        )
        survey = request_survey(conversation)
        answer_survey(survey.token, score)
    figures = care()["figures"]
    assert (figures["csat_mean"]["value"], figures["csat_mean"]["n"]) == (3.5, 2)
    assert figures["csat_mean"]["too_small"]
    assert figures["csat_satisfied"]["value"] == 0.5

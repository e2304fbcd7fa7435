"""The guard on its tables: every pitch caught with the opt-in it needs, no support reply blocked.

The counts are printed (pytest -s) for the issue note: false positives and false negatives.
"""

import pytest

from tests.guard.samples import PITCHES, SUPPORT_REPLIES
from townsquare.replies.guard import check_outgoing


@pytest.mark.parametrize(
    ("language", "text", "purpose"), PITCHES, ids=[f"{row[0]}-{n}" for n, row in enumerate(PITCHES)]
)
def test_pitch_is_blocked_for_a_customer_without_opt_in(language, text, purpose, dana):
    verdict = check_outgoing(text, customer=dana)
    assert verdict.blocked, verdict
    assert verdict.needs_consent == purpose
    assert all(
        reason.endswith("Dana has not opted in to " + purpose.replace("_", " ") + ".")
        for reason in verdict.reasons
    )


@pytest.mark.parametrize(
    ("language", "text"), SUPPORT_REPLIES, ids=[f"{row[0]}-{n}" for n, row in enumerate(SUPPORT_REPLIES)]
)
def test_support_reply_is_never_blocked(language, text, dana):
    verdict = check_outgoing(text, customer=dana)
    assert not verdict.blocked, verdict
    assert verdict.needs_consent == ""


def test_tables_are_large_and_multilingual_enough():
    assert len(SUPPORT_REPLIES) >= 20
    for language in ("en", "de", "es", "zh", "fr", "pt", "it", "ja", "ar"):
        assert any(row[0] == language for row in PITCHES), language
        assert any(row[0] == language for row in SUPPORT_REPLIES), language


def test_error_rates_on_the_tables(capsys):
    false_negatives = sum(not check_outgoing(text).blocked for _, text, _ in PITCHES)
    false_positives = sum(check_outgoing(text).blocked for _, text in SUPPORT_REPLIES)
    with capsys.disabled():
        print(
            f"\nguard tables: {len(PITCHES)} pitches, {false_negatives} missed; "
            f"{len(SUPPORT_REPLIES)} support replies, {false_positives} blocked"
        )
    assert (false_negatives, false_positives) == (0, 0)

"""`townsquare retriage` in this process, with the real pipeline: counts, and corrections kept."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.labels.builders import label, thread
from townsquare.labels import duplicates
from townsquare.labels.models import MessageLabels
from townsquare.labels.services import correct

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_duplicate_index():
    duplicates.forget()
    yield
    duplicates.forget()


def retriage(*args: str) -> str:
    out = StringIO()
    call_command("retriage", *args, stdout=out)
    return out.getvalue().strip()


def test_missing_messages_are_labelled_with_both_paths(twitter):
    m = thread(twitter, "Where is my parcel?", "The app crashes when I log in")
    assert retriage("--status", "missing") == (
        "Re-triaged 2 message(s): 2 labelled, 0 failed; semantic: 2 labelled, 0 failed."
    )
    assert set(MessageLabels.objects.values_list("status", flat=True)) == {"semantic"}
    assert (
        retriage("--status", "missing")
        == "Re-triaged 0 message(s): 0 labelled, 0 failed; semantic: 0 labelled, 0 failed."
    )
    assert retriage("--fast-only", "--conversation", str(m["t0"].conversation_id)) == (
        "Re-triaged 2 message(s): 2 labelled, 0 failed."
    )


def test_a_human_correction_wins_over_retriage(twitter, alice):
    m = thread(twitter, "FREE FOLLOWERS!!! click here to get 10000 followers now", "ok")
    label(m["t0"], kind="spam", invites_reply=False, not_for_us=True)
    label(m["t1"], kind="chatter", invites_reply=False, not_for_us=True, sentiment="neutral")
    correct(m["t0"], alice, "kind", "question")
    correct(m["t1"], alice, "not_for_us", False)
    correct(m["t1"], alice, "sentiment", "positive")

    retriage()

    spam, chatter = MessageLabels.objects.get(pk=m["t0"].pk), MessageLabels.objects.get(pk=m["t1"].pk)
    assert (spam.kind, spam.kind_score, spam.not_for_us, spam.reviewed_by) == ("question", 1.0, False, alice)
    assert (chatter.not_for_us, chatter.sentiment) == (False, "positive")
    assert spam.status == chatter.status == "semantic"  # the rest was re-triaged
    assert spam.triage_version != "" and spam.fingerprint is not None

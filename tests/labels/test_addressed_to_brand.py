"""A question sent to the brand itself invites its reply; the same words posted in public do not."""

import pytest

from tests.inbox.helpers import msg
from tests.labels.builders import store, thread
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.labels import duplicates
from townsquare.labels.fast import addressed_to_brand, label_fast
from townsquare.labels.models import MessageLabels
from townsquare.labels.semantic import label_semantic
from townsquare.triage.pipeline import triage_fast

pytestmark = pytest.mark.django_db

QUESTION = "¿Cómo cambio la contraseña de la cuenta?"


@pytest.fixture(autouse=True)
def fresh_duplicate_index():
    duplicates.forget()
    yield
    duplicates.forget()


def test_the_pipeline_takes_being_addressed_into_account():
    [public, direct] = triage_fast([QUESTION, QUESTION], addressed=[False, True])
    assert public.kind == direct.kind == "question"
    assert not public.invites_reply
    assert direct.invites_reply and direct.invites_reply_score > public.invites_reply_score


def test_email_and_replies_to_the_brand_are_addressed_to_it(twitter):
    email = Channel.objects.create(name="support-mail", kind=ChannelKind.EMAIL)
    mailed = store(email, msg("e1", text=QUESTION))["e1"]
    posted = store(twitter, msg("p1", text=QUESTION))["p1"]
    replied = thread(twitter, "my router is broken", "Sorry! Which model?", QUESTION, outbound_at=1)["t2"]
    assert addressed_to_brand([mailed.pk, posted.pk, replied.pk]) == {
        mailed.pk: True,
        posted.pk: False,
        replied.pk: True,
    }

    label_fast([mailed.pk, posted.pk, replied.pk])
    stored = MessageLabels.objects.in_bulk([mailed.pk, posted.pk, replied.pk])
    assert stored[mailed.pk].invites_reply and stored[replied.pk].invites_reply
    assert not stored[posted.pk].invites_reply

    # The semantic path re-decides invites_reply with the same context, so it agrees.
    label_semantic([mailed.pk, posted.pk, replied.pk])
    stored = MessageLabels.objects.in_bulk([mailed.pk, posted.pk, replied.pk])
    assert stored[mailed.pk].invites_reply and stored[replied.pk].invites_reply
    assert not stored[posted.pk].invites_reply

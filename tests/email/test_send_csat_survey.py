"""Resolving an email conversation emails the customer the CSAT survey link, in their thread, marked as
automatic mail (so autoresponders stay quiet); other channels send nothing."""

import pytest
from django.test import override_settings

from tests.delivery.email_fixtures import DANA, customer_email
from tests.uploads import IMMEDIATE_TASKS
from townsquare.connectors.email.reply_token import conversation_from_address
from townsquare.events.models import Event
from townsquare.replies.models import CsatSurvey
from townsquare.replies.status import change_status

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("quiet_delivery")]


def resolve(user, conversation, capture):
    with override_settings(TASKS=IMMEDIATE_TASKS), capture(execute=True):
        change_status(user, conversation, "open")
        change_status(user, conversation, "resolved")


def test_resolving_emails_the_survey_in_the_customers_thread(
    alice, support_mailbox, smtp_sink, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://care.acme.test"
    conversation = customer_email(
        support_mailbox, "m1@customer.test", "Broken", subject="Order 48213"
    ).conversation
    resolve(alice, conversation, django_capture_on_commit_callbacks)
    [mail] = smtp_sink.messages
    survey = CsatSurvey.objects.get(conversation=conversation)
    assert mail["To"] == DANA and mail["Subject"] == "How did we do? Order 48213"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["In-Reply-To"] == "<m1@customer.test>"
    assert conversation_from_address(support_mailbox, mail["Reply-To"]) == conversation.pk
    assert f"https://care.acme.test/csat/{survey.token}/" in mail.get_content()
    assert Event.objects.get(kind="csat.emailed").data["survey_id"] == survey.pk


def test_a_conversation_on_another_channel_gets_no_email(
    alice, twitter, smtp_sink, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from townsquare.inbox.ingest.normalized import InboundMessage
    from townsquare.inbox.ingest.store import store_messages
    from townsquare.inbox.models import Message

    stored = store_messages(
        twitter, [InboundMessage("t1", "dana", "Hi", created_at=timezone.now())], source="test"
    )
    conversation = Message.objects.get(pk=stored.outcomes[0][2]).conversation
    resolve(alice, conversation, django_capture_on_commit_callbacks)
    assert CsatSurvey.objects.filter(conversation=conversation).exists()
    assert smtp_sink.messages == []


def test_an_answered_survey_is_not_emailed_again(
    alice, support_mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    from townsquare.replies.csat_email import send_survey_email

    conversation = customer_email(support_mailbox, "m1@customer.test", "Broken").conversation
    resolve(alice, conversation, django_capture_on_commit_callbacks)
    survey = CsatSurvey.objects.get(conversation=conversation)
    CsatSurvey.objects.filter(pk=survey.pk).update(score=5, answered_at=survey.requested_at)
    assert send_survey_email(survey.pk) == "nothing to send"
    assert len(smtp_sink.messages) == 1

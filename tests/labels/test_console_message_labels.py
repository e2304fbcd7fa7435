"""Alice opens a conversation and sees what triage said about each inbound message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.labels.console_factories import first_inbound, labelled
from tests.web.conftest import conversation

pytestmark = pytest.mark.django_db


def url(conv) -> str:
    return reverse("web:conversation", args=[conv.pk])


def labels_of(response) -> list:
    return [view.labels for view in response.context["thread"]]


def test_each_inbound_message_shows_its_labels(client, alice, twitter):
    conv = conversation(twitter, [("in", "The app is down, nobody answers!"), ("out", "Looking into it")])
    labelled(
        first_inbound(conv),
        kind="complaint",
        kind_score=0.88,
        sentiment="negative",
        priority="urgent",
        urgency=["outage", "repeated_contact"],
        promo_score=0.71,
        intents=[["report_outage", 0.81], ["contact_support", 0.1]],
    )
    client.force_login(alice)
    body = client.get(url(conv)).content.decode()
    assert body.count('data-testid="message-labels"') == 1  # brand replies carry no labels
    assert "English (en), 97% sure" in body
    assert "Complaint, 88% sure" in body
    assert '<dd data-testid="urgency">outage, repeated_contact</dd>' in body
    assert "<dt>Promotional</dt><dd>71%</dd>" in body
    assert "<dt>Spam score</dt>" not in body  # 1%: not notable
    assert "report_outage (81%), contact_support (10%)" in body
    assert '<span class="visually-hidden">Priority: </span>Urgent priority' in body


def test_pending_and_failed_triage_are_shown(client, alice, twitter):
    conv = conversation(twitter, [("in", "first"), ("in", "second")])
    first, second = conv.messages.order_by("id")
    labelled(second, kind="", status="failed", error="classifier crashed: out of memory")
    client.force_login(alice)
    body = client.get(url(conv)).content.decode()
    assert 'data-testid="triage-pending">Triage pending<' in body
    assert "Triage failed: classifier crashed: out of memory" in body


def test_a_duplicate_links_to_its_groups_first_message(client, alice, twitter):
    original = conversation(twitter, [("in", "Where is my parcel?")], handle="ana")
    copy = conversation(twitter, [("in", "where is my parcel??")], handle="ben")
    first = first_inbound(original)
    labelled(first, duplicate_group=str(first.pk), duplicate_match=None)
    labelled(first_inbound(copy), duplicate_group=str(first.pk), duplicate_match="near")
    client.force_login(alice)
    body = client.get(url(copy)).content.decode()
    link = f'<a href="/conversations/{original.pk}/#message-{first.pk}">Duplicate of message #{first.pk}</a> (near)'
    assert link in body
    assert "Duplicate of" not in client.get(url(original)).content.decode()  # the first is no duplicate


def test_the_page_makes_the_same_number_of_queries_however_long_the_thread(
    client, alice, twitter, django_assert_max_num_queries
):
    original = first_inbound(conversation(twitter, [("in", "zero")], handle="o"))
    short = conversation(twitter, [("in", "one")], handle="s")
    long = conversation(twitter, [("in", f"message {n}") for n in range(12)], handle="l")
    for message in [*short.messages.all(), *long.messages.all()]:
        labelled(message, duplicate_group=str(original.pk), pii=[{"kind": "email", "start": 0, "end": 3}])
    client.force_login(alice)
    with CaptureQueriesContext(connection) as baseline:
        client.get(url(short))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(url(long))
    assert len(labels_of(response)) == 12

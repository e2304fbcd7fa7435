"""Alice's open pages learn what changed, from the event log, without reloading."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.care_builders import care_conversation, profile, queue
from townsquare.events.log import record
from townsquare.web import live
from townsquare.web.live import newest_event_id

pytestmark = pytest.mark.django_db
URL = reverse("web:live-changes")


@pytest.fixture
def conversations(twitter, alice, bruno):
    billing = queue("Billing")
    profile(bruno, queues=[billing])
    # A real event to start from: PostgreSQL's id sequence survives test rollbacks, so "after=0" on
    # an empty log may be thousands of ids behind and be told to reload.
    record("auth.login", actor=alice)
    return {
        "visible": care_conversation(twitter, "alice may see this"),
        "billing": care_conversation(twitter, "billing only", in_queue=billing),
    }


def changes(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_without_after_it_tells_where_to_start(client, alice, conversations):
    record("conversation.assigned", conversation_id=conversations["visible"].pk, data={})
    client.force_login(alice)
    assert changes(client) == {"last_event_id": newest_event_id(), "changed": [], "reset": False}


def test_changes_since_an_event_are_the_conversations_the_user_may_see(client, alice, conversations):
    client.force_login(alice)
    start = newest_event_id()
    # A worker process assigns and an ingest stores a message: both only write events here.
    record("conversation.assigned", conversation_id=conversations["visible"].pk, data={"via": "routing"})
    record("message.stored", conversation_id=conversations["billing"].pk, data={})
    record("auth.login", actor=alice)  # not about a conversation
    body = changes(client, after=start)
    assert body["changed"] == [conversations["visible"].pk]  # Billing's is not Alice's to see
    assert body["last_event_id"] == newest_event_id()
    assert changes(client, after=body["last_event_id"])["changed"] == []


def test_nothing_changed_costs_one_query(client, alice, conversations):
    client.force_login(alice)
    client.get(URL)  # the session is loaded and the user known
    after = newest_event_id()
    with CaptureQueriesContext(connection) as queries:
        changes(client, after=after)
    ours = [q["sql"] for q in queries.captured_queries if "events_event" in q["sql"]]
    assert len(ours) == 1
    assert "ORDER BY" in ours[0] and "LIMIT 1" in ours[0]


def test_one_conversation_is_answered_in_one_query(client, alice, conversations):
    visible = conversations["visible"]
    client.force_login(alice)
    start = newest_event_id()
    assert changes(client, after=start, conversation=visible.pk)["changed"] == []
    record("conversation.status_changed", conversation_id=visible.pk, data={"from": "open", "to": "resolved"})
    record("conversation.assigned", conversation_id=conversations["billing"].pk, data={})
    with CaptureQueriesContext(connection) as queries:
        body = changes(client, after=start, conversation=visible.pk)
    assert body == {"last_event_id": newest_event_id(), "changed": [visible.pk], "reset": False}
    assert sum("events_event" in q["sql"] for q in queries.captured_queries) == 1


def test_a_conversation_the_user_may_not_see_is_404(client, alice, conversations):
    client.force_login(alice)
    response = client.get(URL, {"after": 0, "conversation": conversations["billing"].pk})
    assert response.status_code == 404
    assert response.json() == {"error": f"conversation {conversations['billing'].pk} not found"}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"after": "soon"}, "after"), ({"after": -1}, "after"), ({"conversation": "x"}, "conversation")],
)
def test_bad_parameters_are_a_clear_400(client, alice, params, field):
    client.force_login(alice)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_client_far_behind_is_told_to_reload(client, alice, conversations, monkeypatch):
    monkeypatch.setattr(live, "MAX_EVENTS_PER_POLL", 2)
    client.force_login(alice)
    start = newest_event_id()
    for _ in range(3):
        record("conversation.assigned", conversation_id=conversations["visible"].pk, data={})
    body = changes(client, after=start)
    assert body["reset"] is True
    assert body["changed"] == []


def test_signed_out_visitors_and_customers_get_nothing(client, farid, conversations):
    assert client.get(URL).status_code == 302
    client.force_login(farid)
    assert client.get(URL).status_code == 403


def test_pages_start_polling_from_the_newest_event(client, alice, conversations, settings):
    settings.LIVE_POLL_SECONDS = 5
    record("conversation.assigned", conversation_id=conversations["visible"].pk, data={})
    client.force_login(alice)
    newest = newest_event_id()
    for url in (
        reverse("web:conversations"),
        reverse("web:conversation", args=[conversations["visible"].pk]),
    ):
        body = client.get(url).content.decode()
        assert f'data-after="{newest}" data-poll-ms="5000"' in body
        assert "web/live.js" in body

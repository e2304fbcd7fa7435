"""In the console: Alice takes a conversation, Carol assigns one over capacity, people release
them, and everyone sets their presence from the header. Errors come back as messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.care.routing_helpers import conv, on_duty, owner, queue
from townsquare.care.models import AgentProfile, Presence

pytestmark = pytest.mark.django_db


def follow_post(client, url, data=None):
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_alice_takes_it_from_the_conversation_page(client, alice, twitter):
    on_duty(alice)
    waiting = conv(twitter)
    client.force_login(alice)
    page = client.get(reverse("web:conversation", args=[waiting.pk])).content.decode()
    assert 'data-testid="take-it"' in page and 'data-testid="assign-to"' not in page
    body = follow_post(client, reverse("web:claim", args=[waiting.pk]))
    assert "It is yours now." in body
    assert owner(waiting) == alice
    assert 'data-testid="release"' in body


def test_taking_what_is_taken_or_while_away_says_why(client, alice, bruno, twitter):
    on_duty(alice, presence=Presence.AWAY)
    on_duty(bruno)
    waiting = conv(twitter)
    client.force_login(alice)
    assert "alice is away" in follow_post(client, reverse("web:claim", args=[waiting.pk]))
    client.force_login(bruno)
    follow_post(client, reverse("web:claim", args=[waiting.pk]))
    on_duty(alice)
    client.force_login(alice)
    assert "already assigned to bruno" in follow_post(client, reverse("web:claim", args=[waiting.pk]))


def test_carol_assigns_over_capacity_only_when_she_insists(client, carol, alice, twitter):
    on_duty(alice, capacity=0)
    waiting = conv(twitter)
    client.force_login(carol)
    page = client.get(reverse("web:conversation", args=[waiting.pk])).content.decode()
    assert 'data-testid="assign-to"' in page
    url = reverse("web:assign", args=[waiting.pk])
    assert "capacity of 0" in follow_post(client, url, {"assignee_id": alice.pk})
    assert owner(waiting) is None
    assert "Assigned to Alice." in follow_post(client, url, {"assignee_id": alice.pk, "force": "1"})
    assert owner(waiting) == alice
    assert "Choose who gets" in follow_post(client, url, {"assignee_id": "nobody"})
    assert client.post(url, {"assignee_id": 999_999}).status_code == 404


def test_the_assign_picker_shows_load_and_presence_without_reading_queues(client, carol, alice, twitter):
    on_duty(alice, capacity=3)
    waiting = conv(twitter)
    client.force_login(carol)
    client.get(reverse("web:conversation", args=[waiting.pk]))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("web:conversation", args=[waiting.pk])).content.decode()
    assert f'<option value="{alice.pk}">Alice (0/3, online)</option>' in page
    assert not [q for q in captured.captured_queries if "care_agentprofile_queues" in q["sql"]]


def test_an_agent_cannot_assign_to_someone_else(client, alice, bruno, twitter):
    on_duty(bruno)
    waiting = conv(twitter)
    client.force_login(alice)
    body = follow_post(client, reverse("web:assign", args=[waiting.pk]), {"assignee_id": bruno.pk})
    assert "only a supervisor or an admin" in body
    assert owner(waiting) is None


def test_releasing_sends_it_back_to_the_queue(client, alice, twitter):
    manual = queue("Manual", mode="manual")
    on_duty(alice, queues=[manual])
    held = conv(twitter, queue=manual, assignee=alice)
    client.force_login(alice)
    assert "Released" in follow_post(client, reverse("web:unassign", args=[held.pk]))
    assert owner(held) is None
    assert "not assigned to anyone" in follow_post(client, reverse("web:unassign", args=[held.pk]))


def test_presence_toggle_in_the_header(client, alice):
    client.force_login(alice)
    page = client.get(reverse("web:conversations")).content.decode()
    assert 'data-testid="presence"' in page  # loaded by htmx after the page
    partial = client.get(reverse("web:presence")).content.decode()
    assert 'data-testid="presence-online"' in partial
    response = client.post(reverse("web:presence"), {"presence": "online"}, headers={"HX-Request": "true"})
    assert 'aria-pressed="true" data-testid="presence-online"' in response.content.decode()
    assert AgentProfile.objects.get(user=alice).presence == Presence.ONLINE
    body = follow_post(client, reverse("web:presence"), {"presence": "asleep"})
    assert "presence must be one of" in body
    assert AgentProfile.objects.get(user=alice).presence == Presence.ONLINE


def test_roles_without_the_console_have_no_presence(client, eve):
    client.force_login(eve)
    assert client.post(reverse("web:presence"), {"presence": "online"}).status_code == 403
    assert client.get(reverse("web:presence")).status_code == 403

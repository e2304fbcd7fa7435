"""Alice sees the SLA clock on the conversation page: time left in business time, breaches stand out."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.sla.helpers import converse, minutes, policy
from townsquare.sla.clocks import on_status, start_clocks
from townsquare.sla.templatetags.sla_clock import business_duration

pytestmark = pytest.mark.django_db


def page(client, user, conversation):
    client.force_login(user)
    response = client.get(reverse("web:conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_running_clock_shows_the_time_left(client, alice, twitter):
    policy(first_response_minutes=120)
    now = timezone.now()
    dana = converse(twitter, ("in", now))
    start_clocks([dana.pk], now=now)
    html = page(client, alice, dana)
    assert 'data-testid="sla-clock"' in html
    assert 'data-testid="sla-first_response" data-state="running"' in html
    assert "1 h 59 min left" in html or "2 h left" in html


def test_a_breached_clock_is_marked(client, alice, twitter):
    policy(first_response_minutes=30)
    now = timezone.now()
    dana = converse(twitter, ("in", now - minutes(75)))
    start_clocks([dana.pk], now=now - minutes(75))
    html = page(client, alice, dana)
    assert 'class="sla-clock-item sla-breached"' in html
    assert "overdue by 45 min" in html or "overdue by 44 min" in html


def test_a_paused_clock_says_it_waits_on_the_customer(client, alice, twitter):
    policy(first_response_minutes=None, next_response_minutes=None, resolution_minutes=60)
    now = timezone.now()
    dana = converse(twitter, ("in", now - minutes(10)))
    start_clocks([dana.pk], now=now - minutes(10))
    dana.status = "pending"
    dana.save()
    on_status(dana, now=now - minutes(5))
    html = page(client, alice, dana)
    assert "paused, 55 min left (waiting on the customer)" in html


def test_without_clocks_the_page_says_why(client, alice, twitter):
    chatter = converse(twitter, ("in", timezone.now()), invites_reply=False)
    assert "No SLA clock" in page(client, alice, chatter)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(59, "0 min"), (60, "1 min"), (3725, "1 h 2 min"), (-3725, "1 h 2 min"), (90061, "1 d 1 h"), (None, "")],
)
def test_durations_read_in_days_hours_and_minutes(seconds, text):
    assert business_duration(seconds) == text

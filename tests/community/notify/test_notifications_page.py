"""Farid's notifications page: unread first, mark one or all read (CSRF-protected), the unread count in
the header, and the email digest setting."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from townsquare.community.models import Member, Notification
from townsquare.community.posting import answer
from townsquare.events.models import Event

from .conftest import only_ours

pytestmark = pytest.mark.django_db
PAGE = "/community/notifications/"


@pytest.fixture
def answered(question, members):
    answer(members["bob"], question, "Hold the power button for ten seconds.")
    answer(members["dana"], question, "Update the firmware first.")
    only_ours()
    return Notification.objects.filter(user=members["farid"]).order_by("id")


def test_farid_reads_his_notifications(client, answered, members):
    client.force_login(members["farid"])
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unread (2)" in html and "Bob answered your topic" in html
    assert '<span class="c-badge">2<span class="visually-hidden"> unread</span></span>' in html
    first = answered[0]
    client.post(f"{PAGE}read", {"id": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    html = client.get(PAGE).content.decode()
    assert "Unread (1)" in html and "Earlier" in html
    client.post(f"{PAGE}read", {"all": "1"})
    assert not Notification.objects.filter(user=members["farid"], read_at__isnull=True).exists()
    assert "You are all caught up." in client.get(PAGE).content.decode()


def test_nobody_marks_someone_elses_notifications(client, answered, members):
    client.force_login(members["dana"])
    client.post(f"{PAGE}read", {"id": answered[0].pk})
    client.post(f"{PAGE}read", {"id": "not-a-number"})
    assert Notification.objects.filter(user=members["farid"], read_at__isnull=True).count() == 2


def test_forms_need_the_csrf_token(answered, members):
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username="farid", password=PASSWORD)
    assert browser.post(f"{PAGE}read", {"all": "1"}).status_code == 403
    assert Notification.objects.filter(user=members["farid"], read_at__isnull=True).count() == 2


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_farid_chooses_a_daily_digest(client, members):
    client.force_login(members["farid"])
    client.post(f"{PAGE}digest", {"digest": "daily"})
    assert Member.objects.get(user=members["farid"]).digest == "daily"
    assert Event.objects.filter(kind="community.digest_changed", actor_id=members["farid"].pk).exists()
    response = client.post(f"{PAGE}digest", {"digest": "hourly"}, follow=True)
    assert "digest must be one of" in response.content.decode()

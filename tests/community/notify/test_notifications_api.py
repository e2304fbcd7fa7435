"""GET /community/notifications and POST /community/notifications/read: only ever your own."""

import pytest

from townsquare.community.models import Member, Notification
from townsquare.community.posting import answer
from townsquare.events.models import Event

from .conftest import only_ours

pytestmark = pytest.mark.django_db
API = "/api/v1/community/notifications"


@pytest.fixture
def answered(question, members):
    answer(members["bob"], question, "Hold the power button for ten seconds.")
    answer(members["dana"], question, "Update the firmware first.")
    only_ours()
    return list(Notification.objects.filter(user=members["farid"]).order_by("id"))


def test_farid_lists_and_reads_his_notifications(client, bearer, answered, members):
    headers = bearer(members["farid"])
    listed = client.get(API, headers=headers).json()
    assert listed["unread_count"] == 2
    assert [item["id"] for item in listed["items"]] == [answered[1].pk, answered[0].pk]
    read = client.post(
        f"{API}/read", {"ids": [answered[0].pk]}, content_type="application/json", headers=headers
    )
    assert read.json() == {"marked": 1, "unread_count": 1}
    unread = client.get(f"{API}?unread=true", headers=headers).json()
    assert [item["id"] for item in unread["items"]] == [answered[1].pk]
    everything = client.post(f"{API}/read", {"all": True}, content_type="application/json", headers=headers)
    assert everything.json() == {"marked": 1, "unread_count": 0}


def test_pages_of_notifications(client, bearer, answered, members):
    headers = bearer(members["farid"])
    first = client.get(f"{API}?limit=1", headers=headers).json()
    second = client.get(f"{API}?limit=1&cursor={first['next_cursor']}", headers=headers).json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [answered[1].pk, answered[0].pk]
    assert second["next_cursor"] is None


def test_only_your_own(client, bearer, answered, members):
    dana = bearer(members["dana"])
    assert client.get(API, headers=dana).json()["items"] == []
    marked = client.post(
        f"{API}/read", {"ids": [n.pk for n in answered]}, content_type="application/json", headers=dana
    )
    assert marked.json()["marked"] == 0
    assert Notification.objects.filter(user=members["farid"], read_at__isnull=True).count() == 2
    assert client.get(API).status_code == 401


def test_bad_requests(client, bearer, answered, members):
    headers = bearer(members["farid"])
    assert client.post(f"{API}/read", {}, content_type="application/json", headers=headers).status_code == 400
    both = client.post(
        f"{API}/read", {"ids": [1], "all": True}, content_type="application/json", headers=headers
    )
    assert both.status_code == 400
    assert client.get(f"{API}?limit=0", headers=headers).status_code == 422
    assert client.get(f"{API}?cursor=nonsense", headers=headers).status_code == 400


def test_farid_chooses_his_digest(client, bearer, members):
    headers = bearer(members["farid"])
    assert client.get(f"{API}/settings", headers=headers).json() == {
        "digest": "weekly",
        "last_digest_at": None,
    }
    changed = client.patch(
        f"{API}/settings", {"digest": "daily"}, content_type="application/json", headers=headers
    )
    assert changed.status_code == 200 and changed.json()["digest"] == "daily"
    assert Member.objects.get(user=members["farid"]).digest == "daily"
    assert Event.objects.filter(kind="community.digest_changed", actor_id=members["farid"].pk).exists()
    bad = client.patch(
        f"{API}/settings", {"digest": "hourly"}, content_type="application/json", headers=headers
    )
    assert bad.status_code == 422

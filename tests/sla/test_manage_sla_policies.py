"""Carol the supervisor sets SLA policies through the API; Alice the agent reads them; others may not."""

import pytest

from townsquare.care.models import Queue
from townsquare.events.models import Event
from townsquare.sla.models import BusinessCalendar, SlaPolicy

URL = "/api/v1/sla/policies"
pytestmark = pytest.mark.django_db


def create(client, headers, **body):
    return client.post(
        URL, {"name": "Standard", "first_response_minutes": 60, **body}, "application/json", headers=headers
    )


def test_carol_creates_a_policy_and_alice_reads_it(client, carol, alice, bearer):
    billing = Queue.objects.create(name="Billing")
    office = BusinessCalendar.objects.create(name="Office", time_zone="Europe/Berlin")
    response = create(
        client,
        bearer(carol),
        queue_id=billing.pk,
        priority="urgent",
        calendar_id=office.pk,
        resolution_minutes=480,
        warn_before_minutes=10,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["queue_id"] == billing.pk and body["priority"] == "urgent" and body["calendar_id"] == office.pk
    )
    assert body["next_response_minutes"] is None
    listed = client.get(URL, headers=bearer(alice)).json()
    assert [p["name"] for p in listed] == ["Standard"]
    assert client.get(f"{URL}/{body['id']}", headers=bearer(alice)).json()["warn_before_minutes"] == 10
    event = Event.objects.get(kind="sla.policy_created")
    assert event.actor_id == carol.pk


def test_carol_changes_and_deletes_a_policy(client, carol, bearer):
    policy_id = create(client, bearer(carol)).json()["id"]
    changed = client.patch(
        f"{URL}/{policy_id}",
        {"first_response_minutes": 5, "resolution_minutes": None},
        "application/json",
        headers=bearer(carol),
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["first_response_minutes"], changed.json()["resolution_minutes"]) == (5, None)
    assert client.delete(f"{URL}/{policy_id}", headers=bearer(carol)).status_code == 204
    assert not SlaPolicy.objects.exists()
    assert client.get(f"{URL}/{policy_id}", headers=bearer(carol)).status_code == 404


@pytest.mark.parametrize("who", ["alice", "bob", "eve", "farid"])
def test_only_supervisors_and_admins_change_policies(client, bearer, request, who):
    user = request.getfixturevalue(who)
    response = create(client, bearer(user))
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not SlaPolicy.objects.exists()


@pytest.mark.parametrize("who", ["bob", "eve", "farid"])
def test_non_staff_cannot_read_policies(client, bearer, request, who):
    assert client.get(URL, headers=bearer(request.getfixturevalue(who))).status_code == 403


def test_grace_the_admin_may_change_policies_too(client, grace, bearer):
    assert create(client, bearer(grace)).status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"queue_id": 999}, 400, "queue 999 does not exist"),
        ({"calendar_id": 999}, 400, "calendar 999 does not exist"),
        ({"first_response_minutes": None}, 400, "at least one target"),
        ({"first_response_minutes": 0}, 422, ""),
        ({"first_response_minutes": -5}, 422, ""),
        ({"priority": "asap"}, 422, ""),
        ({"name": "   "}, 400, "needs a name"),
        ({"warn_before_minutes": -1}, 422, ""),
        ({"first_response_minutes": "soon"}, 422, ""),
    ],
)
def test_bad_policies_are_refused_with_a_reason(client, carol, bearer, body, status, detail):
    response = create(client, bearer(carol), **body)
    assert response.status_code == status, response.content
    assert detail in response.json()["detail"]
    assert not SlaPolicy.objects.exists()


def test_two_policies_for_the_same_scope_conflict(client, carol, bearer):
    assert create(client, bearer(carol), priority="high").status_code == 201
    clash = create(client, bearer(carol), name="Other", priority="high")
    assert clash.status_code == 409
    assert "already covers" in clash.json()["detail"]
    same_name = create(client, bearer(carol), priority="low")
    assert same_name.status_code == 409


def test_unknown_policy_ids_are_404(client, carol, bearer):
    headers = bearer(carol)
    assert client.get(f"{URL}/12345", headers=headers).status_code == 404
    assert client.patch(f"{URL}/12345", {"name": "x"}, "application/json", headers=headers).status_code == 404
    assert client.delete(f"{URL}/12345", headers=headers).status_code == 404
    assert client.get(f"{URL}/0", headers=headers).status_code == 422
    assert client.get(f"{URL}/{2**70}", headers=headers).status_code == 422


def test_a_patch_cannot_null_required_fields(client, carol, bearer):
    policy_id = create(client, bearer(carol)).json()["id"]
    response = client.patch(f"{URL}/{policy_id}", {"name": None}, "application/json", headers=bearer(carol))
    assert response.status_code == 400

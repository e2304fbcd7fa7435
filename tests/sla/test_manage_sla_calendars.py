"""Carol keeps business calendars: time zone, opening hours, holidays; bad ones are refused with a reason."""

import pytest

from townsquare.sla.models import BusinessCalendar, SlaPolicy

URL = "/api/v1/sla/calendars"
pytestmark = pytest.mark.django_db
HOURS = {"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "fri": [["09:00", "15:00"]]}


def create(client, headers, **body):
    payload = {"name": "Berlin office", "time_zone": "Europe/Berlin", "hours": HOURS, **body}
    return client.post(URL, payload, "application/json", headers=headers)


def test_carol_creates_a_calendar_with_holidays(client, carol, alice, bearer):
    response = create(client, bearer(carol), holidays=[{"date": "2026-12-24", "name": "Heiligabend"}])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hours"] == HOURS
    assert body["holidays"] == [{"date": "2026-12-24", "name": "Heiligabend"}]
    assert [c["name"] for c in client.get(URL, headers=bearer(alice)).json()] == ["Berlin office"]


def test_carol_replaces_hours_and_holidays(client, carol, bearer):
    calendar_id = create(client, bearer(carol), holidays=[{"date": "2026-12-24"}]).json()["id"]
    response = client.patch(
        f"{URL}/{calendar_id}",
        {"time_zone": "America/New_York", "holidays": [{"date": "2026-11-26", "name": "Thanksgiving"}]},
        "application/json",
        headers=bearer(carol),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_zone"] == "America/New_York"
    assert body["hours"] == HOURS
    assert body["holidays"] == [{"date": "2026-11-26", "name": "Thanksgiving"}]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "unknown time zone"),
        ({"hours": {"mon": [["17:00", "09:00"]]}}, "ends before it starts"),
        ({"hours": {"mon": [["09:00", "12:00"], ["11:00", "14:00"]]}}, "overlap"),
        ({"hours": {"mon": [["09:00", "26:00"]]}}, "between 00:00 and 24:00"),
        ({"hours": {"funday": [["09:00", "17:00"]]}}, "unknown weekday"),
        ({"holidays": [{"date": "2026-12-24"}, {"date": "2026-12-24"}]}, "listed twice"),
    ],
)
def test_bad_calendars_are_refused_with_a_reason(client, carol, bearer, body, detail):
    response = create(client, bearer(carol), **body)
    assert response.status_code == 400, response.content
    assert detail in response.json()["detail"]
    assert not BusinessCalendar.objects.exists()


def test_malformed_bodies_are_422(client, carol, bearer):
    assert create(client, bearer(carol), hours="nine to five").status_code == 422
    assert create(client, bearer(carol), holidays=[{"date": "someday"}]).status_code == 422


def test_a_bad_change_leaves_the_calendar_as_it_was(client, carol, bearer):
    calendar_id = create(client, bearer(carol)).json()["id"]
    response = client.patch(
        f"{URL}/{calendar_id}", {"time_zone": "Nowhere/Land"}, "application/json", headers=bearer(carol)
    )
    assert response.status_code == 400
    assert BusinessCalendar.objects.get(pk=calendar_id).time_zone == "Europe/Berlin"


def test_a_calendar_in_use_cannot_be_deleted(client, carol, bearer):
    calendar_id = create(client, bearer(carol)).json()["id"]
    SlaPolicy.objects.create(name="Office hours", first_response_minutes=60, calendar_id=calendar_id)
    response = client.delete(f"{URL}/{calendar_id}", headers=bearer(carol))
    assert response.status_code == 409
    assert "Office hours" in response.json()["detail"]
    SlaPolicy.objects.all().delete()
    assert client.delete(f"{URL}/{calendar_id}", headers=bearer(carol)).status_code == 204


def test_names_are_unique(client, carol, bearer):
    assert create(client, bearer(carol)).status_code == 201
    assert create(client, bearer(carol)).status_code == 409


def test_agents_read_but_do_not_change_calendars(client, carol, alice, bob, bearer):
    calendar_id = create(client, bearer(carol)).json()["id"]
    assert client.get(f"{URL}/{calendar_id}", headers=bearer(alice)).status_code == 200
    assert create(client, bearer(alice), name="Mine").status_code == 403
    patch = client.patch(f"{URL}/{calendar_id}", {"name": "x"}, "application/json", headers=bearer(alice))
    assert patch.status_code == 403
    assert client.delete(f"{URL}/{calendar_id}", headers=bearer(alice)).status_code == 403
    assert client.get(URL, headers=bearer(bob)).status_code == 403
    assert client.get(f"{URL}/999", headers=bearer(carol)).status_code == 404

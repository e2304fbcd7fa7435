"""/api/v1/insights/periods: supervisors list, admins close and recompute; bad input is a 4xx."""

from datetime import UTC, datetime

import pytest

from townsquare.events.log import record
from townsquare.insights.models import ConversationFact
from townsquare.insights.projection import refresh
from townsquare.people.tokens import create_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/insights/periods"


def headers(user) -> dict:
    _, plaintext = create_token(user, "tests")
    return {"Authorization": f"Bearer {plaintext}"}


def january_thread() -> None:
    when = datetime(2026, 1, 15, 12, tzinfo=UTC)
    record("message.received", conversation_id=1, message_id=10, data={"direction": "in"}, occurred_at=when)
    record("message.sent", conversation_id=1, message_id=11, occurred_at=when.replace(minute=5))
    refresh()


def test_admin_closes_supervisor_lists_and_admin_recomputes(client, grace, carol):
    january_thread()
    closed = client.post(
        URL,
        {"period": "2026-01", "time_zone": "UTC"},
        content_type="application/json",
        headers=headers(grace),
    )
    assert closed.status_code == 201, closed.content
    body = closed.json()
    assert (body["label"], body["kind"], body["conversations"]) == ("2026-01", "month", 1)
    assert body["start"].startswith("2026-01-01T00:00:00") and body["end"].startswith("2026-02-01T00:00:00")

    record("csat.answered", conversation_id=1, data={"score": 4})
    listed = client.get(URL, headers=headers(carol))
    assert listed.status_code == 200
    assert [(row["id"], row["late_events"], row["note"]) for row in listed.json()] == [
        (body["id"], 1, "1 change after closing; recompute to include them")
    ]
    assert ConversationFact.objects.get(pk=1).csat_score is None

    done = client.post(
        f"{URL}/{body['id']}/recompute",
        {"reason": "survey answered late"},
        content_type="application/json",
        headers=headers(grace),
    )
    assert done.status_code == 200, done.content
    assert done.json()["late_events_before"] == 1 and done.json()["period"]["late_events"] == 0
    assert done.json()["period"]["recomputed_by"] == grace.pk
    assert ConversationFact.objects.get(pk=1).csat_score == 4


@pytest.mark.parametrize(
    ("payload", "status", "detail"),
    [
        ({"period": "2026-13"}, 400, "not a month"),
        ({"period": "2026-01-32", "kind": "day"}, 400, "not a day"),
        ({"period": "2026-01", "time_zone": "Nowhere/City"}, 400, "unknown time zone"),
        ({"period": "2999-01"}, 400, "has not ended yet"),
        ({"period": "2026-01", "kind": "year"}, 422, "not valid"),
        ({"period": "January"}, 422, "not valid"),
    ],
)
def test_bad_periods_are_refused(client, grace, payload, status, detail):
    response = client.post(URL, payload, content_type="application/json", headers=headers(grace))
    assert response.status_code == status
    assert detail in response.json()["detail"]


def test_closing_twice_conflicts_and_only_admins_write(client, grace, carol, alice):
    january_thread()
    first = client.post(
        URL,
        {"period": "2026-01", "time_zone": "UTC"},
        content_type="application/json",
        headers=headers(grace),
    )
    again = client.post(
        URL,
        {"period": "2026-01-20", "kind": "day", "time_zone": "UTC"},
        content_type="application/json",
        headers=headers(grace),
    )
    assert again.status_code == 409 and "overlaps the closed month 2026-01" in again.json()["detail"]
    refused = client.post(URL, {"period": "2025-12"}, content_type="application/json", headers=headers(carol))
    assert refused.status_code == 403
    assert client.get(URL, headers=headers(alice)).status_code == 403
    recompute = f"{URL}/{first.json()['id']}/recompute"
    assert (
        client.post(
            recompute, {"reason": "x"}, content_type="application/json", headers=headers(carol)
        ).status_code
        == 403
    )
    blank = client.post(recompute, {"reason": "  "}, content_type="application/json", headers=headers(grace))
    assert blank.status_code == 400 and "reason" in blank.json()["detail"]
    missing = client.post(
        f"{URL}/999999/recompute", {"reason": "x"}, content_type="application/json", headers=headers(grace)
    )
    assert missing.status_code == 404 and missing.json()["detail"] == "closed period 999999 not found"

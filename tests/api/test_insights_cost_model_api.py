"""/api/v1/insights/cost-model: Grace (admin) changes what a contact costs and the cost section
follows; Carol (supervisor) reads it; nobody else changes it, and bad values are a 4xx with the reason.

Three conversations in a week, priced by hand under the model each test sets.
"""

from datetime import UTC, datetime

import pytest

from tests.insights.test_cost_of_care import conversation as record_conversation
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.insights.models import CostModel
from townsquare.people.tokens import create_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/insights/cost-model"
SINCE = datetime(2026, 10, 1, tzinfo=UTC)
COST_URL = "/api/v1/insights/sections/cost?since=2026-10-01&until=2026-10-07&time_zone=UTC"


def headers(user) -> dict:
    _, plaintext = create_token(user, "tests")
    return {"Authorization": f"Bearer {plaintext}"}


def put(client, user, body: dict):
    return client.put(URL, body, content_type="application/json", headers=headers(user))


def conversation(cid: int, channel: Channel, *, assignee=None, peer: bool = False) -> None:
    """Conversation `cid`, started on day `cid` of October, as the services record it."""
    record_conversation(cid, channel, cid, assignee=assignee, peer=peer)


@pytest.fixture
def week(alice, bob):
    email = Channel.objects.create(name="mail", kind=ChannelKind.EMAIL)
    chat = Channel.objects.create(name="chat", kind=ChannelKind.LIVECHAT)
    conversation(1, email, assignee=alice)  # staff, by email
    conversation(2, chat, assignee=bob)  # an ambassador
    conversation(3, chat, peer=True)  # the community


def test_the_put_changes_what_the_cost_section_reports(client, grace, carol, week):
    # The defaults (settings): staff 4, ambassador 0.8, community 0.1, GBP.
    before = client.get(COST_URL, headers=headers(carol)).json()["section"]
    assert before["figures"]["actual_cost"]["value"] == pytest.approx(4 + 0.8 + 0.1)

    response = put(
        client,
        grace,
        {"currency": "eur", "by_role": {"staff": 5, "ambassador": 1.5}, "by_channel": {"email": 7.25}},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["currency"] == "EUR"
    assert body["by_role"] == {"staff": 5.0, "ambassador": 1.5, "community": 0.1}
    assert body["by_channel"] == {"email": 7.25}
    assert body["updated_by"] == grace.pk and body["updated_at"]

    section = client.get(COST_URL, headers=headers(carol)).json()["section"]
    figures = section["figures"]
    assert section["currency"] == "EUR"
    # Email by staff 7.25, the ambassador 1.5, the community 0.1; staff would have cost 7.25 + 5 + 5.
    assert figures["actual_cost"]["value"] == pytest.approx(7.25 + 1.5 + 0.1)
    assert figures["staff_only_cost"]["value"] == pytest.approx(7.25 + 5 + 5)
    assert figures["saving"]["value"] == pytest.approx((7.25 + 5 + 5) - (7.25 + 1.5 + 0.1))

    event = Event.objects.get(kind="insights.cost_model_changed")
    assert event.actor_id == grace.pk
    assert event.data["before"]["currency"] == "GBP" and event.data["after"]["currency"] == "EUR"
    assert event.data["after"]["by_channel"] == {"email": 7.25}


def test_fields_left_out_keep_their_values(client, grace, carol):
    assert (
        put(client, grace, {"by_role": {"community": 0.3}, "by_channel": {"livechat": 3}}).status_code == 200
    )
    assert put(client, grace, {"by_role": {"staff": 6}}).status_code == 200
    response = put(client, grace, {"deflection_share": 0.4, "currency": None})
    assert response.status_code == 200
    read = client.get(URL, headers=headers(carol))
    assert read.status_code == 200
    shown = read.json()
    # The community's 0.3 survives a later change to staff only; the channel list and currency stay.
    assert shown["by_role"] == {"staff": 6.0, "ambassador": 0.8, "community": 0.3}
    assert shown["by_channel"] == {"livechat": 3.0}
    assert shown["deflection_share"] == 0.4 and shown["currency"] == "GBP"
    assert Event.objects.filter(kind="insights.cost_model_changed").count() == 3
    # Nothing changed: 200, the same model, no event.
    assert put(client, grace, {}).json() == shown
    assert Event.objects.filter(kind="insights.cost_model_changed").count() == 3


def test_supervisors_read_the_defaults_before_anyone_saved(client, carol):
    response = client.get(URL, headers=headers(carol))
    assert response.status_code == 200
    assert response.json() == {
        "currency": "GBP",
        "by_role": {"staff": 4.0, "ambassador": 0.8, "community": 0.1},
        "by_channel": {},
        "deflection_share": 0.1,
        "updated_at": None,
        "updated_by": None,
    }


@pytest.mark.parametrize("who", ["carol", "alice", "bob", "eve", "farid"])
def test_only_admins_change_it(client, request, who):
    person = request.getfixturevalue(who)
    response = put(client, person, {"by_role": {"staff": 1}})
    assert response.status_code == 403
    assert not CostModel.objects.exists()
    assert not Event.objects.filter(kind="insights.cost_model_changed").exists()


@pytest.mark.parametrize("who", ["alice", "bob", "eve", "farid"])
def test_only_supervisors_and_admins_read_it(client, request, who):
    assert client.get(URL, headers=headers(request.getfixturevalue(who))).status_code == 403


def test_anonymous_callers_are_asked_to_authenticate(client):
    assert client.get(URL).status_code == 401
    assert client.put(URL, {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"by_role": {"staff": -1}}, "cannot be negative"),
        ({"by_role": {"janitor": 2}}, "unknown role 'janitor'"),
        ({"by_role": {"staff": 2_000_000}}, "is it a yearly figure?"),
        ({"by_channel": {"fax": 3}}, "unknown channel kind 'fax'"),
        ({"deflection_share": 1.5}, "between 0 and 1"),
        ({"currency": "pounds"}, "three-letter"),
    ],
)
def test_bad_values_are_400_with_the_reason_and_nothing_changes(client, grace, body, reason):
    response = put(client, grace, body)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert not CostModel.objects.exists()
    assert not Event.objects.filter(kind="insights.cost_model_changed").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"by_role": {"staff": "four"}},
        {"by_role": {"staff": True}},
        {"by_role": ["staff", 4]},
        {"by_channel": "email=3"},
        {"deflection_share": "most"},
        {"deflection_share": "0.5"},
        {"currency": 826},
    ],
)
def test_wrong_json_types_are_422(client, grace, body):
    response = put(client, grace, body)
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "the request is not valid"
    assert not CostModel.objects.exists()


def test_not_a_finite_number_is_400(client, grace):
    # Python's JSON reader takes NaN and Infinity; the model refuses them by name.
    response = client.put(
        URL, '{"by_role": {"staff": Infinity}}', content_type="application/json", headers=headers(grace)
    )
    assert response.status_code == 400
    assert "finite" in response.json()["detail"]


def test_the_openapi_document_declares_the_errors(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"][URL]
    assert set(paths["get"]["responses"]) >= {"200", "401", "403"}
    assert set(paths["put"]["responses"]) >= {"200", "400", "401", "403", "422"}

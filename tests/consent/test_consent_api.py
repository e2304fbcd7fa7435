"""GET and POST /api/v1/customers/{id}/consent: the ledger through the API, and who may use it."""

import pytest

from tests.api.factories import make_customer
from townsquare.people.consent import has_consent

WORDING = "Yes, send me offers and discount codes."

# Dana has a conversation the staff in these tests can see.
pytestmark = pytest.mark.usefixtures("dana_conversation")


def url(customer_id) -> str:
    return f"/api/v1/customers/{customer_id}/consent"


def grant(client, headers, customer_id, **overrides):
    body = {"purpose": "offers", "granted": True, "source": "livechat", "wording": WORDING, **overrides}
    return client.post(url(customer_id), body, content_type="application/json", headers=headers)


def test_agent_records_grant_and_reads_state_and_ledger(client, bearer, alice, dana, dana_conversation):
    headers = bearer(alice)
    created = grant(client, headers, dana.pk)
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"] == "alice" and created.json()["wording"] == WORDING
    assert (
        grant(client, headers, dana.pk, granted=False, source="email", wording="Stop offers").status_code
        == 201
    )
    assert not has_consent(dana, "offers")

    body = client.get(url(dana.pk), headers=headers).json()
    assert body["state"]["offers"]["granted"] is False and body["state"]["offers"]["source"] == "email"
    assert body["state"]["product_news"] is None and body["state"]["support_followup"] is None
    assert [entry["granted"] for entry in body["ledger"]] == [False, True]  # newest first


def test_source_defaults_to_api(client, bearer, carol, dana):
    body = {"purpose": "product_news", "granted": True, "wording": "News: yes"}
    response = client.post(url(dana.pk), body, content_type="application/json", headers=bearer(carol))
    assert response.status_code == 201 and response.json()["source"] == "api"


@pytest.mark.parametrize("method", ["get", "post"])
def test_ambassador_is_refused(client, bearer, bob, dana, method):
    headers = bearer(bob)
    response = (
        client.get(url(dana.pk), headers=headers) if method == "get" else grant(client, headers, dana.pk)
    )
    assert response.status_code == 403
    assert not has_consent(dana, "offers")


def test_moderator_is_refused(client, bearer, eve, dana):
    assert client.get(url(dana.pk), headers=bearer(eve)).status_code == 403


def test_unknown_customer_is_404(client, bearer, carol):
    response = client.get(url(999_999), headers=bearer(carol))
    assert response.status_code == 404
    assert response.json()["detail"] == "customer 999999 not found"
    assert grant(client, bearer(carol), 999_999).status_code == 404


def test_customer_the_agent_cannot_see_is_404(client, bearer, alice):
    stranger = make_customer("Stranger")
    assert client.get(url(stranger.pk), headers=bearer(alice)).status_code == 404
    assert grant(client, bearer(alice), stranger.pk).status_code == 404


@pytest.mark.parametrize(
    "overrides",
    [
        {"purpose": "newsletter"},
        {"source": "fax"},
        {"wording": ""},
        {"granted": "maybe"},
        {"wording": "x" * 5001},
    ],
)
def test_bad_input_is_422_and_nothing_recorded(client, bearer, carol, dana, overrides):
    response = grant(client, bearer(carol), dana.pk, **overrides)
    assert response.status_code == 422, response.content
    assert client.get(url(dana.pk), headers=bearer(carol)).json()["ledger"] == []


def test_blank_wording_is_422_with_reason(client, bearer, carol, dana):
    response = grant(client, bearer(carol), dana.pk, wording="   ")
    assert response.status_code == 422
    assert response.json()["detail"] == "the exact wording shown to the customer is required"


def test_bad_customer_id_is_422(client, bearer, carol):
    assert client.get(url("0"), headers=bearer(carol)).status_code == 422
    assert client.get(url("abc"), headers=bearer(carol)).status_code == 422


def test_anonymous_is_401(client, dana):
    assert client.get(url(dana.pk)).status_code == 401

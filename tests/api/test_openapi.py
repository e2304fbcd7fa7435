"""The OpenAPI document is 3.1, valid, and documents each operation's error answers."""

import pytest
from openapi_spec_validator import validate

URL = "/api/v1/openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_it_is_openapi_3_1(schema):
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "Townsquare API"
    assert schema["info"]["version"] == "1"


def test_it_validates_against_the_openapi_3_1_spec(schema):
    validate(schema)  # a dev dependency: never skipped


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        where = f"{method.upper()} {path}"
        assert any(code.startswith("4") for code in codes), where
        assert "401" in codes, where  # token, session or signature
        if "{" in path:
            assert "404" in codes, where
        if any(p["in"] == "query" for p in operation.get("parameters", [])) or "{" in path:
            assert "422" in codes, where
        for code in codes - {"200", "201", "202", "204"}:
            body = operation["responses"][code]["content"]["application/json"]["schema"]
            assert "$ref" in body, where


def test_the_expected_endpoints_are_there(schema):
    # The whole surface, so an endpoint added or lost shows up in review.
    expected = {
        ("get", "/api/v1/agents"),
        ("post", "/api/v1/agents/me/presence"),
        ("patch", "/api/v1/agents/{agent_id}"),
        ("get", "/api/v1/audit"),
        ("get", "/api/v1/canned-replies"),
        ("post", "/api/v1/canned-replies"),
        ("delete", "/api/v1/canned-replies/{canned_id}"),
        ("get", "/api/v1/canned-replies/{canned_id}"),
        ("patch", "/api/v1/canned-replies/{canned_id}"),
        ("get", "/api/v1/channels"),
        ("post", "/api/v1/channels"),
        ("get", "/api/v1/channels/{channel_id}"),
        ("patch", "/api/v1/channels/{channel_id}"),
        ("post", "/api/v1/channels/{channel_id}/test"),
        ("get", "/api/v1/channels/{channel_id}/rejected"),
        ("get", "/api/v1/channels/{channel_id}/rejected/{rejected_id}/raw"),
        ("get", "/api/v1/connectors"),
        ("post", "/api/v1/channels/{channel_id}/imports"),
        ("post", "/api/v1/channels/{channel_id}/messages"),
        ("post", "/api/v1/channels/{channel_id}/rotate-secret"),
        ("get", "/api/v1/community/spaces"),
        ("post", "/api/v1/community/spaces"),
        ("get", "/api/v1/community/spaces/{space_id}"),
        ("patch", "/api/v1/community/spaces/{space_id}"),
        ("get", "/api/v1/community/tags"),
        ("get", "/api/v1/community/topics"),
        ("post", "/api/v1/community/topics"),
        ("get", "/api/v1/community/topics/{topic_id}"),
        ("patch", "/api/v1/community/topics/{topic_id}"),
        ("delete", "/api/v1/community/topics/{topic_id}/accepted"),
        ("post", "/api/v1/community/topics/{topic_id}/answers"),
        ("post", "/api/v1/community/topics/{topic_id}/comments"),
        ("post", "/api/v1/community/topics/{topic_id}/vote"),
        ("patch", "/api/v1/community/posts/{post_id}"),
        ("post", "/api/v1/community/posts/{post_id}/accept"),
        ("post", "/api/v1/community/posts/{post_id}/comments"),
        ("delete", "/api/v1/community/posts/{post_id}/helpful"),
        ("post", "/api/v1/community/posts/{post_id}/helpful"),
        ("post", "/api/v1/community/posts/{post_id}/vote"),
        ("get", "/api/v1/community/notifications"),
        ("post", "/api/v1/community/notifications/read"),
        ("get", "/api/v1/community/notifications/settings"),
        ("patch", "/api/v1/community/notifications/settings"),
        ("get", "/api/v1/community/subscriptions"),
        ("post", "/api/v1/community/subscriptions"),
        ("delete", "/api/v1/community/subscriptions/{subscription_id}"),
        # Community moderation.
        ("post", "/api/v1/community/flags"),
        ("get", "/api/v1/community/flags"),
        ("post", "/api/v1/community/topics/{topic_id}/moderation"),
        ("post", "/api/v1/community/posts/{post_id}/moderation"),
        ("post", "/api/v1/community/suspensions"),
        ("delete", "/api/v1/community/suspensions/{suspension_id}"),
        ("patch", "/api/v1/community/spaces/{space_id}/slow-mode"),
        ("get", "/api/v1/community/moderation/log"),
        ("get", "/api/v1/community/moderation/held"),
        ("get", "/api/v1/community/suspensions"),
        # Community guidelines and proposals.
        ("get", "/api/v1/community/guidelines"),
        ("get", "/api/v1/community/guidelines/{guideline_id}"),
        ("get", "/api/v1/community/proposals"),
        ("post", "/api/v1/community/proposals"),
        ("get", "/api/v1/community/proposals/{proposal_id}"),
        ("post", "/api/v1/community/proposals/{proposal_id}/comments"),
        ("post", "/api/v1/community/proposals/{proposal_id}/votes"),
        ("post", "/api/v1/community/proposals/{proposal_id}/open-voting"),
        ("post", "/api/v1/community/proposals/{proposal_id}/withdraw"),
        # Community search.
        ("get", "/api/v1/community/search"),
        ("get", "/api/v1/community/similar"),
        # Community members: profiles, leaderboard, badges, trust levels, ambassadors.
        ("get", "/api/v1/community/members/{user_id}"),
        ("post", "/api/v1/community/members/{user_id}/trust-level"),
        ("get", "/api/v1/community/leaderboard"),
        ("get", "/api/v1/community/badges"),
        ("get", "/api/v1/community/ambassadors/candidates"),
        ("post", "/api/v1/community/ambassadors/invites"),
        ("post", "/api/v1/community/ambassadors/invites/{invite_id}/accept"),
        ("post", "/api/v1/community/ambassadors/invites/{invite_id}/decline"),
        ("delete", "/api/v1/community/ambassadors/{user_id}"),
        ("get", "/api/v1/conversations"),
        ("get", "/api/v1/conversations/{conversation_id}"),
        ("post", "/api/v1/conversations/{conversation_id}/assign"),
        ("get", "/api/v1/conversations/{conversation_id}/canned-suggestions"),
        ("get", "/api/v1/conversations/{conversation_id}/community-suggestions"),
        ("post", "/api/v1/conversations/{conversation_id}/claim"),
        ("get", "/api/v1/conversations/{conversation_id}/csat"),
        ("post", "/api/v1/conversations/{conversation_id}/escalate"),
        ("get", "/api/v1/conversations/{conversation_id}/escalations"),
        ("get", "/api/v1/conversations/{conversation_id}/messages"),
        ("get", "/api/v1/conversations/{conversation_id}/notes"),
        ("post", "/api/v1/conversations/{conversation_id}/publish"),
        ("post", "/api/v1/conversations/{conversation_id}/notes"),
        ("get", "/api/v1/conversations/{conversation_id}/replies"),
        ("post", "/api/v1/conversations/{conversation_id}/replies"),
        ("get", "/api/v1/conversations/{conversation_id}/sla"),
        ("post", "/api/v1/conversations/{conversation_id}/status"),
        ("post", "/api/v1/conversations/{conversation_id}/typing"),
        ("post", "/api/v1/conversations/{conversation_id}/unassign"),
        ("get", "/api/v1/customers/{customer_id}"),
        ("get", "/api/v1/customers/{customer_id}/consent"),
        ("post", "/api/v1/customers/{customer_id}/consent"),
        ("get", "/api/v1/customers/{customer_id}/identities"),
        ("post", "/api/v1/customers/{customer_id}/merge"),
        ("post", "/api/v1/identities/{identity_id}/split"),
        ("post", "/api/v1/guard/check"),
        ("get", "/api/v1/imports"),
        ("get", "/api/v1/imports/{import_id}"),
        ("get", "/api/v1/imports/{import_id}/rejects"),
        ("get", "/api/v1/insights/periods"),
        ("post", "/api/v1/insights/periods"),
        ("post", "/api/v1/insights/periods/{period_id}/recompute"),
        ("get", "/api/v1/insights/report"),
        ("get", "/api/v1/insights/sections/{section}"),
        ("get", "/api/v1/insights/conversations"),
        ("get", "/api/v1/insights/export"),
        ("post", "/api/v1/insights/refresh"),
        ("get", "/api/v1/insights/cost-model"),
        ("put", "/api/v1/insights/cost-model"),
        ("get", "/api/v1/messages"),
        ("get", "/api/v1/messages/{message_id}"),
        ("post", "/api/v1/messages/{message_id}/corrections"),
        ("get", "/api/v1/queues"),
        ("post", "/api/v1/queues"),
        ("delete", "/api/v1/queues/{queue_id}"),
        ("patch", "/api/v1/queues/{queue_id}"),
        ("post", "/api/v1/queues/{queue_id}/pull"),
        ("post", "/api/v1/replies/{reply_id}/undo"),
        ("post", "/api/v1/replies/{reply_id}/retry"),
        ("get", "/api/v1/sla/calendars"),
        ("post", "/api/v1/sla/calendars"),
        ("delete", "/api/v1/sla/calendars/{calendar_id}"),
        ("get", "/api/v1/sla/calendars/{calendar_id}"),
        ("patch", "/api/v1/sla/calendars/{calendar_id}"),
        ("get", "/api/v1/sla/policies"),
        ("post", "/api/v1/sla/policies"),
        ("delete", "/api/v1/sla/policies/{policy_id}"),
        ("get", "/api/v1/sla/policies/{policy_id}"),
        ("patch", "/api/v1/sla/policies/{policy_id}"),
        ("get", "/api/v1/tokens"),
        ("post", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{token_id}"),
        ("get", "/api/v1/webhooks"),
        ("post", "/api/v1/webhooks"),
        ("post", "/api/v1/webhooks/deliveries/{delivery_id}/redeliver"),
        ("delete", "/api/v1/webhooks/{endpoint_id}"),
        ("get", "/api/v1/webhooks/{endpoint_id}"),
        ("patch", "/api/v1/webhooks/{endpoint_id}"),
        ("get", "/api/v1/webhooks/{endpoint_id}/deliveries"),
        ("post", "/api/v1/webhooks/{endpoint_id}/rotate-secret"),
        ("post", "/api/v1/webhooks/{endpoint_id}/test"),
    }
    assert {(method, path) for path, method, _ in operations(schema)} == expected


def test_the_webhook_is_signed_not_token_authenticated(schema):
    webhook = schema["paths"]["/api/v1/channels/{channel_id}/messages"]["post"]
    assert webhook["security"] == []
    headers = {p["name"] for p in webhook["parameters"] if p["in"] == "header"}
    assert headers == {"X-Townsquare-Timestamp", "X-Townsquare-Signature"}
    assert webhook["requestBody"]["content"]["application/json"]["schema"]["required"] == ["messages"]
    assert {"413", "429"} <= set(webhook["responses"])


def test_token_and_session_auth_are_described(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["ConsoleSession"]["in"] == "cookie"

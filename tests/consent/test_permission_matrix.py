"""Every persona against every customer, consent and guard operation: allowed, 403 or 404, never 500."""

import pytest

ROLES = ["grace", "carol", "alice", "bob", "eve", "farid"]
# Dana's conversation is on the tweet import, in no queue: staff see it, Bob (community only) does not.
EXPECTED = {
    "read customer": {"grace": 200, "carol": 200, "alice": 200, "bob": 404, "eve": 403, "farid": 403},
    "read consent": {"grace": 200, "carol": 200, "alice": 200, "bob": 403, "eve": 403, "farid": 403},
    "record consent": {"grace": 201, "carol": 201, "alice": 201, "bob": 403, "eve": 403, "farid": 403},
    "check reply": {"grace": 200, "carol": 200, "alice": 200, "bob": 404, "eve": 403, "farid": 403},
}


def call(client, operation, headers, dana, conversation):
    json = "application/json"
    if operation == "read customer":
        return client.get(f"/api/v1/customers/{dana.pk}", headers=headers)
    if operation == "read consent":
        return client.get(f"/api/v1/customers/{dana.pk}/consent", headers=headers)
    if operation == "record consent":
        body = {"purpose": "offers", "granted": True, "wording": "Offers: yes"}
        return client.post(f"/api/v1/customers/{dana.pk}/consent", body, content_type=json, headers=headers)
    body = {"text": "use code SAVE20", "conversation_id": conversation.pk}
    return client.post("/api/v1/guard/check", body, content_type=json, headers=headers)


@pytest.mark.parametrize("operation", EXPECTED)
@pytest.mark.parametrize("role", ROLES)
def test_role_by_operation(client, bearer, request, dana, dana_conversation, operation, role):
    user = request.getfixturevalue(role)
    response = call(client, operation, bearer(user), dana, dana_conversation)
    assert response.status_code == EXPECTED[operation][role], response.content
    assert "detail" in response.json() or response.status_code < 400

"""A bug in a handler is logged and answered with a JSON 500, not Django's HTML page."""

import logging

import pytest


def test_a_bug_is_logged_and_answered_with_json(client, alice, bearer, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("townsquare.api.conversations.visible_conversations", broken)
    with caplog.at_level(logging.ERROR, logger="townsquare.api.errors"):
        response = client.get("/api/v1/conversations", headers=bearer(alice))
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert "boom" not in response.content.decode()
    assert "unhandled error in GET /api/v1/conversations" in caplog.text


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_method_the_api_does_not_have_is_405(client, alice, bearer, method):
    response = getattr(client, method)("/api/v1/conversations", headers=bearer(alice))
    assert response.status_code == 405

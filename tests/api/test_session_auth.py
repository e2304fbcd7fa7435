"""The console's htmx calls the API with the signed-in session; unsafe methods need CSRF."""

import pytest
from django.test import Client

from tests.api.factories import make_conversation


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def test_a_signed_in_session_can_read(browser, alice, twitter):
    make_conversation(twitter)
    browser.force_login(alice)
    assert browser.get("/api/v1/conversations").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(browser, grace):
    browser.force_login(grace)
    response = browser.post("/api/v1/channels", {"name": "shop"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_post_with_the_csrf_token_works(browser, grace):
    browser.force_login(grace)
    browser.get("/login/")  # sets the csrftoken cookie, as loading any console page does
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/channels", {"name": "shop"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_a_token_client_needs_no_csrf_token(browser, grace, bearer):
    response = browser.post(
        "/api/v1/channels", {"name": "shop"}, content_type="application/json", headers=bearer(grace)
    )
    assert response.status_code == 201


def test_a_customer_session_is_403(browser, farid):
    browser.force_login(farid)
    assert browser.get("/api/v1/conversations").status_code == 403

"""With TOWNSQUARE_REQUIRE_2FA on, Carol (supervisor) and Grace (admin) must use two-factor login."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.helpers import code, enrol, is_signed_in
from townsquare.people.tokens import create_token
from townsquare.security import totp
from townsquare.security.twofactor import ENROL_SECRET

pytestmark = pytest.mark.django_db
ENROL = reverse("security:two-factor")
CODE = reverse("security:login-code")


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_2FA = True


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_a_supervisor_without_a_device_is_sent_to_enrol_and_can_do_nothing_else(client, carol):
    response = sign_in(client, "carol")
    assert response["Location"] == ENROL
    assert client.get(ENROL).status_code == 200
    assert client.get(reverse("web:conversations"))["Location"] == ENROL
    assert client.get(reverse("web:tokens"))["Location"] == ENROL
    api = client.get("/api/v1/conversations")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    htmx = client.get(reverse("web:conversations"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == ENROL
    # She can still sign out.
    assert client.post(reverse("logout")).status_code == 302


def test_after_enrolling_the_console_opens(client, carol):
    sign_in(client, "carol")
    client.get(ENROL)
    secret = client.session[ENROL_SECRET]
    client.post(reverse("security:two-factor-enable"), {"code": totp.code_at(secret, totp.current_step())})
    assert client.get(reverse("web:conversations")).status_code == 200


def test_an_admin_is_required_too(client, grace):
    assert sign_in(client, "grace")["Location"] == ENROL
    assert client.get("/admin/")["Location"] == ENROL


def test_an_agent_is_not_required(client, alice):
    assert sign_in(client, "alice")["Location"] == reverse("web:conversations")
    assert client.get(reverse("web:conversations")).status_code == 200


def test_an_enrolled_supervisor_gives_her_code_and_gets_in(client, carol):
    enrol(carol)
    assert sign_in(client, "carol")["Location"] == CODE
    client.post(CODE, {"code": code()})
    assert client.get(reverse("web:conversations")).status_code == 200


def test_a_session_from_before_the_requirement_is_asked_for_the_code(client, carol):
    enrol(carol)
    client.force_login(carol)  # signed in without the second factor
    response = client.get("/?status=open")
    assert response["Location"] == CODE
    assert not is_signed_in(client)
    response = client.post(CODE, {"code": code()})
    assert response["Location"] == "/?status=open"
    assert is_signed_in(client)


def test_api_tokens_are_not_affected(client, carol):
    _, token = create_token(carol, "script")
    response = client.get("/api/v1/conversations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_it_cannot_be_turned_off_while_required(client, carol):
    enrol(carol)
    sign_in(client, "carol")
    client.post(CODE, {"code": code()})
    response = client.post(reverse("security:two-factor-disable"), {"password": PASSWORD, "code": code(1)})
    assert response.status_code == 400
    assert "required for your role" in response.content.decode()
    assert carol.totp_device


def test_off_by_default(settings, client, carol):
    settings.REQUIRE_2FA = False
    sign_in(client, "carol")
    assert client.get(reverse("web:conversations")).status_code == 200

"""Carol signs in with her password and then the code from her authenticator app."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.helpers import code, enrol, is_signed_in
from townsquare.security import pending

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
CODE = reverse("security:login-code")


def password_step(client, username="carol", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_without_a_device_the_password_is_enough(client, carol):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == reverse("web:conversations")
    assert is_signed_in(client)


def test_with_a_device_the_password_alone_does_not_sign_in(client, carol):
    enrol(carol)
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == CODE
    assert not is_signed_in(client)
    # The half-signed-in session cannot open the console or the API.
    assert client.get(reverse("web:conversations")).status_code == 302
    assert client.get("/api/v1/conversations").status_code == 401
    page = client.get(CODE)
    assert page.status_code == 200 and "carol" in page.content.decode()


def test_the_right_code_signs_in_and_follows_next(client, carol):
    enrol(carol)
    password_step(client, next_url="/?status=open")
    key_before = client.session.session_key
    response = client.post(CODE, {"code": code()})
    assert response.status_code == 302 and response["Location"] == "/?status=open"
    assert is_signed_in(client)
    assert client.session.session_key != key_before  # a new key once the second factor is in
    assert pending.PENDING_USER not in client.session


def test_a_wrong_code_does_not_sign_in(client, carol):
    enrol(carol)
    password_step(client)
    wrong = "000000" if code() != "000000" else "111111"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 200
    assert 'data-testid="code-error"' in response.content.decode()
    assert not is_signed_in(client)


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_code_one_step_off_is_accepted(client, carol, offset):
    enrol(carol)
    password_step(client)
    client.post(CODE, {"code": code(offset)})
    assert is_signed_in(client)


@pytest.mark.parametrize("offset", [-3, 3])
def test_a_code_further_off_is_refused(client, carol, offset):
    enrol(carol)
    password_step(client)
    if code(offset) in {code(-1), code(0), code(1)}:
        pytest.skip("the far code happens to equal a near one")
    client.post(CODE, {"code": code(offset)})
    assert not is_signed_in(client)


def test_a_code_cannot_be_used_twice(client, carol):
    enrol(carol)
    password_step(client)
    used = code()
    client.post(CODE, {"code": used})
    assert is_signed_in(client)
    client.post(reverse("logout"))
    password_step(client)
    response = client.post(CODE, {"code": used})
    assert 'data-testid="code-error"' in response.content.decode()
    assert not is_signed_in(client)


def test_an_older_code_is_refused_after_a_newer_one(client, carol):
    enrol(carol)
    password_step(client)
    client.post(CODE, {"code": code(1)})
    client.post(reverse("logout"))
    password_step(client)
    if code(0) == code(1):
        pytest.skip("two steps happen to share a code")
    client.post(CODE, {"code": code(0)})
    assert not is_signed_in(client)


def test_a_recovery_code_signs_in_once(client, carol):
    codes = enrol(carol)
    password_step(client)
    response = client.post(CODE, {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert is_signed_in(client)
    assert "9 left" in response.content.decode()
    client.post(reverse("logout"))
    password_step(client)
    client.post(CODE, {"code": codes[0]})
    assert not is_signed_in(client)
    client.post(CODE, {"code": codes[1]})
    assert is_signed_in(client)


def test_the_code_step_without_a_password_step_goes_back_to_login(client, carol):
    response = client.get(CODE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 302 and not is_signed_in(client)


def test_a_stale_password_step_expires(client, carol):
    enrol(carol)
    password_step(client)
    session = client.session
    session[pending.PENDING_SINCE] -= pending.PENDING_MAX_AGE_SECONDS + 1
    session.save()
    response = client.post(CODE, {"code": code()})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not is_signed_in(client)


def test_the_admin_site_login_goes_through_the_console_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next=/admin/"

"""Carol sets up two-factor login: scans the QR code, confirms a code, keeps her recovery codes."""

import re

import pytest
from django.urls import reverse

from townsquare.events.models import Event
from townsquare.security import totp
from townsquare.security.models import RecoveryCode, TotpDevice
from townsquare.security.twofactor import ENROL_SECRET

pytestmark = pytest.mark.django_db
PAGE = reverse("security:two-factor")
ENABLE = reverse("security:two-factor-enable")


def open_enrolment(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return client.session[ENROL_SECRET]


def test_the_page_shows_a_qr_code_and_the_key(client, carol):
    client.force_login(carol)
    secret = open_enrolment(client)
    body = client.get(PAGE).content.decode()
    assert '<div class="qr" data-testid="qr-code"><svg' in body
    assert secret in body  # the same secret until it is confirmed
    assert not TotpDevice.objects.exists()  # nothing stored before a code confirms it


def test_the_qr_code_carries_the_otpauth_uri():
    uri = totp.provisioning_uri("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "carol")
    assert uri.startswith("otpauth://totp/Townsquare:carol?secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert totp.qr_svg(uri).startswith("<svg")


def test_a_right_code_turns_it_on_and_shows_recovery_codes_once(client, carol):
    client.force_login(carol)
    secret = open_enrolment(client)
    response = client.post(ENABLE, {"code": totp.code_at(secret, totp.current_step())})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = recovery_codes_in(response)
    assert len(codes) == 10 and len(set(codes)) == 10
    device = TotpDevice.objects.get(user=carol)
    assert device.secret == secret
    # Only hashes are stored.
    stored = set(RecoveryCode.objects.filter(user=carol).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    event = Event.objects.get(kind="auth.totp_enabled")
    assert event.actor_id == carol.pk
    # Shown once: the page afterwards says it is on and lists no codes.
    again = client.get(PAGE).content.decode()
    assert 'data-testid="two-factor-status"' in again
    assert not any(code in again for code in codes)


def recovery_codes_in(response) -> list[str]:
    return re.findall(r'data-testid="recovery-code">([a-z0-9-]+)<', response.content.decode())


def test_a_wrong_code_is_refused_with_a_reason(client, carol):
    client.force_login(carol)
    secret = open_enrolment(client)
    wrong = "000000" if totp.code_at(secret, totp.current_step()) != "000000" else "111111"
    response = client.post(ENABLE, {"code": wrong})
    assert response.status_code == 400
    assert "does not match" in response.content.decode()
    assert not TotpDevice.objects.exists()


def test_enabling_without_opening_the_page_is_refused(client, carol):
    client.force_login(carol)
    response = client.post(ENABLE, {"code": "123456"})
    assert response.status_code == 400
    assert "start again" in response.content.decode()


def test_the_confirming_code_cannot_sign_in_again(client, carol):
    client.force_login(carol)
    secret = open_enrolment(client)
    confirming = totp.code_at(secret, totp.current_step())
    client.post(ENABLE, {"code": confirming})
    device = TotpDevice.objects.get(user=carol)
    assert not totp.use_code(device, confirming)


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

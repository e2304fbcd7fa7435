"""Alice turns two-factor login off with her password and a current code."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.helpers import code, enrol
from townsquare.events.models import Event
from townsquare.security import recovery
from townsquare.security.models import RecoveryCode, TotpDevice

pytestmark = pytest.mark.django_db
DISABLE = reverse("security:two-factor-disable")


def test_password_and_code_turn_it_off(client, alice):
    enrol(alice)
    client.force_login(alice)
    response = client.post(DISABLE, {"password": PASSWORD, "code": code()})
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=alice).exists()
    assert not RecoveryCode.objects.filter(user=alice).exists()
    assert Event.objects.get(kind="auth.totp_disabled").actor_id == alice.pk


@pytest.mark.parametrize(
    ("password", "good_code", "reason"),
    [("wrong", True, "password is not right"), (PASSWORD, False, "code is not right")],
)
def test_a_wrong_password_or_code_keeps_it_on(client, alice, password, good_code, reason):
    enrol(alice)
    client.force_login(alice)
    wrong = "000000" if code() != "000000" else "111111"
    response = client.post(DISABLE, {"password": password, "code": code() if good_code else wrong})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert TotpDevice.objects.filter(user=alice).exists()
    assert not Event.objects.filter(kind="auth.totp_disabled").exists()


def test_new_recovery_codes_replace_the_old_ones(client, alice):
    old = enrol(alice)
    client.force_login(alice)
    response = client.post(reverse("security:recovery-codes"), {"code": code()})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="recovery-code"') == 10
    assert not any(c in body for c in old)
    assert not recovery.use_code(alice, old[0])

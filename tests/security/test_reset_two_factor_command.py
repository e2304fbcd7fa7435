"""Grace lost her phone and her recovery codes; the operator resets her two-factor login."""

import pytest
from django.core.management import CommandError, call_command

from tests.security.helpers import enrol
from townsquare.events.models import Event
from townsquare.security.models import RecoveryCode, TotpDevice

pytestmark = pytest.mark.django_db


def test_reset_removes_the_device_and_codes(grace, capsys):
    enrol(grace)
    call_command("twofactor", "reset", "grace")
    assert "Two-factor login of grace is off" in capsys.readouterr().out
    assert not TotpDevice.objects.exists() and not RecoveryCode.objects.exists()
    event = Event.objects.get(kind="auth.totp_disabled")
    assert event.actor_id is None and event.data == {"user_id": grace.pk, "via": "cli"}


def test_reset_says_when_there_is_nothing_to_reset(grace):
    with pytest.raises(CommandError, match="no two-factor login"):
        call_command("twofactor", "reset", "grace")
    with pytest.raises(CommandError, match="no user named"):
        call_command("twofactor", "reset", "nobody")

"""Rotating the key that encrypts connector secrets: `townsquare reseal-secrets`."""

import io
import json

import pytest
from django.core.management import call_command

from townsquare.connectors.models import ConnectorState
from townsquare.connectors.secrets import SecretsUnreadable, channel_secrets, seal, unseal
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.db

OLD, NEW = "old key material", "new key material"


def reseal_command() -> tuple[dict, int]:
    out = io.StringIO()
    try:
        call_command("reseal_secrets", "--json", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return json.loads(out.getvalue()), code


def test_after_a_reseal_the_old_key_can_go(db, settings):
    settings.SECRETS_KEYS = [OLD]
    mail = Channel.objects.create(name="mail", kind=ChannelKind.EMAIL)
    ConnectorState.objects.create(channel=mail, sealed_secrets=seal({"smtp_password": "hunter2"}))

    settings.SECRETS_KEYS = [NEW, OLD]
    assert reseal_command() == ({"resealed": ["mail"], "unreadable": []}, 0)

    settings.SECRETS_KEYS = [NEW]
    assert channel_secrets(mail) == {"smtp_password": "hunter2"}
    settings.SECRETS_KEYS = [OLD]
    with pytest.raises(SecretsUnreadable):
        unseal(ConnectorState.objects.get(channel=mail).sealed_secrets)


def test_secrets_no_key_opens_are_named_and_left_alone(db, settings):
    settings.SECRETS_KEYS = ["a key that is gone"]
    lost = Channel.objects.create(name="lost", kind=ChannelKind.FEDIVERSE)
    sealed = seal({"access_token": "t"})
    ConnectorState.objects.create(channel=lost, sealed_secrets=sealed)
    settings.SECRETS_KEYS = [NEW]
    assert reseal_command() == ({"resealed": [], "unreadable": ["lost"]}, 1)
    assert ConnectorState.objects.get(channel=lost).sealed_secrets == sealed

"""`townsquare reseal-secrets`: encrypt every channel's secrets again with the current key.

Key rotation: put the new key first in TOWNSQUARE_SECRETS_KEY (keep the old one after it), run
this, then drop the old key. Secrets no configured key can open are listed, never changed.
"""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from townsquare.connectors.models import ConnectorState
from townsquare.connectors.secrets import SecretsUnreadable, reseal, unseal
from townsquare.events.log import record


class Command(BaseCommand):
    help = "Encrypt every channel's connector secrets again with the first key of TOWNSQUARE_SECRETS_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, as_json: bool = False, **options):
        resealed, unreadable = [], []
        for state in (
            ConnectorState.objects.exclude(sealed_secrets="").select_related("channel").order_by("pk")
        ):
            try:
                unseal(state.sealed_secrets)
            except SecretsUnreadable:
                unreadable.append(state.channel.name)
                continue
            with transaction.atomic():
                ConnectorState.objects.filter(pk=state.pk).update(sealed_secrets=reseal(state.sealed_secrets))
                record("channel.secrets_resealed", channel_id=state.channel_id, data={"via": "cli"})
            resealed.append(state.channel.name)
        self._report(resealed, unreadable, as_json=as_json)
        if unreadable:
            raise SystemExit(1)

    def _report(self, resealed: list[str], unreadable: list[str], *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"resealed": resealed, "unreadable": unreadable}))
            return
        self.stdout.write(f"Resealed the secrets of {len(resealed)} channel(s).")
        for name in unreadable:
            self.stderr.write(f"{name}: no configured key opens its secrets; set them again in the console")

"""`townsquare channel-config NAME`: read or change a channel's configuration from a script.

    townsquare channel-config support-mail --set smtp_host=127.0.0.1 --set smtp_port=587 \\
        --secret smtp_password=- --test --json < password.txt

`--set key=value` changes a setting (an empty value removes it); `--secret key=value` replaces a
secret, `key=` clears it and `key=-` reads the value from standard input, so it stays out of the
shell history and the process list. Secrets are never printed: only which ones are set.
Acts as the operator (whoever runs the command already holds the database and the keys).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.config import (
    channel_overview,
    configure_channel,
    secret_names_set,
    set_channel_active,
    test_connection,
)
from townsquare.inbox.channels import OPERATOR
from townsquare.inbox.models import Channel

FROM_STDIN = "-"


def _pairs(given: list[str] | None, option: str) -> dict[str, str]:
    pairs = {}
    for item in given or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"{option} takes key=value, not {item!r:.60}")
        pairs[name.strip()] = value
    return pairs


def describe(channel: Channel) -> dict:
    overview = channel_overview(channel)
    return {
        "id": channel.pk,
        "name": channel.name,
        "kind": channel.kind,
        "active": channel.is_active,
        "settings": dict(channel.settings or {}),
        "secrets_set": secret_names_set(channel),
        "health": overview.health,
        "last_ok_at": overview.last_ok_at.isoformat() if overview.last_ok_at else None,
        "last_error": overview.last_error,
        "last_error_at": overview.last_error_at.isoformat() if overview.last_error_at else None,
        "consecutive_failures": overview.consecutive_failures,
    }


class Command(BaseCommand):
    help = "Show or change a channel's settings and secrets, switch it on or off, test its connection."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the channel's name")
        parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="set_values")
        parser.add_argument(
            "--secret",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            dest="secrets",
            help="KEY=- reads stdin",
        )
        parser.add_argument("--active", choices=["on", "off"], help="switch the channel on or off")
        parser.add_argument("--test", action="store_true", help="test the connection and record its health")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, name, set_values, secrets, active, test, **options):
        channel = Channel.objects.filter(name=name).first()
        if channel is None:
            raise CommandError(f"no channel named {name!r}")
        settings, secrets = _pairs(set_values, "--set"), self._secrets(_pairs(secrets, "--secret"))
        if settings or secrets:
            try:
                channel = configure_channel(OPERATOR, channel, settings=settings, secrets=secrets)
            except ConfigInvalid as refusal:
                reasons = "; ".join(f"{key}: {why}" for key, why in refusal.fields.items())
                raise CommandError(f"{refusal}{' — ' + reasons if reasons else ''}") from None
        if active is not None:
            set_channel_active(OPERATOR, channel, active == "on")
            channel.refresh_from_db()
        shown = describe(channel)
        if test:
            report = test_connection(OPERATOR, channel)
            shown = {**describe(channel), "test": {"ok": report.ok, "detail": report.detail}}
        self._show(shown, options["json"])
        if test and not shown["test"]["ok"]:
            raise CommandError(f"connection test failed: {shown['test']['detail']}")

    def _secrets(self, secrets: dict[str, str]) -> dict[str, str]:
        wanted = [key for key, value in secrets.items() if value == FROM_STDIN]
        if len(wanted) > 1:
            raise CommandError("only one secret can be read from standard input")
        for key in wanted:
            secrets[key] = sys.stdin.readline().rstrip("\r\n")
        return secrets

    def _show(self, shown: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(shown))
            return
        state = "on" if shown["active"] else "off"
        self.stdout.write(
            f"{shown['id']:>4}  {shown['name']} ({shown['kind']}, {state}) health: {shown['health']}"
        )
        for key, value in sorted(shown["settings"].items()):
            self.stdout.write(f"      {key} = {value}")
        for key in shown["secrets_set"]:
            self.stdout.write(f"      {key} = (secret, set)")
        if shown["last_error"]:
            self.stdout.write(f"      last error ({shown['last_error_at']}): {shown['last_error']}")
        if "test" in shown:
            verdict = "works" if shown["test"]["ok"] else "FAILED"
            self.stdout.write(f"      test: {verdict}: {shown['test']['detail']}")

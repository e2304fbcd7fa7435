"""`townsquare channel list|create|rotate-secret`: set up channels from a script.

    townsquare channel create shop-webhook --kind webhook --json
    {"id": 4, "name": "shop-webhook", "kind": "webhook", "secret": "…", "webhook_path": "/api/v1/channels/4/messages"}

The secret is printed only by `create` and `rotate-secret`, as in the console and the API.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.inbox.channels import OPERATOR, ChannelError, create_channel, rotate_secret
from townsquare.inbox.models import Channel, ChannelKind


def describe(channel: Channel, secret: str | None = None) -> dict:
    shown = {
        "id": channel.pk,
        "name": channel.name,
        "kind": channel.kind,
        "active": channel.is_active,
        "webhook_path": f"/api/v1/channels/{channel.pk}/messages",
        "messages_stored": channel.messages_stored,
        "messages_duplicate": channel.messages_duplicate,
        "messages_rejected": channel.messages_rejected,
    }
    if secret is not None:
        shown["secret"] = secret
    return shown


class Command(BaseCommand):
    help = "List channels, create one, or rotate a channel's webhook signing secret."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="every channel with its counters")
        listing.add_argument("--json", action="store_true")
        create = actions.add_parser("create", help="add a channel; prints its signing secret once")
        create.add_argument("name")
        create.add_argument("--kind", choices=ChannelKind.values, default=ChannelKind.WEBHOOK)
        create.add_argument("--json", action="store_true")
        rotate = actions.add_parser("rotate-secret", help="give a channel a new signing secret")
        rotate.add_argument("name")
        rotate.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        try:
            if action == "list":
                rows = [describe(channel) for channel in Channel.objects.order_by("name")]
                self._show(rows, options["json"])
            elif action == "create":
                channel, secret = create_channel(OPERATOR, options["name"], options["kind"])
                self._show(describe(channel, secret), options["json"])
            else:
                channel = Channel.objects.filter(name=options["name"]).first()
                if channel is None:
                    raise CommandError(f"no channel named {options['name']!r}")
                self._show(describe(channel, rotate_secret(OPERATOR, channel)), options["json"])
        except ChannelError as exc:
            raise CommandError(str(exc)) from None

    def _show(self, shown, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(shown))
            return
        for row in shown if isinstance(shown, list) else [shown]:
            line = f"{row['id']:>4}  {row['name']:<30} {row['kind']:<10} stored {row['messages_stored']:,}"
            if "secret" in row:
                line += f"\n      webhook: POST {row['webhook_path']}\n      secret:  {row['secret']}"
            self.stdout.write(line)

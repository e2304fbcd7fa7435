"""`townsquare poll-channels [--channel NAME] [--json]`: fetch what is new on polled channels now.

Without `--channel`, every active polled channel (Mastodon) whose next poll is due is polled, as
the periodic check of `townsquare run` would; so a cron line can run it every minute. With
`--channel`, that channel is polled at once whatever its schedule. Exits with status 1 when a
poll failed (the error is also the channel's last error in the console).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.connectors.polling import PollOutcome, is_pollable, poll_channel, poll_due_now
from townsquare.inbox.models import Channel


class Command(BaseCommand):
    help = "Poll channels that fetch their messages (Mastodon): the due ones, or one by name."

    def add_arguments(self, parser):
        parser.add_argument("--channel", help="poll this channel now, whatever its schedule")
        parser.add_argument("--json", action="store_true", help="print a JSON list of outcomes")

    def handle(self, *args, channel=None, **options):
        if channel is not None:
            outcomes = [poll_channel(self._channel(channel).pk)]
        else:
            outcomes = poll_due_now()
        if options["json"]:
            self.stdout.write(json.dumps([outcome.as_dict() for outcome in outcomes]))
        else:
            self._print(outcomes)
        failed = [outcome for outcome in outcomes if not outcome.ok]
        if failed:
            names = ", ".join(outcome.channel for outcome in failed)
            raise CommandError(f"polling failed for {names}")

    def _channel(self, name: str) -> Channel:
        found = Channel.objects.filter(name=name).first()
        if found is None:
            raise CommandError(f"no channel named {name!r}")
        if not is_pollable(found):
            raise CommandError(
                f"{found.name} is not polled: its kind is {found.kind}, and only Mastodon channels are"
            )
        if not found.is_active:
            raise CommandError(f"{found.name} is inactive; activate it to poll it")
        return found

    def _print(self, outcomes: list[PollOutcome]) -> None:
        if not outcomes:
            self.stdout.write("no channel is due for polling")
        for outcome in outcomes:
            if outcome.error:
                line = f"{outcome.channel}: failed: {outcome.error}"
            elif outcome.skipped:
                line = f"{outcome.channel}: skipped: {outcome.skipped}"
            else:
                line = (
                    f"{outcome.channel}: {outcome.stored} new, {outcome.duplicates} already stored, "
                    f"{outcome.rejected} rejected"
                )
            if outcome.next_poll_at:
                line += f"; next poll {outcome.next_poll_at:%Y-%m-%d %H:%M:%S} UTC"
            self.stdout.write(line)

"""`townsquare ingest-email --channel NAME [FILE|-]`: store one raw email (a file, or stdin).

For a mail server's pipe delivery (Postfix `mailbox_command`, a procmail rule, fetchmail's `--mda`).
Exit codes follow sysexits: 0 stored, duplicate, auto-reply or bounce; 65 (EX_DATAERR) rejected,
with the reason on stderr (the message is kept for inspection); 64 (EX_USAGE) for a bad channel;
75 (EX_TEMPFAIL) when the database cannot take it now, so the mail server retries.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from townsquare.connectors.email.inbound import receive_email
from townsquare.inbox.models import Channel, ChannelKind

EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_TEMPFAIL = 64, 65, 66, 75


class Command(BaseCommand):
    help = "Store one raw email (RFC 5322 bytes, from FILE or stdin) on an email channel."

    def add_arguments(self, parser):
        parser.add_argument("--channel", required=True, help="the email channel's name")
        parser.add_argument("file", nargs="?", default="-", help="the message file; - (default) reads stdin")
        parser.add_argument("--envelope-from", default=None, help="the envelope sender (MAIL FROM), if known")
        parser.add_argument("--json", action="store_true", help="print the outcome as one JSON object")

    def handle(self, *args, **options):
        channel = Channel.objects.filter(name=options["channel"]).first()
        if channel is None:
            raise CommandError(f"no channel named {options['channel']!r}", returncode=EX_USAGE)
        if channel.kind != ChannelKind.EMAIL:
            raise CommandError(
                f"channel {channel.name!r} is not an email channel (its kind is {channel.kind})",
                returncode=EX_USAGE,
            )
        raw = self._read(options["file"])
        try:
            outcome = receive_email(channel, raw, envelope_from=options["envelope_from"])
        except DatabaseError as exc:
            raise CommandError(f"could not store the message now: {exc}", returncode=EX_TEMPFAIL) from exc
        if options["json"]:
            self.stdout.write(json.dumps(outcome.as_dict(), sort_keys=True))
        elif outcome.status != "rejected":
            where = f" in conversation {outcome.conversation_id}" if outcome.conversation_id else ""
            self.stdout.write(f"{outcome.status}{where}")
        if outcome.status == "rejected":
            self.stderr.write(f"rejected: {outcome.reason} (kept as rejected input {outcome.rejected_id})")
            sys.exit(EX_DATAERR)

    def _read(self, name: str) -> bytes:
        if name == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {name}: {exc.strerror}", returncode=EX_NOINPUT) from exc

"""`townsquare retriage [--since ISO] [--until ISO] [--channel NAME] [--conversation ID]
[--status failed|fast|semantic|missing] [--fast-only] [--background] [--batch-size N]`."""

import sys
import time
from datetime import date, datetime
from datetime import time as day_start

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from townsquare.inbox.models import Channel, Conversation
from townsquare.labels.enqueue import CHUNK
from townsquare.labels.retriage import STATUSES, Counts, Selection, retriage_background, retriage_here


def parse_moment(option: str, raw: str | None) -> datetime | None:
    """An ISO 8601 date or date-time; a date means its midnight, no offset means UTC."""
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(raw), day_start())
        except ValueError:
            raise CommandError(
                f"{option} {raw!r} is not an ISO 8601 date or date-time (e.g. 2026-11-01 or 2026-11-01T08:00Z)"
            ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.UTC)


class Progress:
    """One line on stderr, rewritten at most five times a second."""

    def __init__(self):
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, counts: Counts, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and counts.selected < total:
            return
        self.last = now
        rate = counts.selected / max(now - self.started, 1e-9)
        sys.stderr.write(
            f"\r{counts.selected:,}/{total:,} messages  {counts.labelled:,} labelled  "
            f"{counts.failed + counts.semantic_failed:,} failed  {rate:,.0f} msg/s"
        )
        sys.stderr.flush()


class Command(BaseCommand):
    help = (
        "Re-run triage on inbound messages (all, or a range). Fields a person corrected keep their "
        "values. Runs here with a progress line, or with --background as tasks for the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="messages written at or after this ISO 8601 date or time")
        parser.add_argument("--until", help="messages written before this ISO 8601 date or time")
        parser.add_argument("--channel", help="only this channel (by name)")
        parser.add_argument("--conversation", type=int, help="only this conversation (by id)")
        parser.add_argument(
            "--status", choices=STATUSES, help="only messages in this triage state (missing: never labelled)"
        )
        parser.add_argument("--fast-only", action="store_true", help="skip the semantic path (embeddings)")
        parser.add_argument("--background", action="store_true", help="enqueue tasks instead of running here")
        parser.add_argument(
            "--batch-size", type=int, default=CHUNK, help=f"messages per batch (default {CHUNK})"
        )

    def handle(
        self, *args, since, until, channel, conversation, status, fast_only, background, batch_size, **options
    ):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        selection = Selection(
            since=parse_moment("--since", since),
            until=parse_moment("--until", until),
            channel_id=self.channel_id(channel),
            conversation_id=self.conversation_id(conversation),
            status=status,
        )
        if selection.since and selection.until and selection.since >= selection.until:
            raise CommandError("--since must be before --until")
        if background:
            counts = retriage_background(selection, batch_size=batch_size, fast_only=fast_only)
            self.stdout.write(f"Enqueued {counts.tasks:,} triage task(s) for {counts.selected:,} message(s).")
            return
        progress = Progress() if sys.stderr.isatty() else None
        counts = retriage_here(selection, batch_size=batch_size, fast_only=fast_only, progress=progress)
        if progress is not None:
            sys.stderr.write("\n")
        line = f"Re-triaged {counts.selected:,} message(s): {counts.labelled:,} labelled, {counts.failed:,} failed"
        if not fast_only:
            line += f"; semantic: {counts.semantic:,} labelled, {counts.semantic_failed:,} failed"
        self.stdout.write(line + ".")

    def channel_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        found = Channel.objects.filter(name=name).values_list("pk", flat=True).first()
        if found is None:
            raise CommandError(f"no channel named {name!r} (`townsquare channel list` shows them)")
        return found

    def conversation_id(self, pk: int | None) -> int | None:
        if pk is not None and not Conversation.objects.filter(pk=pk).exists():
            raise CommandError(f"no conversation with id {pk}")
        return pk

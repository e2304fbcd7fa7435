"""`townsquare community-escalate [--dry-run] [--json] [--now ISO-8601]`: the unanswered-question sweep.

Escalates every community question with no accepted and no upvoted answer after its space's
`unanswered_after_hours` to the staff queue (what `townsquare run`'s periodic checks do); safe to
run from cron next to them, because each question is claimed with a conditional UPDATE and fires
once. `--dry-run` lists what is due without changing anything.
"""

import json
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from townsquare.community.bridge.unanswered import BATCH, due_topics, escalate_unanswered


def moment(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"--now {value!r} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None:
        raise CommandError(f"--now {value!r} has no time zone (add Z or +00:00)")
    return parsed.astimezone(UTC)


class Command(BaseCommand):
    help = "Escalate community questions left unanswered past their space's hours to the staff queue."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the due questions, change nothing")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")
        parser.add_argument("--now", type=moment, default=None, help="the time to sweep at (default: now)")
        parser.add_argument("--limit", type=int, default=BATCH, help=f"at most this many (default {BATCH})")

    def handle(self, *args, dry_run=False, as_json=False, now=None, limit=BATCH, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        now = now or timezone.now()
        if dry_run:
            due = due_topics(now, limit=limit)
            report = {"due": due}
            text = f"due: {', '.join(map(str, due)) or 'none'}"
        else:
            escalated = escalate_unanswered(now=now, limit=limit)
            report = {"escalated": escalated}
            text = "escalated: " + (
                ", ".join(f"topic {e['topic']} -> conversation {e['conversation']}" for e in escalated)
                or "none"
            )
        self.stdout.write(json.dumps(report, sort_keys=True) if as_json else text)

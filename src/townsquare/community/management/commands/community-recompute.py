"""`townsquare community-recompute [--dry-run] [--json] [--chunk N]`: rebuild recognition from the log.

Reputation, the member counters, trust levels and badges are cached on Member rows and kept by
listeners as events happen; this folds the whole event log again (in chunks by id, so memory
grows with members, not events) and writes whatever differs, adding missing badges. Run it after
an import (imported history is written in bulk, without listeners) or to check the caches:
`--dry-run` reports the differences and changes nothing.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.community.ledger import recompute

SHOWN = 20


class Command(BaseCommand):
    help = "Recompute community reputation, counters, trust levels and badges from the event log."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report differences, change nothing")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")
        parser.add_argument("--chunk", type=int, default=2000, help="events read per query (default 2000)")

    def handle(self, *args, dry_run=False, as_json=False, chunk=2000, **options):
        if chunk < 1:
            raise CommandError("--chunk must be at least 1")
        summary = recompute(chunk=chunk, write=not dry_run)
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "dry_run": dry_run,
                        "members_checked": summary.members_checked,
                        "members_changed": summary.members_changed,
                        "badges_added": summary.badges_added,
                        "changes": [{"user": user, **diff} for user, diff in summary.changed[:SHOWN]],
                    }
                )
            )
            return
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"checked {summary.members_checked} members: {verb} {summary.members_changed}, "
            f"{'would add' if dry_run else 'added'} {summary.badges_added} badges"
        )
        for user, diff in summary.changed[:SHOWN]:
            shown = ", ".join(f"{name}={value}" for name, value in sorted(diff.items()))
            self.stdout.write(f"  user {user}: {shown}")

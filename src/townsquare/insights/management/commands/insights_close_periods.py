"""`townsquare insights-close-periods [--since P [--until P]] [--kind month|week|day] [--time-zone Z]
[--list] [--json]`: close insights periods so later edits no longer change their figures.

Without --since it closes the months that are due (ended more than
TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS ago and have conversations), as the periodic job does.
--list only prints the closed periods and the changes waiting in them.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.insights.periods import (
    KINDS,
    PeriodError,
    as_dict,
    close_due_periods,
    close_periods,
    list_periods,
)


class Command(BaseCommand):
    help = "Close insights periods (months by default): their figures stay put until recomputed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", help="first period to close: 2026-03 (month), 2026-03-29 (day or week)"
        )
        parser.add_argument("--until", help="last period to close (default: --since)")
        parser.add_argument("--kind", default="month", help=f"one of {', '.join(KINDS)} (default month)")
        parser.add_argument(
            "--time-zone", dest="time_zone", help="IANA name (default: the insights time zone)"
        )
        parser.add_argument("--list", action="store_true", dest="list_only", help="list closed periods only")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, since=None, until=None, kind="month", time_zone=None, list_only=False, **options):
        if until and not since:
            raise CommandError("--until needs --since")
        skipped = []
        try:
            if list_only:
                closed = []
            elif since:
                closed, skipped = close_periods(None, since, until, kind=kind, time_zone=time_zone)
            else:
                closed = close_due_periods()
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        rows = [as_dict(period) for period in closed] if not list_only else list_periods(fresh=True)
        if options["as_json"]:
            key = "periods" if list_only else "closed"
            self.stdout.write(json.dumps({key: rows, "skipped": skipped}))
            return
        if not list_only:
            self.stdout.write(
                f"closed {len(rows)} periods" + (f"; already closed: {', '.join(skipped)}" if skipped else "")
            )
        for row in rows:
            note = f" — {row['note']}" if row["note"] else ""
            self.stdout.write(
                f"  #{row['id']} {row['kind']} {row['label']} ({row['time_zone']}): "
                f"{row['conversations']} conversations{note}"
            )

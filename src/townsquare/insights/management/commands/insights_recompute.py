"""`townsquare insights-recompute PERIOD --reason TEXT [--kind K] [--time-zone Z] [--json]`: fold a
closed period's conversations again from the event log, late changes and held conversations
included, and close it again. PERIOD is the closed period's id or its label (2026-03)."""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.insights.models import ClosedPeriod
from townsquare.insights.periods import PeriodError, period_range, recompute_period


class Command(BaseCommand):
    help = "Recompute a closed insights period from the event log, on purpose (a reason is recorded)."

    def add_arguments(self, parser):
        parser.add_argument("period", help="the closed period's id, or its label (2026-03, 2026-03-29)")
        parser.add_argument("--reason", required=True, help="why (recorded in the event log)")
        parser.add_argument(
            "--kind", default="month", help="with a label: day, week or month (default month)"
        )
        parser.add_argument("--time-zone", dest="time_zone", help="with a label: IANA name")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, period, reason, kind="month", time_zone=None, as_json=False, **options):
        try:
            result = recompute_period(None, self._find(period, kind, time_zone), reason)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"recomputed {result['kind']} {result['label']} ({result['time_zone']}): "
            f"{result['conversations']} conversations, {result['events_folded']} events folded; "
            f"{result['late_events_before']} late events and {result['held_before']} held conversations included"
        )

    def _find(self, period: str, kind: str, time_zone: str | None) -> ClosedPeriod:
        if period.isdigit():
            found = ClosedPeriod.objects.filter(pk=int(period)).first()
        else:
            span = period_range(period, kind, time_zone)
            found = ClosedPeriod.objects.filter(start=span.start, end=span.end).first()
        if found is None:
            raise CommandError(
                f"no closed period {period!r}; `townsquare insights-close-periods --list` lists them"
            )
        return found

"""`townsquare sla_check [--loop] [--interval S] [--json]`: send due SLA warnings and breaches."""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from townsquare.sla.monitor import check

DEFAULT_INTERVAL = 30.0


class Command(BaseCommand):
    help = "Write sla.warning / sla.breached events for clocks that are near or past their due time."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep checking every --interval seconds")
        parser.add_argument("--interval", type=float, default=DEFAULT_INTERVAL, help="seconds between passes")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print each pass as one JSON object"
        )

    def handle(self, *args, loop, interval, as_json, **options):
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds")
        while True:
            result = check()
            if as_json or not loop or result.warnings or result.breaches:
                self._report(result.as_dict(), as_json=as_json)
            if not loop:
                return
            # A long sleep must not hold a database connection (PostgreSQL counts them).
            connections.close_all()
            time.sleep(interval)

    def _report(self, counts: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(counts, sort_keys=True))
        else:
            self.stdout.write(
                "checked {checked} · warnings {warnings} · breaches {breaches} · escalations {escalations}".format(
                    **counts
                )
            )

"""`townsquare insights-refresh [--json]`: fold the events written since the last refresh.

`townsquare run` does this every recovery interval; reports fold a bounded amount themselves.
Run it by hand (or from cron, in a deployment without `run`) after a large import.
"""

import json

from django.core.management.base import BaseCommand

from townsquare.insights.projection import behind, refresh


class Command(BaseCommand):
    help = "Fold new events from the event log into the insights projection."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, as_json=False, **options):
        result = {**refresh().as_dict(), "events_behind": behind()}
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            "read {events} events ({folded} folded), {conversations} conversations changed; "
            "at event {last_event_id}, {events_behind} behind".format(**result)
        )

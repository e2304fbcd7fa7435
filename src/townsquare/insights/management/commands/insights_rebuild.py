"""`townsquare insights-rebuild [--json]`: forget the projection and fold the whole event log again.

The projection is derived data: rebuilding it gives the figures the log implies (after a fix to
a fold handler, say). It also unfreezes closed periods, so figures of closed periods may change.
"""

import json

from django.core.management.base import BaseCommand

from townsquare.insights.projection import rebuild


class Command(BaseCommand):
    help = "Rebuild the insights projection from the whole event log (unfreezes closed periods)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, as_json=False, **options):
        result = rebuild().as_dict()
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            "rebuilt from {events} events ({folded} folded): {conversations} conversations; "
            "at event {last_event_id}".format(**result)
        )

"""`townsquare community-guidelines close [--json]` and `townsquare community-guidelines seed`.

`close` opens the votes whose discussion has ended and decides the votes that have ended (what
`townsquare run`'s periodic checks do); it is safe to run from cron next to them. `seed` writes the
founding rules into a community that has none.
"""

import json

from django.core.management.base import BaseCommand

from townsquare.community.guidelines.closing import close_due_proposals
from townsquare.community.guidelines.seeding import seed_guidelines


class Command(BaseCommand):
    help = "Open and close guideline votes that are due; or seed the founding guidelines."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        close = actions.add_parser("close", help="open due votes and decide ended ones (idempotent)")
        close.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")
        actions.add_parser("seed", help="write the founding rules if there are none")

    def handle(self, *args, action, as_json=False, **options):
        if action == "seed":
            rules = seed_guidelines()
            self.stdout.write(f"{len(rules)} guidelines")
            return
        report = close_due_proposals()
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
            return
        decided = ", ".join(f"{pk}: {outcome}" for pk, outcome in report.decided.items()) or "none"
        opened = ", ".join(str(pk) for pk in report.opened) or "none"
        self.stdout.write(f"voting opened: {opened} · decided: {decided}")

"""`townsquare seed_demo`: load the demo channels, messages and staff (idempotent)."""

from django.core.management.base import BaseCommand

from townsquare.ops.seed import seed_demo


class Command(BaseCommand):
    help = "Load the demo data: three channels of messages in several languages and the demo staff."

    def handle(self, *args, **options):
        result = seed_demo()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Demo data: {result.read} messages read, {result.stored} stored, "
                f"{result.duplicates} already there; {result.users_created} staff users created."
            )

"""`townsquare sweep_presence [--minutes N]`: set offline whoever the console has not seen for
N minutes (default 15), so their open conversations go to someone who is there."""

from django.core.management.base import BaseCommand, CommandError

from townsquare.care.presence import sweep_stale


class Command(BaseCommand):
    help = "Set agents offline who have not been seen for a while; their conversations are reassigned."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=float, default=15.0, help="not seen for this long (default 15)")

    def handle(self, *args, minutes: float, **options):
        if minutes <= 0:
            raise CommandError("--minutes must be positive")
        swept = sweep_stale(minutes)
        self.stdout.write(f"set offline: {', '.join(swept) if swept else 'nobody'}")

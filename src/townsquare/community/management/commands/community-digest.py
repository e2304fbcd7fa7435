"""`townsquare community-digest [--frequency daily|weekly]`: email each member their unread notifications.

`townsquare run` checks this every hour by itself; run it from cron instead if you prefer. Each
member gets at most one digest per day or week (their choice on the notifications page), and no
notification is emailed twice.
"""

from django.core.management.base import BaseCommand

from townsquare.community.models import DigestFrequency
from townsquare.community.notify.digest import send_digests


class Command(BaseCommand):
    help = "Send the community's notification digests that are due (daily and weekly, or one of them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[DigestFrequency.DAILY, DigestFrequency.WEEKLY],
            help="only the members who chose this frequency (default: both)",
        )

    def handle(self, *args, **options):
        report = send_digests(options["frequency"])
        self.stdout.write(
            f"{report.sent} digests sent with {report.notifications} notifications; {report.failed} failed"
        )
        if report.failed:
            raise SystemExit(1)

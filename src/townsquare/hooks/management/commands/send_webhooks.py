"""`townsquare send_webhooks`: send every due outgoing webhook delivery now.

Workers send deliveries as soon as they are due; run this from cron (every minute) as a safety
net for deliveries whose task was lost, e.g. with a task backend that cannot schedule retries.
"""

from django.core.management.base import BaseCommand

from townsquare.hooks.delivering import send_due


class Command(BaseCommand):
    help = "Send the outgoing webhook deliveries that are due (pending, or failed and due for a retry)."

    def handle(self, *args, **options):
        report = send_due()
        self.stdout.write(
            f"{report.attempted} attempted: {report.succeeded} succeeded, {report.failed} failed "
            f"(will be retried), {report.gave_up} gave up"
        )

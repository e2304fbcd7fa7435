"""Deliver scheduled replies whose undo window has passed but whose delivery task was lost."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from townsquare.replies.delivery import deliver_reply
from townsquare.replies.models import Reply, ReplyStatus


class Command(BaseCommand):
    help = "Deliver scheduled replies that are due (their task was lost or never ran)."

    def handle(self, *args, **options):
        due = Reply.objects.filter(status=ReplyStatus.SCHEDULED, send_after__lte=timezone.now())
        outcomes: dict[str, int] = {}
        for reply_id in due.order_by("send_after", "id").values_list("pk", flat=True):
            outcome = deliver_reply(reply_id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = (
            ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())) or "nothing due"
        )
        self.stdout.write(summary)

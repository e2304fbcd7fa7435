"""`townsquare route_pending [--batch-size N]`: queue every routable conversation that has no
queue yet, then give owners to what waits in automatic queues (after triage was off, a queue
was added, or agents came back)."""

from django.core.management.base import BaseCommand, CommandError

from townsquare.care.claims import ASSIGNABLE_STATUSES
from townsquare.care.routing import WAITING_BATCH, assign_waiting, route
from townsquare.inbox.models import Conversation


class Command(BaseCommand):
    help = "Route conversations that have no queue or no owner yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="conversations per batch (default 500)"
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        unqueued = Conversation.objects.filter(
            queue__isnull=True, not_for_us=False, status__in=ASSIGNABLE_STATUSES
        ).order_by("id")
        queued = assigned = 0
        after = 0
        while True:
            ids = list(unqueued.filter(pk__gt=after).values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            outcome = route(ids)
            queued, assigned, after = queued + outcome.queued, assigned + outcome.assigned, ids[-1]
        # Then what already waited in a queue, most urgent first, until nobody can take more.
        while (more := assign_waiting(Conversation.objects.all())) > 0:
            assigned += more
            if more < WAITING_BATCH // 2:
                break
        self.stdout.write(f"queued {queued} conversations, assigned {assigned}")

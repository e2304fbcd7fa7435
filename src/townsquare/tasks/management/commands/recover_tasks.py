"""`townsquare recover_tasks`: requeue tasks whose worker died, for workers no supervisor watches."""

from django.core.management.base import BaseCommand, CommandError

from townsquare.tasks.config import stale_after_seconds
from townsquare.tasks.recovery import recover_stale, recover_worker


class Command(BaseCommand):
    help = (
        "Requeue tasks that have been RUNNING longer than --older-than seconds (their worker is "
        "presumed dead), or those of one dead --worker-id. Each counts as a failed attempt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            help="seconds; default $TOWNSQUARE_TASK_STALE_SECONDS or 1800",
        )
        parser.add_argument(
            "--worker-id", help="recover every task this (dead) worker was running, however recent"
        )

    def handle(self, *args, older_than, worker_id, **options):
        if worker_id and older_than is not None:
            raise CommandError("use either --worker-id or --older-than")
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must not be negative")
        if worker_id:
            count = recover_worker(worker_id)
        else:
            count = recover_stale(stale_after_seconds() if older_than is None else older_than)
        self.stdout.write(f"Recovered {count} task(s).")

"""`townsquare triage_worker [db_worker options]`: load the fast-path models, then work as db_worker.

A plain db_worker loads the models with its first batch, which then takes seconds instead of
milliseconds; `townsquare run` starts its fast-triage workers with this command instead.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Load the fast-path triage models, then run a database task worker (same options as db_worker)."

    def handle(self, *args, **options):
        from townsquare.triage.pipeline import triage_fast

        triage_fast(["warm-up: loads every fast-path model once"])
        super().handle(*args, **options)

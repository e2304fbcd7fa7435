"""`townsquare run`: migrate, load the demo on an empty database, start the worker, serve the console."""

import logging
import os
import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from townsquare.connectors.email.listener import listen_from_settings, stop_listener
from townsquare.ops.periodic import run_periodic_checks
from townsquare.ops.serving import uvicorn_options
from townsquare.ops.startup import ensure_demo_admin, login_line, prepare_database
from townsquare.ops.supervisor import TRIAGE_WORKER_COMMAND, WORKER_COMMAND, Supervisor
from townsquare.tasks.config import recovery_interval_seconds
from townsquare.tasks.recovery import recover_worker

logger = logging.getLogger("townsquare.ops")


def default_port() -> int:
    raw = os.environ.get("PORT", "").strip()
    if not raw:
        return 8000
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"PORT={raw!r} is not a port number") from None


def recover_dead_worker(worker_id: str) -> None:
    """Requeue the tasks of a worker that just died (called by the supervisor, before a restart)."""
    try:
        recover_worker(worker_id)
    finally:
        # The supervisor's thread opened its own connection; don't leave it open between calls.
        connections.close_all()


def worker_supervisor() -> Supervisor:
    return Supervisor(
        WORKER_COMMAND,
        child_id_option="--worker-id",
        on_exit=recover_dead_worker,
        periodic=run_periodic_checks,
        period=recovery_interval_seconds(),
    )


def triage_worker_supervisor() -> Supervisor:
    # No periodic stale check here: the general worker's supervisor runs it for every queue.
    return Supervisor(
        TRIAGE_WORKER_COMMAND,
        name="triage worker",
        child_id_option="--worker-id",
        on_exit=recover_dead_worker,
    )


def exit_on_sigterm(signum, frame):
    # Turns SIGTERM into an exception, so the `finally` that stops the worker runs.
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Set up the database (and demo data when it is empty), start the task worker and serve Townsquare."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--no-worker", action="store_true", help="don't start the background task worker")
        parser.add_argument(
            "--no-demo", action="store_true", help="don't load demo data into an empty database"
        )

    def handle(self, *args, host, port, no_worker, no_demo, **options):
        port = port if port is not None else default_port()
        if settings.TRIAGE_WORKERS < 1:
            raise CommandError("TOWNSQUARE_TRIAGE_WORKERS must be at least 1: fast triage needs a worker")
        if prepare_database(load_demo=not no_demo, verbosity=max(options["verbosity"] - 1, 0)):
            self.stdout.write("Loaded the demo data (an empty database was found).")
        admin = ensure_demo_admin(settings.DATA_DIR)
        if admin.created:
            self.stdout.write(f"Created the demo admin; its password is in {admin.password_file}")
        self.stdout.write(login_line(host, port, admin))
        self.serve(host, port, with_worker=not no_worker)

    def serve(self, host: str, port: int, *, with_worker: bool) -> None:
        import uvicorn

        workers = []
        if with_worker:
            workers = [worker_supervisor()]
            workers += [triage_worker_supervisor() for _ in range(settings.TRIAGE_WORKERS)]
        try:
            mail = listen_from_settings()  # TOWNSQUARE_SMTP_LISTEN=host:port: email channels' SMTP
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        previous = signal.signal(signal.SIGTERM, exit_on_sigterm)
        try:
            for worker in workers:
                worker.start()
            # uvicorn handles SIGINT/SIGTERM itself, shuts down, then re-raises the signal here.
            uvicorn.run(
                "townsquare.asgi:application",
                host=host,
                port=port,
                workers=1,
                lifespan="off",
                **uvicorn_options(),
            )
        except KeyboardInterrupt:
            pass
        finally:
            for worker in workers:
                worker.stop()
            stop_listener(mail)
            signal.signal(signal.SIGTERM, previous)

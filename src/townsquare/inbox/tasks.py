"""Background task: import a file uploaded from the console or the API (see inbox/imports.py)."""

from pathlib import Path

from django.utils import timezone

from townsquare.inbox.ingest.run_import import import_file
from townsquare.inbox.ingest.twcs import FormatError
from townsquare.inbox.models import ImportRun, ImportStatus
from townsquare.tasks import reliable_task


def rejects_path(upload: Path) -> Path:
    """The reject report lives next to the uploaded file it describes."""
    return upload.with_name(f"{upload.name}.rejects.csv")


def fail(run: ImportRun, reason: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED, finished_at=timezone.now(), error=reason[:2000]
    )


@reliable_task(max_attempts=3)
def import_uploaded_file(import_id: int) -> dict | None:
    """Run the queued import `import_id`; returns its counts.

    Database trouble propagates, so the task is retried; importing is idempotent, so a retry
    counts what the failed attempt stored as duplicates. A file that cannot be read as its
    format fails the import with the reason instead: no retry would change the file.
    """
    run = ImportRun.objects.select_related("channel").filter(pk=import_id).first()
    if run is None or run.status == ImportStatus.DONE:
        return None  # a task recovered after its import had already finished
    if not run.channel.is_active:
        fail(run, f"channel {run.channel.name!r} was deactivated before the import started")
        return None
    upload = Path(run.source)
    try:
        summary = import_file(upload, run.format, run.channel, report_path=rejects_path(upload), run=run)
    except FormatError as exc:
        fail(run, str(exc))
        return None
    except OSError as exc:
        fail(run, f"the uploaded file cannot be read: {exc.strerror or exc}")
        return None
    return summary.as_dict()

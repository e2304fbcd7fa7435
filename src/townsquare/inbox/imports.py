"""File imports from the console and the API: keep the upload, record a queued import, and hand it
to the background task worker once the transaction that records it has committed.

Only admins and supervisors import files, or read imports: a reject report quotes customers' text.
"""

import re
import uuid
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.move import file_move_safe
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import get_valid_filename

from townsquare.events.log import record
from townsquare.inbox.ingest.run_import import READERS
from townsquare.inbox.models import Channel, ImportRun, ImportStatus
from townsquare.inbox.tasks import import_uploaded_file
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.models import Role

IMPORT_ROLES = {Role.ADMIN, Role.SUPERVISOR}
FORMATS = sorted(READERS)
FINISHED = {ImportStatus.DONE, ImportStatus.FAILED}
MAX_NAME_LENGTH = 100
UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}-(.+)$")


class ImportRefused(ValueError):
    """An upload that cannot be imported as asked; `field` names the input at fault, if one is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ChannelInactive(ImportRefused):
    pass


class UploadTooLarge(ImportRefused):
    pass


def require_import_role(user) -> None:
    if not can_use_console(user) or user.role not in IMPORT_ROLES:
        raise Forbidden("only an admin or a supervisor can import files")


def visible_imports(user) -> QuerySet[ImportRun]:
    require_import_role(user)
    return ImportRun.objects.select_related("channel", "started_by")


def is_finished(run: ImportRun) -> bool:
    return run.status in FINISHED


def file_name(run: ImportRun) -> str:
    """The name the file was uploaded with (without our unique prefix), or the CLI's file name."""
    name = Path(run.source).name
    match = UPLOAD_NAME.match(name)
    return match.group(1) if match else name


def rejects_file(run: ImportRun) -> Path | None:
    """The finished import's reject report, if it rejected anything and the file is still there."""
    if not is_finished(run) or not run.reject_report:
        return None
    path = Path(run.reject_report)
    return path if path.is_file() else None


def start_import(actor, channel: Channel, uploaded_file, fmt: str) -> ImportRun:
    """Keep `uploaded_file` and queue its import into `channel`; the task worker does the rest."""
    require_import_role(actor)
    if fmt not in READERS:
        raise ImportRefused(f"format must be one of {', '.join(FORMATS)}, not {fmt!r:.40}", "format")
    if not channel.is_active:
        raise ChannelInactive(f"channel {channel.name!r} is inactive; an admin can reactivate it")
    if uploaded_file is None:
        raise ImportRefused("choose a file to import", "file")
    if not uploaded_file.size:
        raise ImportRefused("the file is empty", "file")
    if uploaded_file.size > settings.IMPORT_MAX_BYTES:
        raise UploadTooLarge(
            f"the file is {uploaded_file.size:,} bytes; the limit is {settings.IMPORT_MAX_BYTES:,}", "file"
        )
    path = save_upload(uploaded_file)
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                channel=channel,
                source=str(path),
                format=fmt,
                status=ImportStatus.QUEUED,
                started_by=actor,
            )
            record(
                "import.queued",
                actor=actor,
                channel_id=channel.pk,
                data={
                    "import_id": run.pk,
                    "file": file_name(run),
                    "format": fmt,
                    "bytes": uploaded_file.size,
                },
            )
            # The worker must find the committed run, and a rolled-back one must never run.
            transaction.on_commit(partial(import_uploaded_file.enqueue, run.pk))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return run


def save_upload(uploaded_file) -> Path:
    """Move the upload to MEDIA_ROOT/imports/<uuid>-<safe name>, where the worker reads it."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}-{safe_name(uploaded_file.name)}"
    if hasattr(uploaded_file, "temporary_file_path"):
        # Large uploads are already on disk: a move, not a second copy of up to 2 GB.
        file_move_safe(uploaded_file.temporary_file_path(), str(path))
    else:
        with path.open("wb") as out:
            for chunk in uploaded_file.chunks():
                out.write(chunk)
    return path


def safe_name(name: str | None) -> str:
    """A file name the client chose, made safe to use on disk: no directories, no odd characters."""
    try:
        cleaned = get_valid_filename(Path(name or "").name)
    except SuspiciousFileOperation:
        cleaned = "upload"
    return cleaned[-MAX_NAME_LENGTH:]

"""POST /channels/{id}/imports (upload a file to import), GET /imports, /imports/{id},
/imports/{id}/rejects: admins and supervisors only.

An upload answers 202 at once with the queued import; the background task worker runs it, and
the client polls GET /imports/{id} until its status is `done` or `failed`.
"""

from datetime import datetime
from typing import Literal

from django.http import FileResponse
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile

from townsquare.api.auth import caller
from townsquare.api.conversations import CHANNEL, CURSOR, LIMIT
from townsquare.api.cursor import Ordering, paginate
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.inbox.imports import (
    ChannelInactive,
    ImportRefused,
    UploadTooLarge,
    file_name,
    rejects_file,
    require_import_role,
    start_import,
    visible_imports,
)
from townsquare.inbox.models import ImportRun, ImportStatus
from townsquare.inbox.visibility import visible_channels

router = Router(tags=["imports"])
FORMAT = Form(..., description="twcs or jsonl")
UPLOAD = File(..., description="the file to import")
NEWEST_FIRST = Ordering("imports", "started_at", descending=True)
CSV_ANSWER = {
    "200": {
        "description": "the reject report: one row per rejected line (line, reason, excerpt)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


class ImportOut(Schema):
    id: int
    channel_id: int
    channel: str
    format: str
    file_name: str = Field(description="the uploaded file's name")
    status: ImportStatus = Field(description="queued, running, done or failed")
    started_at: datetime
    finished_at: datetime | None
    started_by: str | None = Field(description="username of whoever uploaded it; null for CLI imports")
    read: int
    stored: int
    duplicates: int
    rejected: int
    error: str = Field(description="why the import failed; empty otherwise")
    rejects_url: str | None = Field(description="the reject report (CSV), once finished with rejects")

    @staticmethod
    def resolve_channel(run: ImportRun) -> str:
        return run.channel.name

    @staticmethod
    def resolve_file_name(run: ImportRun) -> str:
        return file_name(run)

    @staticmethod
    def resolve_started_by(run: ImportRun) -> str | None:
        return run.started_by.username if run.started_by else None

    @staticmethod
    def resolve_rejects_url(run: ImportRun) -> str | None:
        if not run.reject_report:
            return None
        return reverse("api-v1:import_rejects", kwargs={"import_id": run.pk})


class ImportPage(Schema):
    items: list[ImportOut]
    next_cursor: str | None


def get_visible_import(user, import_id: int) -> ImportRun:
    run = visible_imports(user).filter(pk=import_id).first()
    if run is None:
        raise NotFound(f"import {import_id} not found")
    return run


@router.post(
    "/channels/{channel_id}/imports",
    response={202: ImportOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    summary="Upload a TWCS or JSONL file to import into a channel (admin, supervisor)",
    description="Multipart form with `file` and `format`. Answers 202 with the queued import; "
    "poll GET /imports/{id} until its status is done or failed.",
)
def upload_import(
    request,
    channel_id: Id,
    format: Literal["twcs", "jsonl"] = FORMAT,
    file: UploadedFile = UPLOAD,
):
    user = caller(request)
    require_import_role(user)  # before the lookup: a refused caller learns nothing about ids
    channel = visible_channels(user).filter(pk=channel_id).first()
    if channel is None:
        raise NotFound(f"channel {channel_id} not found")
    try:
        run = start_import(user, channel, file, format)
    except ChannelInactive as exc:
        raise HttpError(409, str(exc)) from None
    except UploadTooLarge as exc:
        raise HttpError(413, str(exc)) from None
    except ImportRefused as exc:
        # The same 422 shape as a missing field: the client fixes the field named in `loc`.
        raise ValidationError([{"loc": ("form", exc.field or "file"), "msg": str(exc)}]) from None
    return Status(202, visible_imports(user).get(pk=run.pk))


@router.get(
    "/imports",
    response={200: ImportPage, **error_responses(400, 401, 403, 422)},
    summary="List imports, newest first (admin, supervisor)",
)
def list_imports(
    request,
    channel: Id | None = CHANNEL,
    status: ImportStatus | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    runs = visible_imports(caller(request))
    if channel is not None:
        runs = runs.filter(channel_id=channel)
    if status is not None:
        runs = runs.filter(status=status)
    return paginate(runs, NEWEST_FIRST, cursor, limit)


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, **error_responses(401, 403, 404, 422)},
    summary="One import: its status and counts (admin, supervisor)",
)
def read_import(request, import_id: Id):
    return get_visible_import(caller(request), import_id)


@router.get(
    "/imports/{import_id}/rejects",
    response={**error_responses(401, 403, 404, 422)},
    summary="Download an import's reject report as CSV (admin, supervisor)",
    openapi_extra={"responses": CSV_ANSWER},
)
def import_rejects(request, import_id: Id) -> FileResponse:
    report = rejects_file(get_visible_import(caller(request), import_id))
    if report is None:
        raise NotFound(f"import {import_id} has no reject report")
    return FileResponse(
        report.open("rb"),
        as_attachment=True,
        filename=f"import-{import_id}-rejects.csv",
        content_type="text/csv",
    )

"""Grace (or Carol) starts an import of an uploaded file: the service keeps the file, records a
queued import with its event, and the task worker imports it once the transaction commits."""

import csv
from pathlib import Path

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import OperationalError

from tests.uploads import (
    BAD_LINES,
    FIXTURE_ROWS,
    NOT_TWCS,
    TWCS,
    TWCS_WITH_REJECTS,
    upload,
)
from townsquare.events.models import Event
from townsquare.inbox import tasks
from townsquare.inbox.imports import (
    ChannelInactive,
    ImportRefused,
    UploadTooLarge,
    file_name,
    rejects_file,
    start_import,
)
from townsquare.inbox.models import ImportRun, ImportStatus, Message
from townsquare.inbox.tasks import import_uploaded_file
from townsquare.inbox.visibility import Forbidden

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_uploads")]


def run_upload(actor, channel, content=TWCS, fmt="twcs", callbacks=None) -> ImportRun:
    with callbacks(execute=True):
        run = start_import(actor, channel, upload(content), fmt)
    run.refresh_from_db()
    return run


def test_the_upload_is_kept_and_queued_with_its_event(
    grace, twitter, import_uploads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = start_import(grace, twitter, upload(name="../../year of tweets.csv"), "twcs")
    assert run.status == ImportStatus.QUEUED and run.started_by == grace
    assert len(queued) == 1  # the task is enqueued only when the transaction commits
    saved = Path(run.source)
    assert saved.parent == import_uploads and saved.read_bytes() == TWCS
    assert file_name(run) == "year_of_tweets.csv"
    event = Event.objects.get(kind="import.queued")
    assert event.actor_id == grace.pk and event.channel_id == twitter.pk
    assert event.data == {
        "import_id": run.pk,
        "file": "year_of_tweets.csv",
        "format": "twcs",
        "bytes": len(TWCS),
    }
    assert not Message.objects.exists()


def test_the_worker_imports_it_with_counts_and_a_reject_report(
    carol, twitter, import_uploads, django_capture_on_commit_callbacks
):
    run = run_upload(carol, twitter, TWCS_WITH_REJECTS, callbacks=django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE and run.finished_at is not None
    assert (run.read, run.stored, run.duplicates, run.rejected) == (FIXTURE_ROWS + 2, FIXTURE_ROWS, 0, 2)
    assert Message.objects.filter(channel=twitter).count() == FIXTURE_ROWS
    report = rejects_file(run)
    assert report.parent == import_uploads
    rows = list(csv.reader(report.open(encoding="utf-8")))
    assert rows[0] == ["line", "reason", "excerpt"]
    assert [row[0] for row in rows[1:]] == BAD_LINES
    assert {"import.queued", "import.started", "import.finished"} <= set(
        Event.objects.values_list("kind", flat=True)
    )


def test_the_same_file_again_stores_nothing_new(grace, twitter, django_capture_on_commit_callbacks):
    run_upload(grace, twitter, callbacks=django_capture_on_commit_callbacks)
    again = run_upload(grace, twitter, callbacks=django_capture_on_commit_callbacks)
    assert (again.status, again.stored, again.duplicates) == (ImportStatus.DONE, 0, FIXTURE_ROWS)
    assert Message.objects.count() == FIXTURE_ROWS


def test_a_file_that_is_not_twcs_fails_with_the_reason(grace, twitter, django_capture_on_commit_callbacks):
    run = run_upload(grace, twitter, NOT_TWCS, callbacks=django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.FAILED and run.finished_at is not None
    assert run.error.startswith("not a TWCS file: the header needs tweet_id")
    assert rejects_file(run) is None


def test_a_retried_attempt_counts_what_the_first_stored_as_duplicates(grace, twitter):
    run = start_import(grace, twitter, upload(), "twcs")  # not committed: the test runs the task itself
    import_uploaded_file.call(run.pk)
    # The worker died after the import finished but before the task was marked done: recovered,
    # the task sees the finished import and leaves it alone.
    assert import_uploaded_file.call(run.pk) is None
    # A retry of an attempt that failed half way starts the counts again.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    summary = import_uploaded_file.call(run.pk)
    run.refresh_from_db()
    assert (summary["stored"], summary["duplicates"]) == (0, FIXTURE_ROWS)
    assert (run.status, run.read, run.stored, run.duplicates) == (
        ImportStatus.DONE,
        FIXTURE_ROWS,
        0,
        FIXTURE_ROWS,
    )


def test_a_database_error_is_raised_so_the_worker_retries(grace, twitter, monkeypatch):
    run = start_import(grace, twitter, upload(), "twcs")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("townsquare.inbox.ingest.run_import.store_messages", locked)
    monkeypatch.setattr("townsquare.inbox.ingest.run_import.time.sleep", lambda seconds: None)
    with pytest.raises(OperationalError):
        import_uploaded_file.call(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and "database is locked" in run.error


def test_a_channel_deactivated_before_the_worker_starts_fails_the_import(grace, twitter):
    run = start_import(grace, twitter, upload(), "twcs")
    twitter.is_active = False
    twitter.save()
    import_uploaded_file.call(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and "deactivated" in run.error
    assert not Message.objects.exists()


def test_an_upload_gone_from_disk_fails_with_the_reason(grace, twitter):
    run = start_import(grace, twitter, upload(), "twcs")
    Path(run.source).unlink()
    import_uploaded_file.call(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.error == "the uploaded file cannot be read: No such file or directory"


def test_the_reject_report_sits_next_to_the_upload():
    assert tasks.rejects_path(Path("/m/imports/abc-x.csv")) == Path("/m/imports/abc-x.csv.rejects.csv")


@pytest.mark.parametrize("persona", ["alice", "bob", "eve", "farid"])
def test_only_admins_and_supervisors_import(request, twitter, import_uploads, persona):
    with pytest.raises(Forbidden, match="only an admin or a supervisor"):
        start_import(request.getfixturevalue(persona), twitter, upload(), "twcs")
    assert not ImportRun.objects.exists() and not import_uploads.exists()


@pytest.mark.parametrize(
    ("content", "fmt", "error", "field", "reason"),
    [
        (TWCS, "csv", ImportRefused, "format", "format must be one of jsonl, twcs"),
        (b"", "twcs", ImportRefused, "file", "the file is empty"),
        (None, "twcs", ImportRefused, "file", "choose a file"),
        (TWCS + b"x" * 100, "twcs", UploadTooLarge, "file", "the limit is"),
    ],
)
def test_bad_input_is_refused_before_anything_is_kept(
    grace, twitter, import_uploads, settings, content, fmt, error, field, reason
):
    settings.IMPORT_MAX_BYTES = len(TWCS)
    with pytest.raises(error, match=reason) as refused:
        start_import(grace, twitter, None if content is None else upload(content), fmt)
    assert refused.value.field == field
    assert not ImportRun.objects.exists() and not import_uploads.exists()


def test_an_inactive_channel_is_refused(grace, twitter, import_uploads):
    twitter.is_active = False
    twitter.save()
    with pytest.raises(ChannelInactive, match="inactive"):
        start_import(grace, twitter, upload(), "twcs")
    assert not ImportRun.objects.exists()


def test_a_large_upload_is_moved_not_copied(grace, twitter, import_uploads):
    # Django spools uploads over 2.5 MB to a temporary file; the service moves that file.
    spooled = TemporaryUploadedFile("big.csv", "text/csv", len(TWCS), "utf-8")
    spooled.write(TWCS)
    spooled.seek(0)
    run = start_import(grace, twitter, spooled, "twcs")
    assert Path(run.source).read_bytes() == TWCS
    assert not Path(spooled.temporary_file_path()).exists()

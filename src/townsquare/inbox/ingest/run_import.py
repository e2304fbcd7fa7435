"""Import a file into a channel: stream records, store them in batches, report rejects.

Each batch is one transaction (messages, conversations, events, counters, the import's own
totals), so an import killed half way leaves whole batches only, and running it again stores
exactly what is missing.
"""

import csv
import gc
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.ingest.authors import AuthorCache
from townsquare.inbox.ingest.bulk_sql import bulk_write_mode
from townsquare.inbox.ingest.jsonl import read_jsonl
from townsquare.inbox.ingest.reattach import sweep_orphans
from townsquare.inbox.ingest.records import Reject
from townsquare.inbox.ingest.store import count_rejected, store_messages
from townsquare.inbox.ingest.twcs import read_twcs
from townsquare.inbox.models import Channel, ImportRun, ImportStatus

READERS = {"twcs": read_twcs, "jsonl": read_jsonl}
DEFAULT_BATCH = 5000
RETRIES = 5


@dataclass
class ImportSummary:
    import_id: int
    channel: str
    format: str
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    reject_report: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


class RejectReport:
    """Rejected rows as CSV (line, reason, excerpt); the file is only created if there is one."""

    def __init__(self, path: Path):
        self.path = path
        self.handle = None
        self.writer = None

    def add(self, reject: Reject) -> None:
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("w", newline="", encoding="utf-8")
            self.writer = csv.writer(self.handle)
            self.writer.writerow(["line", "reason", "excerpt"])
        self.writer.writerow([reject.line, reject.reason, reject.excerpt])

    def close(self) -> str | None:
        if self.handle is None:
            return None
        self.handle.close()
        return str(self.path)


def default_report_path(channel: Channel, source: Path) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "rejects" / f"{channel.name}-{source.stem}-{stamp}-{os.getpid()}.csv"


def import_file(
    path: Path,
    fmt: str,
    channel: Channel,
    *,
    batch_size: int = DEFAULT_BATCH,
    report_path: Path | None = None,
    progress: Callable[[ImportSummary, int], None] | None = None,
    run: ImportRun | None = None,
) -> ImportSummary:
    """Import `path` (format `fmt`) into `channel`; raises FormatError if the file is not that format.

    `run` is an import recorded earlier (an upload queued for the task worker); without it a new
    one is recorded. An attached run starts again from zero, so a retried attempt counts what
    an earlier attempt stored as duplicates and `read = stored + duplicates + rejected` holds.
    """
    started = time.monotonic()
    run = _start_run(path, fmt, channel, run)
    summary = ImportSummary(import_id=run.pk, channel=channel.name, format=fmt)
    report = RejectReport(report_path or default_report_path(channel, path))
    try:
        _read_and_store(path, READERS[fmt], channel, run, summary, report, batch_size, progress)
        with transaction.atomic():
            sweep_orphans(channel.pk, timezone.now())
    except BaseException as exc:
        summary.reject_report = report.close()
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            error=repr(exc)[:2000],
            reject_report=summary.reject_report or "",
        )
        raise
    summary.reject_report = report.close()
    summary.seconds = round(time.monotonic() - started, 3)
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.DONE, finished_at=timezone.now(), reject_report=summary.reject_report or ""
        )
        record("import.finished", channel_id=channel.pk, data=summary.as_dict())
    return summary


def _start_run(path: Path, fmt: str, channel: Channel, run: ImportRun | None) -> ImportRun:
    with transaction.atomic():
        if run is None:
            run = ImportRun.objects.create(channel=channel, source=str(path), format=fmt)
        else:
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportStatus.RUNNING,
                finished_at=None,
                error="",
                reject_report="",
                read=0,
                stored=0,
                duplicates=0,
                rejected=0,
            )
        record(
            "import.started",
            channel_id=channel.pk,
            data={"import_id": run.pk, "source": str(path), "format": fmt},
        )
    return run


def _read_and_store(path, reader, channel, run, summary, report, batch_size, progress) -> None:
    """Stream the file; store valid messages and count rejects a batch (one transaction) at a time."""
    authors = AuthorCache()
    with path.open("rb") as handle, bulk_write_mode(), fewer_collections():
        batch, rejects = [], 0
        for item in reader(handle):
            summary.read += 1
            if isinstance(item, Reject):
                report.add(item)
                rejects += 1
            else:
                batch.append(item[1])
            if len(batch) >= batch_size or rejects >= batch_size:
                _flush(channel, run, batch, rejects, summary, authors)
                batch, rejects = [], 0
                if progress:
                    progress(summary, handle.tell())
        _flush(channel, run, batch, rejects, summary, authors)


_collector_lock = threading.Lock()
_imports_running = 0
_saved_threshold = gc.get_threshold()


@contextmanager
def fewer_collections(young_objects: int = 20_000):
    """Collect garbage less often while importing (about 4% of an import's time otherwise).

    Every batch allocates hundreds of thousands of short-lived objects, so the collector would
    run every 2,000 and now and then walk every object the process has, Django's included.
    Freezing moves the objects alive now out of its sight. The first import to start changes
    the settings and the last one to finish restores them, so a long-lived worker that runs
    imports on several threads collects as before once they are done.
    """
    global _imports_running, _saved_threshold
    with _collector_lock:
        if _imports_running == 0:
            _saved_threshold = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(young_objects, *_saved_threshold[1:])
        _imports_running += 1
    try:
        yield
    finally:
        with _collector_lock:
            _imports_running -= 1
            if _imports_running == 0:
                gc.set_threshold(*_saved_threshold)
                gc.unfreeze()


def _flush(channel, run, batch, rejects, summary, authors) -> None:
    if not batch and not rejects:
        return
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                result = store_messages(
                    channel, batch, source=f"import:{run.pk}", want_outcomes=False, authors=authors
                )
                count_rejected(channel, rejects)
                ImportRun.objects.filter(pk=run.pk).update(
                    read=F("read") + len(batch) + rejects,
                    stored=F("stored") + result.stored,
                    duplicates=F("duplicates") + result.duplicates,
                    rejected=F("rejected") + rejects,
                )
            break
        except OperationalError:
            # A deadlock (PostgreSQL) or a lock wait that ran out (SQLite) with another writer:
            # the batch rolled back whole, so forget what it cached and try again.
            authors.clear()
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    summary.stored += result.stored
    summary.duplicates += result.duplicates
    summary.rejected += rejects

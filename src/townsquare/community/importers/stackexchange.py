"""`townsquare ingest --format stackexchange PATH [--space SLUG]`: a Stack Exchange site's history
as a community space.

PATH is a dump folder (`Posts.xml`, and if present `Users.xml`, `Tags.xml`, `Comments.xml`) or the
CSV pair derived from one (`questions.csv`, `answers.csv`). The files are streamed and stored in
batches, one transaction each (se_store.py): memory stays flat, a run killed half way leaves whole
batches, and running the import again stores only what is missing. Bad rows go to a reject
report (file, line, reason) and never stop the rows around them.
"""

import csv
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from townsquare.community.importers import se_csv, se_xml
from townsquare.community.importers.se_csv import FormatError
from townsquare.community.importers.se_people import UserMap
from townsquare.community.importers.se_records import Answer, Comment, Question, Reject, SEUser
from townsquare.community.importers.se_store import Store, store_comments, store_posts
from townsquare.community.models import Space
from townsquare.events.log import record
from townsquare.inbox.ingest.bulk_sql import bulk_write_mode

DEFAULT_BATCH = 2000
RETRIES = 5
# Answers read before their question wait in memory; past this many, the oldest are rejected.
MAX_WAITING = 100_000
RECOMPUTE_COMMAND = "community-recompute"
# Sites in another language than English carry its code: es.stackoverflow.com, ru.stackoverflow.com.
_LANGUAGE_PREFIX = re.compile(r"^(es|pt|ru|ja)\.")
_LOCK_NAMESPACE = 0x7463  # "tc": community imports, apart from ingest's channel locks


@dataclass
class ImportSummary:
    site: str
    space: str
    format: str
    read: int = 0
    topics: int = 0
    answers: int = 0
    comments: int = 0
    accepted: int = 0
    users: int = 0
    tags: int = 0
    duplicates: int = 0
    rejected: int = 0
    events: int = 0
    reject_report: str | None = None
    recomputed: bool = False
    seconds: float = 0.0

    @property
    def posts(self) -> int:
        return self.topics + self.answers + self.comments

    def as_dict(self) -> dict:
        return {**asdict(self), "posts": self.posts}


class RejectReport:
    """Rejected rows as CSV (file, line, reason, excerpt); the file is only created for a first reject."""

    def __init__(self, path: Path):
        self.path, self.handle, self.writer = path, None, None

    def add(self, reject: Reject) -> None:
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("w", newline="", encoding="utf-8")
            self.writer = csv.writer(self.handle)
            self.writer.writerow(["file", "line", "reason", "excerpt"])
        self.writer.writerow([reject.file, reject.line, reject.reason, reject.excerpt])

    def close(self) -> str | None:
        if self.handle is None:
            return None
        self.handle.close()
        return str(self.path)


def locate(path: Path) -> tuple[str, Path]:
    """("xml" | "csv", the dump folder) for PATH, or FormatError saying what was expected."""
    folder = path.parent if path.is_file() else path
    if (folder / "Posts.xml").is_file():
        return "xml", folder
    if (folder / "questions.csv").is_file() and (folder / "answers.csv").is_file():
        return "csv", folder
    raise FormatError(
        f"{path}: expected a Stack Exchange dump folder (Posts.xml) or questions.csv + answers.csv"
    )


def site_of(folder: Path) -> str:
    """beer.stackexchange.com -> beer, stackexchange-beer -> beer, stackoverflow.com -> stackoverflow."""
    name = folder.resolve().name.lower()
    name = name.removeprefix("stackexchange-").removesuffix(".stackexchange.com").removesuffix(".com")
    return slugify(name.replace(".", "-"))[:40] or "site"


def space_for(slug: str | None, site: str, language: str | None) -> tuple[Space, bool]:
    slug = slug or site
    existing = Space.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    if slugify(slug) != slug:
        raise FormatError(f"--space {slug!r}: a slug is lowercase letters, digits and '-'")
    space = Space.objects.create(
        slug=slug,
        name=site.replace("-", " ").title()[:100],
        description=f"Questions and answers imported from the {site} Stack Exchange site (CC BY-SA).",
        language=language or _language_of(site),
    )
    return space, True


def _language_of(site: str) -> str:
    match = _LANGUAGE_PREFIX.match(site.replace("-", "."))
    return match.group(1) if match else "en"


def default_report_path(site: str) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "rejects" / f"stackexchange-{site}-{stamp}-{os.getpid()}.csv"


def import_stackexchange(
    path: Path,
    *,
    space: str | None = None,
    site: str | None = None,
    language: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    report_path: Path | None = None,
    recompute: bool = True,
    progress: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    started = time.monotonic()
    kind, folder = locate(path)
    site = slugify(site) if site else site_of(folder)
    with transaction.atomic():
        target, created = space_for(space, site, language)
    summary = ImportSummary(site=site, space=target.slug, format=kind)
    store = Store(
        site=site, space_id=target.pk, language=target.language or language or "", users=UserMap(site)
    )
    posts_file = "Posts.xml" if kind == "xml" else None
    store.files = {
        "question": posts_file or "questions.csv",
        "answer": posts_file or "answers.csv",
        "comment": "Comments.xml",
    }
    report = RejectReport(report_path or default_report_path(site))
    run = Run(store, summary, report, batch_size, progress)
    try:
        with bulk_write_mode():
            run.everything(kind, folder)
    finally:
        summary.reject_report = report.close()
    summary.users, summary.tags = store.users.created, store.tags.created
    if recompute and summary.posts and RECOMPUTE_COMMAND in get_commands():
        call_command(RECOMPUTE_COMMAND)
        summary.recomputed = True
    summary.seconds = round(time.monotonic() - started, 3)
    with transaction.atomic():
        record(
            "community.import_finished",
            data={
                **summary.as_dict(),
                "space_id": target.pk,
                "space_created": created,
                "source": str(folder),
            },
        )
    return summary


class Run:
    """One import's passes over the files, batch by batch."""

    def __init__(self, store: Store, summary: ImportSummary, report: RejectReport, batch_size: int, progress):
        self.store, self.summary, self.report = store, summary, report
        self.batch_size, self.progress = batch_size, progress

    def everything(self, kind: str, folder: Path) -> None:
        if kind == "xml":
            if (folder / "Tags.xml").is_file():
                for names in _chunks(se_xml.read_tags(folder / "Tags.xml"), self.batch_size):
                    self._in_transaction(lambda names=names: self.store.tags.ids(set(names)))
            if (folder / "Users.xml").is_file():
                self._users(se_xml.read_users(folder / "Users.xml"))
            self._posts(se_xml.read_posts(folder / "Posts.xml"))
            if (folder / "Comments.xml").is_file():
                self._comments(se_xml.read_comments(folder / "Comments.xml"))
        else:
            self._posts(se_csv.read_csv_posts(folder))

    def _reject(self, reject: Reject) -> None:
        self.report.add(reject)
        self.summary.rejected += 1

    def _valid(self, items: Iterable) -> Iterator:
        for item in items:
            self.summary.read += 1
            if isinstance(item, Reject):
                self._reject(item)
            else:
                yield item

    def _users(self, rows: Iterator[SEUser | Reject]) -> None:
        for chunk in _chunks(self._valid(rows), self.batch_size):
            wanted = {user.source_id: (user.created_at, user.display_name) for user in chunk}
            self._in_transaction(lambda wanted=wanted: self.store.users.resolve(wanted))

    def _posts(self, items: Iterator[Question | Answer | Reject]) -> None:
        waiting: list[Answer] = []
        for chunk in _chunks(self._valid(items), self.batch_size):
            still, rejects = self._in_transaction(
                lambda chunk=chunk: store_posts(self.store, chunk, final=False)
            )
            waiting.extend(still)
            self._after_batch(rejects)
            if len(waiting) > MAX_WAITING:
                overflow, waiting = waiting[: len(waiting) - MAX_WAITING], waiting[-MAX_WAITING:]
                self._final_answers(overflow)
        self._final_answers(waiting)

    def _final_answers(self, answers: list[Answer]) -> None:
        for start in range(0, len(answers), self.batch_size):
            chunk = answers[start : start + self.batch_size]
            _, rejects = self._in_transaction(lambda chunk=chunk: store_posts(self.store, chunk, final=True))
            self._after_batch(rejects)

    def _comments(self, rows: Iterator[Comment | Reject]) -> None:
        for chunk in _chunks(self._valid(rows), self.batch_size):
            self._after_batch(self._in_transaction(lambda chunk=chunk: store_comments(self.store, chunk)))

    def _after_batch(self, rejects: list[Reject]) -> None:
        for reject in sorted(rejects, key=lambda r: (r.file, r.line)):
            self._reject(reject)
        counts = self.store.counts
        self.summary.topics, self.summary.answers = counts.topics, counts.answers
        self.summary.comments, self.summary.accepted = counts.comments, counts.accepted
        self.summary.duplicates, self.summary.events = counts.duplicates, counts.events
        if self.progress:
            self.progress(self.summary)

    def _in_transaction(self, work):
        """Run one batch in its own transaction, again from scratch after a lock timeout or deadlock."""
        for attempt in range(RETRIES):
            accepted, counts = set(self.store.accepted), replace(self.store.counts)
            try:
                with transaction.atomic():
                    _lock(self.store.site)
                    return work()
            except OperationalError:
                self.store.forget()
                self.store.accepted, self.store.counts = accepted, counts
                if attempt == RETRIES - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        return None


def _lock(site: str) -> None:
    """One import of a site at a time on PostgreSQL (SQLite's write lock already serialises them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_NAMESPACE, site])


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

"""`townsquare ingest PATH --format twcs|jsonl --channel NAME [--json]`: import a file of messages.

`--format stackexchange [--space SLUG]` imports a Stack Exchange dump into a community space instead
(townsquare.community.importers)."""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from townsquare.community.importers import command as community_import
from townsquare.inbox.channels import ChannelError, import_channel
from townsquare.inbox.ingest.run_import import DEFAULT_BATCH, READERS, ImportSummary, import_file
from townsquare.inbox.ingest.twcs import FormatError

# Bigger batches buy little speed and cost memory (a batch is held whole while it is written).
MAX_BATCH = 50_000


class Progress:
    """A one-line progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, total_bytes: int):
        self.total = max(total_bytes, 1)
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, summary: ImportSummary, position: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        share = min(position / self.total, 1.0)
        bar = "#" * int(share * 30)
        rate = summary.read / max(now - self.started, 1e-9)
        sys.stderr.write(
            f"\r[{bar:<30}] {share:6.1%}  {summary.read:,} rows  {summary.stored:,} new  "
            f"{summary.duplicates:,} dup  {summary.rejected:,} bad  {rate:,.0f} rows/s"
        )
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")


class Command(BaseCommand):
    help = "Import messages from a TWCS CSV or JSONL file into a channel (idempotent, streaming)."
    # System checks cost most of a second at start-up; `migrate` and `run` already perform them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=[*sorted(READERS), community_import.FORMAT], required=True)
        parser.add_argument("--channel", help="channel name; created as an import channel if new")
        parser.add_argument("--json", action="store_true", help="print one JSON object with the counts")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
        parser.add_argument("--rejects", type=Path, help="where to write the reject report (CSV)")
        community_import.add_arguments(parser)

    def handle(self, *args, **options):
        path: Path = options["path"]
        if not 1 <= options["batch_size"] <= MAX_BATCH:
            raise CommandError(f"--batch-size must be between 1 and {MAX_BATCH:,}")
        if options["format"] == community_import.FORMAT:
            # A Stack Exchange dump is community history: it goes to a space, never to the inbox.
            community_import.handle(self, options)
            return
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if not options["channel"]:
            raise CommandError("--channel is required for this format")
        try:
            channel = import_channel(options["channel"])
        except ChannelError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            # The usual cause on a new installation: the tables do not exist yet.
            raise CommandError(f"cannot use the database ({exc}); run `townsquare migrate` first") from None
        if not channel.is_active:
            raise CommandError(f"channel {channel.name!r} is inactive; an admin can reactivate it")
        progress = Progress(path.stat().st_size) if sys.stderr.isatty() and not options["json"] else None
        try:
            summary = import_file(
                path,
                options["format"],
                channel,
                batch_size=options["batch_size"],
                report_path=options["rejects"],
                progress=progress,
            )
        except FormatError as exc:
            raise CommandError(f"{path}: {exc}") from None
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from None
        finally:
            if progress:
                progress.done()
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        self.stdout.write(
            f"{path}: read {summary.read:,}, stored {summary.stored:,}, duplicates {summary.duplicates:,}, "
            f"rejected {summary.rejected:,} in {summary.seconds:.1f}s"
        )
        if summary.reject_report:
            self.stdout.write(f"reject report: {summary.reject_report}")

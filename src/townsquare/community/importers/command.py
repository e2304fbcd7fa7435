"""The `ingest` command's `--format stackexchange` branch (the command itself lives in inbox)."""

import json
import sys

from django.core.management.base import CommandError
from django.db import DatabaseError

from townsquare.community.importers.stackexchange import FormatError, ImportSummary, import_stackexchange

FORMAT = "stackexchange"


def add_arguments(parser) -> None:
    parser.add_argument("--space", help=f"{FORMAT}: the space's slug (default: named after the site)")
    parser.add_argument("--site", help=f"{FORMAT}: the site name in external ids (default: from PATH)")
    parser.add_argument("--no-recompute", action="store_true", help=f"{FORMAT}: skip community-recompute")


def handle(command, options) -> None:
    path = options["path"]
    if not path.exists():
        raise CommandError(f"{path}: no such file or folder")
    progress = _progress if sys.stderr.isatty() and not options["json"] else None
    try:
        summary = import_stackexchange(
            path,
            space=options.get("space"),
            site=options.get("site"),
            batch_size=options["batch_size"],
            report_path=options["rejects"],
            recompute=not options.get("no_recompute"),
            progress=progress,
        )
    except FormatError as exc:
        raise CommandError(str(exc)) from None
    except DatabaseError as exc:
        raise CommandError(f"cannot use the database ({exc}); run `townsquare migrate` first") from None
    finally:
        if progress:
            sys.stderr.write("\n")
    if options["json"]:
        command.stdout.write(json.dumps(summary.as_dict()))
        return
    command.stdout.write(
        f"{path}: read {summary.read:,} rows into space {summary.space!r}: {summary.topics:,} questions, "
        f"{summary.answers:,} answers ({summary.accepted:,} accepted), {summary.comments:,} comments, "
        f"{summary.users:,} new members; duplicates {summary.duplicates:,}, rejected {summary.rejected:,} "
        f"in {summary.seconds:.1f}s"
    )
    if summary.reject_report:
        command.stdout.write(f"reject report: {summary.reject_report}")


def _progress(summary: ImportSummary) -> None:
    sys.stderr.write(
        f"\r{summary.read:,} rows  {summary.posts:,} new posts  {summary.duplicates:,} dup  "
        f"{summary.rejected:,} bad"
    )
    sys.stderr.flush()

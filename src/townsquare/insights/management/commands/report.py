"""`townsquare report [--since DATE] [--until DATE] [--channel NAME_OR_ID …] [--json]`: the insights report.

Folds new events into the projection first, then computes the headline and every section (or
those named with --section). `--json` prints one JSON object (`first_response_seconds`,
`resolution_seconds`, `resolution_rate` at the top level, each {value, n, ci95, too_small,
unit}, then one key per section); `--format csv|jsonl` prints one row per figure instead
(`--conversations`: the conversation facts behind the filters); otherwise a text summary.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from townsquare.insights.export import (
    CONVERSATION_COLUMNS,
    FIGURE_COLUMNS,
    as_csv,
    as_jsonl,
    conversation_rows,
    figure_rows,
)
from townsquare.insights.filters import PERIODS, FilterError, build_filters
from townsquare.insights.projection import refresh
from townsquare.insights.report import SECTIONS, build_report, load_sections
from townsquare.insights.text_summary import summary_lines

LISTS = ("channel", "queue", "language", "kind", "agent", "level", "section")


class Command(BaseCommand):
    help = "Print the insights report (figures with n and 95% CI) for a time range and dimensions."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="start date (YYYY-MM-DD, local) or ISO date-time; inclusive")
        parser.add_argument("--until", help="end date (YYYY-MM-DD: the whole day is included) or date-time")
        parser.add_argument("--channel", nargs="+", action="extend", help="channel names or ids")
        parser.add_argument("--queue", nargs="+", action="extend", help="queue ids")
        parser.add_argument("--language", nargs="+", action="extend", help="language codes (en, es, …)")
        parser.add_argument("--kind", nargs="+", action="extend", help="message kinds (question, problem, …)")
        parser.add_argument("--agent", nargs="+", action="extend", help="assignee user ids")
        parser.add_argument("--level", nargs="+", action="extend", help="ambassador, agent, supervisor")
        parser.add_argument("--period", default="week", help=f"series period: {', '.join(PERIODS)}")
        parser.add_argument("--time-zone", dest="time_zone", help="IANA zone for dates and periods")
        parser.add_argument("--section", nargs="+", action="extend", help="only these sections")
        parser.add_argument(
            "--exclude-not-for-us", action="store_true", help="leave out what triage marked spam or chatter"
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")
        parser.add_argument(
            "--format", choices=("csv", "jsonl"), dest="rows_format", help="one row per figure"
        )
        parser.add_argument(
            "--conversations", action="store_true", help="with --format: the conversation facts instead"
        )

    def handle(self, *args, **options):
        try:
            filters = build_filters(
                since=options["since"],
                until=options["until"],
                channel=options["channel"] or (),
                queue=options["queue"] or (),
                language=options["language"] or (),
                kind=options["kind"] or (),
                agent=options["agent"] or (),
                level=options["level"] or (),
                period=options["period"],
                time_zone=options["time_zone"],
                include_not_for_us=not options["exclude_not_for_us"],
            )
        except FilterError as error:
            raise CommandError(str(error)) from None
        if options["conversations"] and not options["rows_format"]:
            raise CommandError("--conversations needs --format csv or --format jsonl")
        sections = self.chosen_sections(options["section"])
        # A person asked: fold the whole backlog, not just the bounded amount a page view folds.
        refresh()
        if options["conversations"]:
            self.write_rows(conversation_rows(filters), options["rows_format"], CONVERSATION_COLUMNS)
            return
        report = build_report(filters, sections=sections).as_json()
        if options["rows_format"]:
            self.write_rows(figure_rows(report), options["rows_format"], FIGURE_COLUMNS)
        elif options["as_json"]:
            self.stdout.write(json.dumps(report))
        else:
            for line in summary_lines(report):
                self.stdout.write(line)

    def chosen_sections(self, names) -> list[str] | None:
        if not names:
            return None
        load_sections()
        wanted = [part.strip() for name in names for part in name.split(",") if part.strip()]
        unknown = [name for name in wanted if name not in SECTIONS]
        if unknown:
            known = ", ".join(sorted(SECTIONS)) or "none"
            raise CommandError(f"no section named {', '.join(unknown)}; sections: {known}")
        return wanted

    def write_rows(self, rows, rows_format: str, columns: tuple[str, ...]) -> None:
        chunks = as_csv(rows, columns) if rows_format == "csv" else as_jsonl(rows)
        for chunk in chunks:
            self.stdout.write(chunk, ending="")

"""Insights as downloadable rows: every figure of a report, or the conversation facts behind it.

`figure_rows(report_json)` flattens a report (`Report.as_json()`) into one row per figure.
`conversation_rows(filters)` streams the projection's facts (ids, labels, times, durations and
flags; no names, handles or text: nothing personal leaves through an export). `as_csv` and
`as_jsonl` turn rows into text chunks for a StreamingHttpResponse, so memory stays flat however
many rows there are.
"""

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import StreamingHttpResponse

from townsquare.insights.filters import Filters
from townsquare.insights.frame import fact_conditions
from townsquare.insights.models import ConversationFact

FIGURE_COLUMNS = ("section", "table", "row", "column", "value", "n", "ci_low", "ci_high", "too_small", "unit")
HEADLINE = "headline"
CONVERSATION_COLUMNS = (
    "conversation_id",
    "channel_id",
    "channel_kind",
    "queue_id",
    "assignee_id",
    "handler_level",
    "language",
    "kind",
    "sentiment",
    "priority",
    "status",
    "started_at",
    "first_inbound_at",
    "first_response_at",
    "resolved_at",
    "first_response_seconds",
    "first_response_business_seconds",
    "resolution_seconds",
    "resolution_business_seconds",
    "resolution_inferred",
    "reopens",
    "sla_first_response",
    "sla_resolution",
    "csat_score",
    "peer_resolved",
    "escalations",
    "inbound_count",
    "outbound_count",
    "not_for_us",
    "frozen",
)
TIME_COLUMNS = ("started_at", "first_inbound_at", "first_response_at", "resolved_at")
FLAG_COLUMNS = ("resolution_inferred", "peer_resolved", "not_for_us", "frozen")
# Rows read from the database per round trip, and text rows joined into one streamed chunk.
FETCH = 2000
CHUNK_ROWS = 500


def is_figure(value) -> bool:
    return isinstance(value, dict) and "value" in value and "n" in value and "ci95" in value


def figure_row(section: str, table: str, row: str, column: str, value) -> dict:
    """One row; `value` is a figure ({value, n, ci95, too_small, unit}) or an exact plain number."""
    if is_figure(value):
        low, high = value["ci95"] if value.get("ci95") else (None, None)
        return {
            "section": section,
            "table": table,
            "row": row,
            "column": column,
            "value": value["value"],
            "n": value["n"],
            "ci_low": low,
            "ci_high": high,
            "too_small": value.get("too_small", False),
            "unit": value.get("unit", ""),
        }
    return {
        **dict.fromkeys(FIGURE_COLUMNS),
        "section": section,
        "table": table,
        "row": row,
        "column": column,
        "value": value,
        "too_small": False,
        "unit": "",
    }


def is_exact(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def figure_rows(report_json: dict) -> Iterator[dict]:
    """Every figure of the report: the headline, then each section's figures, tables, series and
    heat maps, as rows {section, table, row, column, value, n, ci_low, ci_high, too_small, unit}."""
    for name, value in report_json.items():
        if is_figure(value):
            yield figure_row(HEADLINE, "", "", name, value)
    for name, value in report_json.items():
        if isinstance(value, dict) and not is_figure(value) and "title" in value:
            yield from section_rows(name, value)


def section_rows(name: str, section: dict) -> Iterator[dict]:
    for figure_name, value in (section.get("figures") or {}).items():
        if is_figure(value) or is_exact(value):
            yield figure_row(name, "figures", "", figure_name, value)
    for table in section.get("tables") or ():
        for row in table.get("rows") or ():
            label = str(row.get("label", row.get("key", "")))
            for column in table.get("columns") or ():
                value = row.get(column)
                if is_figure(value) or is_exact(value):
                    yield figure_row(name, table.get("name", ""), label, column, value)
    for series in section.get("series") or ():
        for point in series.get("points") or ():
            value = point.get("y")
            if is_figure(value) or is_exact(value):
                yield figure_row(name, series.get("name", ""), str(point.get("x", "")), "y", value)
    for heatmap in section.get("heatmaps") or ():
        row_names, column_names = heatmap.get("rows") or (), heatmap.get("columns") or ()
        for row_name, cells in zip(row_names, heatmap.get("cells") or (), strict=False):
            for column_name, value in zip(column_names, cells, strict=False):
                if is_figure(value) or is_exact(value):
                    yield figure_row(name, heatmap.get("name", ""), str(row_name), str(column_name), value)


def conversation_rows(filters: Filters, conversation_ids: Iterable[int] | None = None) -> Iterator[dict]:
    """The conversation facts the filters select (only `conversation_ids` among them, when given:
    a drill-down), oldest first, read in chunks through a server-side cursor on PostgreSQL."""
    where, params = fact_conditions(filters)
    if conversation_ids is None:
        yield from _rows(where, params)
        return
    wanted = list(conversation_ids)
    for start in range(0, len(wanted), FETCH):
        part = wanted[start : start + FETCH]
        chosen = f"conversation_id IN ({', '.join(['%s'] * len(part))})"
        yield from _rows([*where, chosen], [*params, *part])


def _rows(where: list[str], params: list) -> Iterator[dict]:
    # Raw SQL with times formatted by the database: the ORM's per-value converters cost more than
    # the query on 200,000 rows.
    selected = ", ".join(_utc_text(c) if c in TIME_COLUMNS else c for c in CONVERSATION_COLUMNS)
    table = ConversationFact._meta.db_table
    sql = f"SELECT {selected} FROM {table} WHERE {' AND '.join(where)} ORDER BY started_at, conversation_id"
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH):
            for values in batch:
                row = dict(zip(CONVERSATION_COLUMNS, values, strict=True))
                for name in FLAG_COLUMNS:  # SQLite answers 0/1
                    row[name] = bool(row[name])
                yield row


def _utc_text(column: str) -> str:
    """ISO 8601 in UTC, to the second: 2026-11-24T09:30:00Z."""
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    return f"strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', {column})"


def as_csv(rows: Iterable[dict], columns: tuple[str, ...] | None = None) -> Iterator[str]:
    """A header line, then one line per row (None as an empty cell), yielded a few hundred lines
    at a time. Without `columns`, the first row's keys (an empty export is an empty file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if columns is not None:
        writer.writerow(columns)
    count = 0
    for row in rows:
        if columns is None:
            columns = tuple(row)
            writer.writerow(columns)
        writer.writerow([row.get(column) for column in columns])
        count += 1
        if count % CHUNK_ROWS == 0:
            yield _drain(buffer)
    if buffer.tell():
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def as_jsonl(rows: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line, yielded a few hundred lines at a time."""
    lines = []
    for row in rows:
        lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        if len(lines) == CHUNK_ROWS:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def streaming_response(request, chunks: Iterator[str], rows_format: str, name: str) -> StreamingHttpResponse:
    """A download of `chunks`, as `insights-<name>-<time>.<csv|jsonl>`.

    Under ASGI, Django would read a plain generator into memory whole before sending it; an
    async wrapper that pulls one chunk at a time (in the thread that opened the database
    cursor) keeps memory flat there too."""
    content = _pulled_one_by_one(chunks) if isinstance(request, ASGIRequest) else chunks
    response = StreamingHttpResponse(content, content_type=MEDIA_TYPES[rows_format])
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="insights-{name}-{stamp}.{rows_format}"'
    return response


_DONE = object()


async def _pulled_one_by_one(chunks: Iterator[str]) -> AsyncIterator[str]:
    pull = sync_to_async(next, thread_sensitive=True)
    try:
        while (chunk := await pull(chunks, _DONE)) is not _DONE:
            yield chunk
    finally:
        # A client that went away: close the generator (and its database cursor) in its thread.
        close = getattr(chunks, "close", None)
        if close is not None:
            await sync_to_async(close, thread_sensitive=True)()

"""/insights: the insights report, one section, the conversations behind a figure, exports, refresh.

Supervisors and admins read; only admins fold the log on demand. Filters are the same on every
read: a time range (dates in the report's time zone), dimensions, the series period.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.http import JsonResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.inbox.visibility import Forbidden
from townsquare.insights import export
from townsquare.insights.breakdown import DIMENSIONS, ID_COLUMNS, NONE_KEY
from townsquare.insights.drilldown import conversation_ids
from townsquare.insights.filters import MAX_ID, FilterError, Filters, build_filters
from townsquare.insights.projection import behind, refresh
from townsquare.insights.report import FRESH_CHUNKS, SECTIONS, build_report, load_sections
from townsquare.people.models import Role

router = Router(tags=["insights"])

READERS = {Role.ADMIN, Role.SUPERVISOR}
Word = Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00]*$")]
Moment = Annotated[str, StringConstraints(max_length=40, pattern=r"^[^\x00]*$")]
Zone = Annotated[str, StringConstraints(max_length=64, pattern=r"^[^\x00]*$")]
SectionName = Annotated[str, StringConstraints(max_length=64, pattern=r"^[a-z0-9_-]+$")]
MAX_PAGE = 500
EXPORT_ANSWER = {
    "200": {
        "description": "one row per figure (section, table, row, column, value, n, ci_low, ci_high, "
        "too_small, unit) or per conversation (ids, labels, times, durations, flags; no personal data)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


def require_reader(user) -> None:
    if not (user and user.is_active and user.role in READERS):
        raise Forbidden("only supervisors and admins can read insights")


def require_admin(user) -> None:
    if not (user and user.is_active and user.role == Role.ADMIN):
        raise Forbidden("only an admin can refresh insights")


class FiltersQuery(Schema):
    since: Moment | None = Field(None, description="start: YYYY-MM-DD (local to time_zone) or ISO 8601")
    until: Moment | None = Field(None, description="end: YYYY-MM-DD (the whole day counts) or ISO 8601")
    channel: list[Word] = Field([], description="channel ids or names (repeat, or separate with commas)")
    queue: list[Word] = Field([], description="queue ids")
    language: list[Word] = Field([], description="language codes: en, es, …")
    kind: list[Word] = Field([], description="conversation kinds: question, problem, complaint, …")
    agent: list[Word] = Field([], description="assignee user ids")
    level: list[Word] = Field([], description="who handled it: ambassador, agent, supervisor")
    period: Literal["day", "week", "month"] = Field("week", description="the series' period")
    time_zone: Zone | None = Field(None, description="IANA zone for dates, hours and periods")
    include_not_for_us: bool = Field(True, description="false leaves out what triage marked spam or chatter")


def to_filters(query: FiltersQuery) -> Filters:
    """Filters from the query, or 400 with the reason."""
    try:
        return build_filters(**query.model_dump())
    except FilterError as error:
        raise HttpError(400, str(error)) from None


def section_names(text: str | None) -> list[str] | None:
    if not text:
        return None
    load_sections()
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        raise HttpError(
            400, f"no section named {', '.join(unknown)}; sections: {', '.join(sorted(SECTIONS))}"
        )
    return wanted


class FigureOut(Schema):
    value: float | None
    n: int
    ci95: list[float | None] | None = Field(description="95% confidence interval [low, high]")
    too_small: bool = Field(description='n is below min_n: show "not enough data"')
    unit: str


class ReportOut(Schema):
    """The headline figures, what the report covers, and one object per section, keyed by its name
    (title, method, assumptions, figures, tables, series, heatmaps, notes: see the README)."""

    model_config = ConfigDict(extra="allow")

    first_response_seconds: FigureOut = Field(description="median first response time (wall clock)")
    resolution_seconds: FigureOut = Field(description="median time to resolution")
    resolution_rate: FigureOut
    filters: dict
    generated_at: datetime
    last_event_id: int
    events_behind: int = Field(0, description="events not folded into the projection yet")
    min_n: int


class SectionOut(Schema):
    name: str
    filters: dict
    generated_at: datetime
    last_event_id: int
    section: dict = Field(description="title, method, assumptions, figures, tables, series, heatmaps, notes")


class FactOut(Schema):
    """One conversation as the projection holds it: ids, labels, times, durations, flags."""

    conversation_id: int
    channel_id: int | None
    channel_kind: str
    queue_id: int | None
    assignee_id: int | None
    handler_level: str = Field(description="ambassador, agent or supervisor; empty when unhandled")
    language: str
    kind: str
    sentiment: str
    priority: str
    status: str
    started_at: datetime
    first_inbound_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    first_response_seconds: float | None
    first_response_business_seconds: float | None
    resolution_seconds: float | None
    resolution_business_seconds: float | None
    resolution_inferred: bool = Field(description="an imported thread the brand spoke last in")
    reopens: int
    sla_first_response: str = Field(description='"" not tracked, running, met or breached')
    sla_resolution: str
    csat_score: int | None
    peer_resolved: bool
    escalations: int
    inbound_count: int
    outbound_count: int
    not_for_us: bool
    frozen: bool = Field(description="in a closed period")


class FactPage(Schema):
    items: list[FactOut]
    next_offset: int | None = Field(description="pass as `offset` for the next page; null on the last")


class RefreshOut(Schema):
    events: int = Field(description="events read from the log")
    folded: int = Field(description="events that changed a fact")
    conversations: int = Field(description="conversation facts changed")
    last_event_id: int
    events_behind: int


@router.get(
    "/report",
    response={200: ReportOut, **error_responses(400, 401, 403, 422)},
    summary="The insights report: headline figures and every section (supervisors, admins)",
    description="Each figure is {value, n, ci95, too_small, unit}. `sections` (comma-separated) "
    "limits which sections are computed. New events are folded first (a bounded amount; "
    "`events_behind` says what is left).",
)
def read_report(request, filters: Query[FiltersQuery], sections: Word | None = None):
    require_reader(caller(request))
    chosen = to_filters(filters)
    report = build_report(chosen, sections=section_names(sections)).as_json()
    # As is: validating against ReportOut (the documentation) would drop the section keys.
    return JsonResponse(report)


@router.get(
    "/sections/{section}",
    response={200: SectionOut, **error_responses(400, 401, 403, 404, 422)},
    summary="One section of the insights report (supervisors, admins)",
)
def read_section(request, section: SectionName, filters: Query[FiltersQuery]):
    require_reader(caller(request))
    chosen = to_filters(filters)
    load_sections()
    if section not in SECTIONS:
        raise NotFound(f"no section named {section}")
    report = build_report(chosen, sections=[section]).as_json()
    return {
        "name": section,
        "filters": report["filters"],
        "generated_at": report["generated_at"],
        "last_event_id": report["last_event_id"],
        "section": report[section],
    }


@router.get(
    "/conversations",
    response={200: FactPage, **error_responses(400, 401, 403, 422)},
    summary="The conversations behind a figure: drill-down (supervisors, admins)",
    description="`metric` picks the figure's conversations (all, responded, unanswered, resolved, "
    "unresolved, reopened, sla_met, sla_breached, peer_resolved, csat_high, csat_low, …; an unknown one "
    "answers 400 with the list); `group_by` and `group` pick a table row (group_by=channel&group=3, "
    "group_by=period&group=2026-11-16, group=none for no value). Newest first; follow `next_offset`.",
)
def drill_down(
    request,
    filters: Query[FiltersQuery],
    metric: Word = "all",
    group_by: Word | None = None,
    group: Word | None = None,
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=10_000_000),
):
    require_reader(caller(request))
    chosen = to_filters(filters)
    refresh(max_chunks=FRESH_CHUNKS)
    ids = drilled_ids(chosen, metric, group_by, group, limit + 1, offset)
    items = list(export.conversation_rows(chosen, ids[:limit]))
    order = {conversation_id: place for place, conversation_id in enumerate(ids)}
    items.sort(key=lambda row: order[row["conversation_id"]])
    return {"items": items, "next_offset": offset + limit if len(ids) > limit else None}


def drilled_ids(filters: Filters, metric: str, group_by, group, limit: int, offset: int) -> list[int]:
    if (group_by is None) != (group is None):
        raise HttpError(400, "group_by and group go together")
    if group_by is not None and group_by not in DIMENSIONS:
        raise HttpError(400, f"group_by must be one of {', '.join(DIMENSIONS)}")
    if group_by in ID_COLUMNS and group != NONE_KEY:
        # An id column's row key is an id (or "none"): checked here so it never overflows a query.
        if not (group.isdecimal() and 1 <= int(group) <= MAX_ID):
            raise HttpError(400, f"{group_by} rows are ids (1 to {MAX_ID}) or {NONE_KEY!r}, not {group!r}")
    grouped = {group_by: group} if group_by else {}
    try:
        return list(conversation_ids(filters, metric, limit=limit, offset=offset, **grouped))
    except FilterError as error:
        raise HttpError(400, str(error)) from None


@router.get(
    "/export",
    response={**error_responses(400, 401, 403, 422)},
    summary="Download figures or conversation facts as CSV or JSONL (supervisors, admins)",
    description="Streamed: memory stays flat however many rows. `what=figures` is every figure of the "
    "report for the filters; `what=conversations` the conversation facts behind them.",
    openapi_extra={"responses": EXPORT_ANSWER},
)
def download(
    request,
    filters: Query[FiltersQuery],
    what: Literal["figures", "conversations"] = "figures",
    format: Literal["csv", "jsonl"] = "csv",  # noqa: A002 (the query parameter's name)
    sections: Word | None = None,
):
    require_reader(caller(request))
    chosen = to_filters(filters)
    if what == "figures":
        report = build_report(chosen, sections=section_names(sections)).as_json()
        rows, columns = export.figure_rows(report), export.FIGURE_COLUMNS
    else:
        refresh(max_chunks=FRESH_CHUNKS)
        rows, columns = export.conversation_rows(chosen), export.CONVERSATION_COLUMNS
    chunks = export.as_csv(rows, columns) if format == "csv" else export.as_jsonl(rows)
    return export.streaming_response(request, chunks, format, what)


@router.post(
    "/refresh",
    response={200: RefreshOut, **error_responses(400, 401, 403)},
    summary="Fold every new event into the insights projection now (admins)",
    description="`townsquare run` does this every recovery interval; call it after a large import.",
)
def refresh_now(request):
    require_admin(caller(request))
    return {**refresh().as_dict(), "events_behind": behind()}

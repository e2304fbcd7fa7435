"""CSV and JSONL downloads of what a page shows: its figures, or the conversations behind one."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from townsquare.insights import export
from townsquare.insights import report as reports
from townsquare.insights.drilldown import conversation_ids
from townsquare.insights.filters import FilterError
from townsquare.insights.views.access import insights_view
from townsquare.insights.views.params import drill_from, filters_from

FORMATS = ("csv", "jsonl")


def _chunks(rows, rows_format: str, columns: tuple[str, ...]):
    return export.as_csv(rows, columns) if rows_format == "csv" else export.as_jsonl(rows)


def _bad(error: FilterError) -> HttpResponse:
    return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")


@require_GET
@insights_view
def figures(request, rows_format: str):
    """Every figure of the report (or of one section, `?section=`) under the page's filters."""
    if rows_format not in FORMATS:
        raise Http404("downloads are csv or jsonl")
    reports.load_sections()
    name = request.GET.get("section") or None
    if name is not None and name not in reports.SECTIONS:
        return _bad(FilterError(f"no insights section is called {name!r}"))
    try:
        filters = filters_from(request.GET)
    except FilterError as error:
        return _bad(error)
    report = reports.build_report(filters, sections=[name] if name else None)
    rows = export.figure_rows(report.as_json())
    if name:
        rows = (row for row in rows if row["section"] in (name, export.HEADLINE))
    chunks = _chunks(rows, rows_format, export.FIGURE_COLUMNS)
    return export.streaming_response(request, chunks, rows_format, name or "report")


@require_GET
@insights_view
def conversations(request, rows_format: str):
    """The conversation facts behind a figure (`?metric=`, `group_by`/`group`), as the drill-down
    page lists them."""
    if rows_format not in FORMATS:
        raise Http404("downloads are csv or jsonl")
    try:
        drill = drill_from(request.GET)
        ids = conversation_ids(drill.filters, drill.metric, **drill.group)
    except FilterError as error:
        return _bad(error)
    rows = export.conversation_rows(drill.filters, ids)
    chunks = _chunks(rows, rows_format, export.CONVERSATION_COLUMNS)
    return export.streaming_response(request, chunks, rows_format, "conversations")

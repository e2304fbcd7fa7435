"""The overview (headline figures and every section) and one page per section."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from townsquare.care.models import Queue
from townsquare.inbox.models import Channel
from townsquare.insights import report as reports
from townsquare.insights.figures import MIN_N
from townsquare.insights.filters import PERIODS, FilterError, default_time_zone, parse_zone
from townsquare.insights.views import present
from townsquare.insights.views.access import insights_view
from townsquare.insights.views.params import LEVELS, filters_from, kept
from townsquare.people.models import User
from townsquare.triage.labels import KINDS

STAFF_ROLES = ("agent", "supervisor", "admin", "ambassador")


def form_choices() -> dict:
    """What the filter form offers: three small queries, however much data there is."""
    return {
        "channels": list(Channel.objects.order_by("name").values_list("pk", "name")),
        "queues": list(Queue.objects.order_by("name").values_list("pk", "name")),
        "agents": [
            (pk, first or username)
            for pk, first, username in User.objects.filter(role__in=STAFF_ROLES)
            .order_by("first_name", "username")
            .values_list("pk", "first_name", "username")
        ],
        "kinds": KINDS,
        "levels": LEVELS,
        "periods": PERIODS,
    }


# Quick ranges above the form, as report tools offer them: the last N days including today.
PRESETS = (("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90))


def presets(request) -> list[tuple[str, str, bool]]:
    """(label, link, current) for each quick range, in the page's time zone, other filters kept."""
    try:
        zone = ZoneInfo(parse_zone(request.GET.get("time_zone") or default_time_zone()))
    except FilterError:
        zone = ZoneInfo(default_time_zone())
    today = datetime.now(zone).date()
    links = []
    for label, days in PRESETS:
        since, until = (today - timedelta(days=days - 1)).isoformat(), today.isoformat()
        current = request.GET.get("since") == since and request.GET.get("until") == until
        links.append((label, f"{request.path}?{kept(request.GET, since=since, until=until)}", current))
    return links


def selected(query, choices: dict) -> dict:
    """The values the form's selects show as chosen: comma lists split, channels named in the
    query ("?channel=twitter") matched to their ids, so submitting the form again keeps them."""
    chosen = {
        key: [part.strip() for value in query.getlist(key) for part in value.split(",") if part.strip()]
        for key in ("channel", "queue", "kind", "agent", "level")
    }
    ids_by_name = {name: str(pk) for pk, name in choices["channels"]}
    chosen["channel"] = [ids_by_name.get(value, value) for value in chosen["channel"]]
    return chosen


def page_context(request, active: str) -> dict:
    reports.load_sections()
    query = request.GET
    choices = form_choices()
    return {
        "query": query,
        "kept": kept(query),
        "choices": choices,
        "selected": selected(query, choices),
        "tabs": [
            (name, str(name).replace("_", " ").capitalize(), f"?{kept(query)}") for name in reports.SECTIONS
        ],
        "active": active,
        "min_n": MIN_N,
        "presets": presets(request),
    }


def _bad_filters(request, context: dict, error: FilterError, template: str = "insights/overview.html"):
    """The page with its form and the reason, and no figures: 400, never a 500."""
    context["error"] = str(error)
    return render(request, template, context, status=400)


@require_GET
@insights_view
def overview(request):
    context = page_context(request, "overview")
    try:
        filters = filters_from(request.GET)
    except FilterError as error:
        return _bad_filters(request, context, error)
    report = reports.build_report(filters)
    context.update(
        report=report,
        headline=present.headline(report, request.GET),
        sections=[
            present.section(name, data, request.GET, compact=True) for name, data in report.sections.items()
        ],
    )
    return render(request, "insights/overview.html", context)


@require_GET
@insights_view
def section_page(request, name: str):
    reports.load_sections()
    if name not in reports.SECTIONS:
        raise Http404(f"no insights section is called {name!r}")
    context = page_context(request, name)
    try:
        filters = filters_from(request.GET)
    except FilterError as error:
        return _bad_filters(request, context, error, "insights/section.html")
    report = reports.build_report(filters, sections=[name])
    context.update(
        report=report,
        section=present.section(name, report.sections.get(name, {}), request.GET),
    )
    return render(request, "insights/section.html", context)

"""Drill-down: the conversations behind a figure, with links to each conversation's page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from townsquare.inbox.visibility import visible_conversations
from townsquare.insights.filters import FilterError
from townsquare.insights.views.access import insights_view
from townsquare.insights.views.behind import facts_behind
from townsquare.insights.views.pages import page_context
from townsquare.insights.views.params import drill_filters, kept
from townsquare.web.pii_fence import fence_list_rows

PAGE_SIZE = 50
FACT_FIELDS = (
    "conversation_id",
    "channel_kind",
    "started_at",
    "first_response_seconds",
    "resolution_seconds",
    "status",
    "resolution_inferred",
    "handler_level",
    "language",
    "kind",
)


@require_GET
@insights_view
def conversations(request):
    context = page_context(request, "")
    metric = (request.GET.get("metric") or "").strip()[:80]
    try:
        filters = drill_filters(request.GET)
    except FilterError as error:
        context["error"] = str(error)
        return render(request, "insights/conversations.html", context, status=400)
    facts = facts_behind(filters, metric)
    page = Paginator(facts.values(*FACT_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [row["conversation_id"] for row in rows]
    visible = list(visible_conversations(request.user).filter(pk__in=ids).select_related("channel"))
    fence_list_rows(request.user, visible)
    by_id = {conversation.pk: conversation for conversation in visible}
    for row in rows:
        row["conversation"] = by_id.get(row["conversation_id"])
    context.update(
        metric=metric,
        page=page,
        rows=rows,
        kept_with_metric=kept(request.GET, metric=metric),
    )
    return render(request, "insights/conversations.html", context)

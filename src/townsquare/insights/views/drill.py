"""Drill-down: the conversations behind a figure, with links to each conversation's page.

The ids come from insights.drilldown, which picks them with the same masks the figures are
counted with, so the list is exactly the figure's n (or its successes)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from townsquare.inbox.visibility import visible_conversations
from townsquare.insights.drilldown import conversation_ids
from townsquare.insights.filters import FilterError
from townsquare.insights.models import ConversationFact
from townsquare.insights.views.access import insights_view
from townsquare.insights.views.pages import page_context
from townsquare.insights.views.params import drill_from, kept
from townsquare.web.pii_fence import fence_list_rows

PAGE_SIZE = 50
MAX_PAGE = 200_000
FACT_FIELDS = (
    "conversation_id",
    "channel_kind",
    "started_at",
    "first_response_seconds",
    "resolution_seconds",
    "status",
    "resolution_inferred",
    "handler_level",
)


def page_number(value) -> int:
    if value in (None, ""):
        return 1
    if not str(value).isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise FilterError(f"page must be a whole number from 1, not {value!r}")
    return int(value)


@require_GET
@insights_view
def conversations(request):
    context = page_context(request, "")
    try:
        drill = drill_from(request.GET)
        number = page_number(request.GET.get("page"))
        # Every id at once (one frame load) rather than a page and then a count (two).
        every = conversation_ids(drill.filters, drill.metric, **drill.group)
    except FilterError as error:
        context["error"] = str(error)
        return render(request, "insights/conversations.html", context, status=400)
    total = len(every)
    shown = every[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    facts = {
        row["conversation_id"]: row
        for row in ConversationFact.objects.filter(pk__in=shown).values(*FACT_FIELDS)
    }
    visible = list(visible_conversations(request.user).filter(pk__in=shown).select_related("channel"))
    fence_list_rows(request.user, visible)
    by_id = {conversation.pk: conversation for conversation in visible}
    rows = [{**facts[cid], "conversation": by_id.get(cid)} for cid in shown if cid in facts]
    # What the drill-down is about, kept when the filters change (hidden in the form, and in "Clear").
    hidden = [("metric", drill.metric)] + [
        pair for dimension, key in drill.group.items() for pair in (("group_by", dimension), ("group", key))
    ]
    here = kept(
        request.GET, metric=drill.metric, group_by=list(drill.group), group=list(drill.group.values())
    )
    context.update(
        drill=drill,
        metric=drill.metric,
        metric_title=drill.metric.replace("_", " "),
        rows=rows,
        total=total,
        number=number,
        previous_page=number - 1 if number > 1 else None,
        next_page=number + 1 if number * PAGE_SIZE < total else None,
        kept_with_metric=here,
        hidden=hidden,
        hidden_query=urlencode(hidden),
    )
    return render(request, "insights/conversations.html", context)

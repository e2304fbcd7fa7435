"""Console pages: the conversation list with its saved views, and one conversation's page."""

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from townsquare.inbox.page_reads import VISIBLE_TO, share_reads
from townsquare.inbox.visibility import visible_channels, visible_conversations
from townsquare.replies.suggest import suggest_canned
from townsquare.triage.labels import KINDS
from townsquare.web.access import console_view
from townsquare.web.customer_profile import customer_profile
from townsquare.web.filters import ConversationFilter, load_list_columns, paging_columns
from townsquare.web.labels import thread_with_labels
from townsquare.web.list_rows import rows_html
from townsquare.web.live import live_state, newest_event
from townsquare.web.paging import NEWEST_ACTIVITY, page_of
from townsquare.web.pii_fence import fence_list_rows, sees_pii, shown_free_text
from townsquare.web.saved_views import DEFAULT_VIEW, open_counts, saved_views, visible_queues

SUGGESTIONS = 3


@require_GET
@console_view
@vary_on_headers("HX-Request")  # the same URL answers a full page or a partial; caches must not mix them
def conversation_list(request):
    # Spam and chatter that does not invite a reply wait in the "not for us" view instead.
    conversations = visible_conversations(request.user).filter(not_for_us=False)
    views = saved_views(request.user, list(visible_queues(request.user)))
    return conversation_list_page(request, conversations, list_url=reverse("web:conversations"), views=views)


def conversation_list_page(
    request, conversations, *, list_url: str, not_for_us: bool = False, views: list = ()
):
    """The filtered, paged list as a full page, or as the results partial for htmx."""
    filters = ConversationFilter(
        request.GET, visible_channels(request.user), views=views, may_search_pii=sees_pii(request.user)
    )
    current = None
    if filters.is_valid():
        current = filters.saved_view()
        page = page_of(
            paging_columns(filters.apply(conversations)),
            after=filters.cleaned_data["after"],
            before=filters.cleaned_data["before"],
            ordering=current.ordering if current else NEWEST_ACTIVITY,
        )
        page.rows = load_list_columns(page.rows)
        fence_list_rows(request.user, page.rows)
        rows = rows_html(page.rows, not_for_us_view=not_for_us)
        status = 200
    else:
        page, rows, status = None, "", 400
    # A history restore after the browser's back button needs the whole page, not the partial.
    partial = request.htmx and not request.htmx.history_restore_request
    context = {
        "filters": filters,
        "page": page,
        "rows_html": rows,
        "filtered": filters.narrows(),
        "query": _query_without_cursor(request),
        "list_url": list_url,
        "not_for_us_view": not_for_us,
        "current_view": current,
        # Kept by the filter form and its Clear link; the default view stays out of the URL.
        "view_param": current.key if current and current.key != DEFAULT_VIEW else "",
        "by_time_left": current is not None and current.ordering is not NEWEST_ACTIVITY,
    }
    if not partial:
        context["tabs"] = _tabs(views, current)
        context["current_key"] = current.key if current else DEFAULT_VIEW
        context["live"] = live_state()
    template = "web/_conversation_results.html" if partial else "web/conversation_list.html"
    return render(request, template, context, status=status)


def _tabs(views, current, counts=None) -> list[dict]:
    """The saved-view tabs; with `counts`, each with its open count."""
    current_key = current.key if current else DEFAULT_VIEW
    return [
        {"view": view, "count": (counts or {}).get(view.key), "current": view.key == current_key}
        for view in views
    ]


@require_GET
@console_view
def view_counts(request):
    """The tabs with their open counts (one aggregate query), fetched by the list page after its rows."""
    conversations = visible_conversations(request.user).filter(not_for_us=False)
    views = saved_views(request.user, list(visible_queues(request.user)))
    by_key = {view.key: view for view in views}
    key = request.GET.get("view") or DEFAULT_VIEW
    if key not in by_key:
        return HttpResponseBadRequest(f"There is no saved view called “{key[:60]}” for you.")
    context = {
        "tabs": _tabs(views, by_key[key], open_counts(conversations, views)),
        "counted": True,
        "current_key": key,
    }
    return render(request, "web/_saved_view_tabs.html", context)


def _query_without_cursor(request) -> str:
    """The current filters as a query string, for building page links."""
    params = request.GET.copy()
    for key in ("after", "before", "page"):
        params.pop(key, None)
    return params.urlencode()


@require_GET
@console_view
def conversation_detail(request, conversation_id: int):
    visible = visible_conversations(request.user)
    # A conversation the user may not see answers 404 like a missing one, so ids leak nothing.
    # Joined: the CSAT survey (one row at most), and the newest event id the page polls from, so
    # those parts cost no query of their own. (Joining the SLA row with its policy and calendar
    # too cost PostgreSQL more planning, 0.5 ms, than its own query does.)
    conversation = get_object_or_404(
        visible.select_related("channel", "customer", "queue", "assignee", "csat").annotate(
            newest_event_id=newest_event()
        ),
        pk=conversation_id,
    )
    # Each message names its channel (a chat answered by email): joined, so no query per message.
    thread_messages = conversation.messages.select_related("channel").order_by("created_at", "id")
    thread = thread_with_labels(request.user, thread_messages)
    # The page's parts (reply box, notes, community and consent panels) read the thread and the
    # rest through inbox.page_reads: loaded once here, not once per part.
    share_reads(conversation, thread=[view.message for view in thread], **{VISIBLE_TO: request.user.pk})
    conversation.subject = shown_free_text(request.user, conversation.subject)
    context = {
        "conversation": conversation,
        "thread": thread,
        "profile": customer_profile(request.user, conversation),
        "suggestions": suggested_replies(request.user, conversation),
        "kinds": KINDS,
        "sees_pii": sees_pii(request.user),
        "live": live_state(after=conversation.newest_event_id),
    }
    return render(request, "web/conversation_detail.html", context)


def suggested_replies(user, conversation, limit: int = SUGGESTIONS) -> list[dict]:
    """The best canned replies for this conversation, previewed behind the PII fence."""
    return [
        {
            "canned": suggestion.rendered.canned,
            "reasons": suggestion.reasons,
            "preview": shown_free_text(user, suggestion.rendered.text),
        }
        for suggestion in suggest_canned(conversation, user, limit=limit)
    ]

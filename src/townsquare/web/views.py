"""Console pages: the conversation list and one conversation's thread."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from townsquare.inbox.visibility import visible_channels, visible_conversations
from townsquare.triage.labels import KINDS
from townsquare.web.access import console_view
from townsquare.web.filters import ConversationFilter, with_list_columns
from townsquare.web.labels import thread_with_labels
from townsquare.web.paging import page_of
from townsquare.web.pii_fence import fence_list_rows, sees_pii, shown_free_text


@require_GET
@console_view
@vary_on_headers("HX-Request")  # the same URL answers a full page or a partial; caches must not mix them
def conversation_list(request):
    # Spam and chatter that does not invite a reply wait in the "not for us" view instead.
    conversations = visible_conversations(request.user).filter(not_for_us=False)
    return conversation_list_page(request, conversations, list_url=reverse("web:conversations"))


def conversation_list_page(request, conversations, *, list_url: str, not_for_us: bool = False):
    """The filtered, paged list as a full page, or as the results partial for htmx."""
    filters = ConversationFilter(
        request.GET, visible_channels(request.user), may_search_pii=sees_pii(request.user)
    )
    if filters.is_valid():
        page = page_of(
            with_list_columns(filters.apply(conversations)),
            after=filters.cleaned_data["after"],
            before=filters.cleaned_data["before"],
        )
        fence_list_rows(request.user, page.rows)
        status = 200
    else:
        page, status = None, 400
    context = {
        "filters": filters,
        "page": page,
        "filtered": filters.narrows(),
        "query": _query_without_cursor(request),
        "list_url": list_url,
        "not_for_us_view": not_for_us,
    }
    # A history restore after the browser's back button needs the whole page, not the partial.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "web/_conversation_results.html" if partial else "web/conversation_list.html"
    return render(request, template, context, status=status)


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
    conversation = get_object_or_404(visible.select_related("channel", "customer"), pk=conversation_id)
    thread = thread_with_labels(request.user, conversation.messages.order_by("created_at", "id"))
    identities = []
    if conversation.customer is not None:
        identities = (
            conversation.customer.identities.filter(channel__in=visible_channels(request.user))
            .select_related("channel")
            .order_by("channel__name", "handle")
        )
    conversation.subject = shown_free_text(request.user, conversation.subject)
    context = {
        "conversation": conversation,
        "thread": thread,
        "identities": identities,
        "kinds": KINDS,
        "sees_pii": sees_pii(request.user),
    }
    return render(request, "web/conversation_detail.html", context)

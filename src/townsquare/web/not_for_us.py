"""The "not for us" view: spam and chatter that does not invite a reply, kept apart but never deleted."""

from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from townsquare.inbox.visibility import visible_conversations
from townsquare.web.access import console_view
from townsquare.web.views import conversation_list_page


@require_GET
@console_view
@vary_on_headers("HX-Request")
def not_for_us(request):
    conversations = visible_conversations(request.user).filter(not_for_us=True)
    return conversation_list_page(request, conversations, list_url=reverse("web:not-for-us"), not_for_us=True)

"""POST /conversations/<id>/escalate from the console: one step up the ladder, or a chosen level."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from townsquare.care.escalation import LADDER, EscalationError, escalate
from townsquare.inbox.visibility import visible_conversations
from townsquare.web.access import console_view


@require_POST
@console_view
def escalate_view(request, conversation_id: int):
    conversation = get_object_or_404(visible_conversations(request.user), pk=conversation_id)
    reason = request.POST.get("reason", "")
    to_level = request.POST.get("to_level") or None
    if to_level is not None and to_level not in LADDER:
        return HttpResponse(f"Unknown level {to_level!r}.", status=400, content_type="text/plain")
    try:
        level = escalate(request.user, conversation, reason=reason, to_level=to_level)
    except EscalationError as exc:
        return HttpResponse(f"Cannot escalate: {exc}", status=409, content_type="text/plain")
    messages.success(request, f"Escalated to {level}.")
    if not visible_conversations(request.user).filter(pk=conversation.pk).exists():
        # An ambassador who handed the case to staff no longer sees it.
        return redirect(reverse("web:conversations"))
    return redirect(reverse("web:conversation", args=[conversation.pk]))

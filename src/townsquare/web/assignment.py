"""Console actions on ownership: take a conversation, assign it (supervisors), release it, and the
presence toggle in the header. Each POST answers with a redirect and a message; errors are
messages too, never a 500."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.care.claims import ClaimError, assign, claim, profile_of, unassign, user_by_id
from townsquare.care.models import Presence
from townsquare.care.presence import seen, set_presence
from townsquare.inbox.visibility import Forbidden, visible_conversations
from townsquare.web.access import console_view


def back_to(request, conversation_id: int):
    """The conversation if the user still sees it (a released one may leave their view), else the list."""
    if visible_conversations(request.user).filter(pk=conversation_id).exists():
        return redirect(reverse("web:conversation", args=[conversation_id]))
    return redirect(reverse("web:conversations"))


def attempt(request, conversation_id: int, action, done: str):
    try:
        action()
    except (ClaimError, Forbidden) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return back_to(request, conversation_id)


@require_POST
@console_view
def claim_view(request, conversation_id: int):
    return attempt(request, conversation_id, lambda: claim(request.user, conversation_id), "It is yours now.")


@require_POST
@console_view
def assign_view(request, conversation_id: int):
    raw = request.POST.get("assignee_id", "")
    if not raw.isdigit() or not 0 < int(raw) < 2**63:
        messages.error(request, "Choose who gets the conversation.")
        return back_to(request, conversation_id)
    assignee = user_by_id(int(raw))
    force = request.POST.get("force") in ("1", "on", "true")
    return attempt(
        request,
        conversation_id,
        lambda: assign(request.user, conversation_id, assignee, force=force),
        f"Assigned to {assignee.label}.",
    )


@require_POST
@console_view
def unassign_view(request, conversation_id: int):
    return attempt(
        request,
        conversation_id,
        lambda: unassign(request.user, conversation_id),
        "Released: it goes back to its queue.",
    )


@require_http_methods(["GET", "POST"])
@console_view
def presence(request):
    visible_conversations(request.user)  # roles without the console get its 403 first
    if request.method == "POST":
        try:
            set_presence(request.user, request.POST.get("presence", ""))
        except (ValueError, Forbidden) as exc:
            messages.error(request, str(exc))
        if not request.htmx:
            target = (
                request.POST.get("next") or request.headers.get("Referer") or reverse("web:conversations")
            )
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = reverse("web:conversations")
            return redirect(target)
    else:
        seen(request.user)
    context = {"presence": profile_of(request.user).presence, "choices": Presence.choices}
    return render(request, "web/_presence.html", context)

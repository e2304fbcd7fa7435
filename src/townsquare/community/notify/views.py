"""/community/notifications/: your notifications, unread first; mark read; choose the email digest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from townsquare.community.errors import CommunityError
from townsquare.community.members import member_of
from townsquare.community.models import DigestFrequency
from townsquare.community.notify import inbox, preferences


@login_required
def notifications_page(request):
    unread, read = inbox.unread_first(request.user)
    return render(
        request,
        "community/notify/notifications.html",
        {
            "unread": unread,
            "read": read,
            "digest": member_of(request.user).digest,
            "digest_choices": DigestFrequency.choices,
        },
    )


@login_required
@require_POST
def mark_read(request):
    """One notification (`id`) or all of them (`all`); only ever the signed-in member's own."""
    if request.POST.get("all"):
        count = inbox.mark_read(request.user)
    else:
        ids = [value for value in request.POST.getlist("id") if value.isdigit() and len(value) < 19]
        count = inbox.mark_read(request.user, [int(value) for value in ids]) if ids else 0
    messages.success(
        request, "Marked 1 notification read." if count == 1 else f"Marked {count} notifications read."
    )
    return redirect("community:notifications")


@login_required
@require_POST
def set_digest(request):
    try:
        preferences.set_digest(request.user, request.POST.get("digest", ""))
    except CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your email digest setting is saved.")
    return redirect("community:notifications")

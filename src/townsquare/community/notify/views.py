"""/community/notifications/: your notifications, unread first; mark read; choose the email digest;
follow and stop following topics and spaces (the buttons other pages include post here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from townsquare.community.errors import CommunityError
from townsquare.community.members import member_of
from townsquare.community.models import DigestFrequency, Space, Subscription, Topic, Visibility
from townsquare.community.notify import inbox, preferences, subscriptions

FOLLOWING_SHOWN = 200


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
            "following": list(subscriptions.subscriptions_of(request.user)[:FOLLOWING_SHOWN]),
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


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


@login_required
@require_POST
def follow(request):
    """Follow the topic (`topic`) or space (`space`) named in the form; only ones you can see."""
    topic_id, space_id = _int(request.POST.get("topic")), _int(request.POST.get("space"))
    if topic_id is not None:
        shown = Topic.objects.filter(pk=topic_id, space__is_active=True, visibility=Visibility.VISIBLE)
        target = shown.first() or Topic.objects.filter(pk=topic_id, author=request.user).first()
        kwargs = {"topic": target}
    elif space_id is not None:
        target = Space.objects.filter(pk=space_id, is_active=True).first()
        kwargs = {"space": target}
    else:
        target = None
    if target is None:
        raise Http404("nothing to follow")
    subscriptions.subscribe(request.user, **kwargs)
    messages.success(request, f"You follow “{target}” now.")
    return _back(request, "community:notifications")


@login_required
@require_POST
def unfollow(request):
    subscription = Subscription.objects.filter(
        pk=_int(request.POST.get("id")) or 0, user=request.user
    ).first()
    if subscription is not None:
        subscriptions.unsubscribe(request.user, subscription)
        messages.success(request, "You no longer follow it.")
    return _back(request, "community:notifications")

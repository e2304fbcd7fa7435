"""The moderation pages: the queue (moderators and trust level 4) and the public moderation log.

The queue lists open flags grouped by post, posts held by triage, suspensions and slow mode, each
with a form that needs a written reason. Every form posts to a small view that calls the service
and comes back to the queue, with the service's own words when it refuses.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from townsquare.community import privileges
from townsquare.community.errors import CommunityError, NotAllowed
from townsquare.community.models import Guideline, Space, Visibility
from townsquare.community.moderation import log, queue
from townsquare.community.moderation.access import may_moderate
from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.forms import ACTION_LABELS, ActForm, LiftForm, SlowModeForm, SuspendForm
from townsquare.community.moderation.slow_mode import set_slow_mode
from townsquare.community.moderation.suspensions import lift, suspend
from townsquare.community.moderation.targets import Target
from townsquare.community.views.outcomes import message_page, status_of
from townsquare.community.views.topic import topic_url
from townsquare.people.models import User

SERVICE_ERRORS = (CommunityError, NotAllowed)


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return message_page(
        request, NotAllowed("the moderation queue is for moderators and trust level 4 (leader) members")
    )


def _refuse_staff(request, what: str):
    """Suspensions and slow mode are for the moderator roles; trust level 4 is told so."""
    if not may_moderate(request.user):
        return _refuse(request)
    return message_page(request, NotAllowed(f"only moderators, supervisors and admins may {what}"))


def _card(target: Target, flagged: queue.FlaggedItem | None = None) -> dict:
    """One item in the queue with the actions that make sense for its state."""
    row = target.row
    if row.visibility == Visibility.HELD:
        names = ["approve", "reject"]
    elif row.visibility == Visibility.HIDDEN:
        names = ["restore", "dismiss_flags"] if flagged else ["restore"]
    else:
        names = ["hide", "dismiss_flags"] if flagged else ["hide"]
    kind = "post" if target.post is not None else "topic"
    return {
        "target": target,
        "row": row,
        "flagged": flagged,
        "kind": kind,
        "key": f"{kind}-{row.pk}",
        "actions": [(name, ACTION_LABELS[name]) for name in names],
        "url": topic_url(target.topic),
    }


def _queue_page(request, *, error: str = "", status: int = 200, act_form: ActForm | None = None):
    staff = privileges.is_moderator(request.user)
    context = {
        "flagged": [_card(item.target, item) for item in queue.flagged()],
        "held": [_card(target) for target in queue.held()],
        "guidelines": list(Guideline.objects.filter(is_active=True).order_by("number")),
        "counts": queue.counts(),
        "staff_moderator": staff,
        "suspensions": queue.suspended() if staff else [],
        "spaces": list(Space.objects.order_by("position", "name")) if staff else [],
        "act_form": act_form or ActForm(),
        "suspend_form": SuspendForm(),
        "error": error,
    }
    return render(request, "community/moderation/queue.html", context, status=status)


@require_GET
def queue_page(request):
    if not may_moderate(request.user):
        return _refuse(request)
    # Topic pages link here as ?target=post&id=N so "act on any topic or post" starts filled in.
    initial = {"target": request.GET.get("target", "topic"), "target_id": request.GET.get("id", "")}
    return _queue_page(request, act_form=ActForm(initial=initial))


def _done(request, text: str):
    messages.success(request, text)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("community:moderation"))


def _failed(request, error, form: ActForm | None = None):
    text = error if isinstance(error, str) else str(error)
    status = 400 if isinstance(error, str) else status_of(error)
    return _queue_page(request, error=text, status=status, act_form=form)


def _form_error(form) -> str:
    return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())


def _rule_id(data) -> int | None:
    return data["rule"].pk if data.get("rule") else None


@require_POST
def act(request):
    if not may_moderate(request.user):
        return _refuse(request)
    form = ActForm(request.POST)
    if not form.is_valid():
        return _failed(request, _form_error(form), form)
    data = form.cleaned_data
    target = {f"{data['target']}_id": data["target_id"]}
    try:
        moderate(
            request.user,
            data["action"],
            reason=data["reason"],
            guideline_id=_rule_id(data),
            title=data["title"] or None,
            body=data["body"] or None,
            **target,
        )
    except SERVICE_ERRORS as exc:
        return _failed(request, exc, form)
    return _done(
        request, f"Done: {data['action'].replace('_', ' ')} on {data['target']} {data['target_id']}."
    )


@require_POST
def suspend_member(request):
    if not privileges.is_moderator(request.user):
        return _refuse_staff(request, "suspend members")
    form = SuspendForm(request.POST)
    if not form.is_valid():
        return _failed(request, _form_error(form))
    data = form.cleaned_data
    member = User.objects.filter(username=data["username"].strip()).first()
    if member is None:
        return _failed(request, f"no member is called “{data['username']}”")
    try:
        suspension = suspend(
            request.user, member.pk, days=data["days"], reason=data["reason"], guideline_id=_rule_id(data)
        )
    except SERVICE_ERRORS as exc:
        return _failed(request, exc)
    return _done(
        request, f"{member.get_username()} is suspended until {suspension.until:%Y-%m-%d %H:%M} UTC."
    )


@require_POST
def lift_suspension(request, pk: int):
    if not privileges.is_moderator(request.user):
        return _refuse_staff(request, "lift suspensions")
    form = LiftForm(request.POST)
    if not form.is_valid():
        return _failed(request, _form_error(form))
    try:
        lifted = lift(request.user, pk, reason=form.cleaned_data["reason"])
    except SERVICE_ERRORS as exc:
        return _failed(request, exc)
    return _done(request, f"The suspension of {lifted.user.get_username()} is lifted.")


@require_POST
def slow_mode(request, pk: int):
    if not privileges.is_moderator(request.user):
        return _refuse_staff(request, "set slow mode")
    form = SlowModeForm(request.POST)
    if not form.is_valid():
        return _failed(request, _form_error(form))
    data = form.cleaned_data
    try:
        space = set_slow_mode(
            request.user, pk, data["seconds"], reason=data["reason"], guideline_id=_rule_id(data)
        )
    except SERVICE_ERRORS as exc:
        return _failed(request, exc)
    state = f"{space.slow_mode_seconds} s between posts" if space.slow_mode_seconds else "off"
    return _done(request, f"Slow mode in {space.name}: {state}.")


@require_GET
def log_page(request):
    """Public: what was done, when, under which rule, by which role, and why. Moderators see more."""
    full = may_moderate(request.user)
    before = request.GET.get("before", "")
    before_id = int(before) if before.isdigit() and 0 < int(before) < 2**63 else None
    entries = log.entries(full=full, before=before_id)
    older = entries[-1].id if len(entries) == log.PAGE else None
    return render(
        request, "community/moderation/log.html", {"entries": entries, "full": full, "older": older}
    )

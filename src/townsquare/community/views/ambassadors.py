"""The staff page of the ambassador program: candidates who meet a level's criteria, invitations,
current ambassadors; staff invite, supervisors and admins remove."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from townsquare.community import ambassadors
from townsquare.community.errors import NotAllowed
from townsquare.community.models import AmbassadorInvite, InviteStatus, Member
from townsquare.community.views.outcomes import SERVICE_ERRORS, message_page
from townsquare.people.models import Role, User

BACK = "/community/ambassadors/"


class InviteForm(forms.Form):
    username = forms.CharField(max_length=150, label="Member's user name")
    level = forms.TypedChoiceField(
        choices=[(level, f"{level} — {name}") for level, name in ambassadors.LEVEL_NAMES.items() if level],
        coerce=int,
        label="Level",
    )
    message = forms.CharField(
        required=False,
        max_length=ambassadors.MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Message to the member",
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300, label="Reason")


def _staff_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not ambassadors.is_staff(request.user):
        return message_page(request, NotAllowed("the ambassador program is run by staff"), status=403)
    return None


@require_GET
def program(request):
    if refused := _staff_only(request):
        return refused
    current = (
        Member.objects.select_related("user")
        .filter(Q(ambassador_level__gt=0) | Q(user__role=Role.AMBASSADOR), user__is_active=True)
        .order_by("-ambassador_level", "-peer_resolutions", "pk")[:200]
    )
    context = {
        "candidates": [
            {"c": found, "speed": ambassadors.duration_text(found.median_seconds)}
            for found in ambassadors.candidates(request.user)
        ],
        "pending": AmbassadorInvite.objects.select_related("member__user", "invited_by")
        .filter(status=InviteStatus.PENDING)
        .order_by("-created_at")[:100],
        "current": current,
        "levels": ambassadors.LEVELS,
        "level_names": ambassadors.LEVEL_NAMES,
        "invite_form": InviteForm(),
        "may_remove": ambassadors.is_manager(request.user),
    }
    return render(request, "community/recognition/ambassadors.html", context)


@require_POST
def invite(request):
    if refused := _staff_only(request):
        return refused
    form = InviteForm(request.POST)
    if not form.is_valid():
        return message_page(request, ValueError(form.errors.as_text()), status=400, back=BACK)
    user = User.objects.filter(username=form.cleaned_data["username"].strip(), is_active=True).first()
    if user is None:
        return message_page(request, ValueError("no active member has this user name"), status=400, back=BACK)
    try:
        ambassadors.invite(request.user, user, form.cleaned_data["level"], form.cleaned_data["message"])
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=BACK)
    messages.success(request, f"Invitation sent to {user.get_username()}.")
    return redirect("community:ambassadors")


@require_POST
def remove(request, user_id: int):
    if refused := _staff_only(request):
        return refused
    form = RemoveForm(request.POST)
    user = User.objects.filter(pk=user_id).first()
    if user is None or not form.is_valid():
        return message_page(request, ValueError("no such ambassador"), status=400, back=BACK)
    try:
        ambassadors.remove(request.user, user, form.cleaned_data["reason"])
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=BACK)
    messages.success(request, f"{user.get_username()} is no longer an ambassador.")
    return redirect("community:ambassadors")

"""Public recognition pages: a member's profile, the leaderboard, the badge catalogue; and the two
changes made from a profile: a moderator setting the trust level, a member answering an invitation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.community import ambassadors, privileges, trust
from townsquare.community.members import member_of
from townsquare.community.models import AmbassadorInvite
from townsquare.community.profiles import badge_counts, public_member, public_profile
from townsquare.community.views.outcomes import SERVICE_ERRORS, message_page

LEVEL_CHOICES = [(level, f"{level} — {name}") for level, name in privileges.TRUST_LEVEL_NAMES.items()]


class TrustLevelForm(forms.Form):
    level = forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=int, label="Trust level")
    lock = forms.BooleanField(
        required=False, initial=True, label="Lock it (the automatic rules leave it alone)"
    )
    reason = forms.CharField(required=False, max_length=300, label="Reason (kept in the log)")


def _member_for(request, username: str):
    if request.user.is_authenticated and request.user.get_username() == username:
        return member_of(request.user)
    member = public_member(username=username)
    if member is None:
        raise Http404("no community member has this name")
    return member


@require_GET
def profile(request, username: str):
    member = _member_for(request, username)
    context = {
        "member": member,
        "profile": public_profile(member),
        "own": request.user.is_authenticated and request.user.pk == member.user_id,
        "invites": ambassadors.pending_invites_for(request.user) if request.user.pk == member.user_id else [],
        "trust_form": TrustLevelForm(initial={"level": member.trust_level, "lock": True})
        if privileges.is_moderator(request.user)
        else None,
    }
    return render(request, "community/recognition/profile.html", context)


@require_POST
def set_trust_level(request, username: str):
    if not request.user.is_authenticated:
        return redirect_to_login(f"/community/u/{username}/")
    member = public_member(username=username)
    if member is None:
        raise Http404("no community member has this name")
    form = TrustLevelForm(request.POST)
    if not form.is_valid():
        return message_page(
            request, ValueError(form.errors.as_text()), status=400, back=f"/community/u/{username}/"
        )
    try:
        trust.set_trust_level(
            request.user,
            member.user,
            form.cleaned_data["level"],
            lock=form.cleaned_data["lock"],
            reason=form.cleaned_data["reason"],
        )
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=f"/community/u/{username}/")
    messages.success(request, f"Trust level set to {form.cleaned_data['level']}.")
    return redirect("community:profile", username=username)


@require_GET
def leaderboard(request):
    period = request.GET.get("period", "30d")
    if period not in ambassadors.PERIODS:
        period = "30d"
    rows = [
        {"row": row, "speed": ambassadors.duration_text(row.median_seconds)}
        for row in ambassadors.leaderboard(period, limit=50)
    ]
    return render(
        request,
        "community/recognition/leaderboard.html",
        {"rows": rows, "period": period, "periods": [("30d", "Last 30 days"), ("all", "All time")]},
    )


@require_GET
def badge_list(request):
    return render(request, "community/recognition/badges.html", {"badges": badge_counts()})


@require_http_methods(["GET", "POST"])
def invitation(request, invite_id: int):
    """The invited member's page: what the program is, and accept or decline."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = AmbassadorInvite.objects.select_related("member", "invited_by").filter(pk=invite_id).first()
    if found is None or found.member.user_id != request.user.pk:
        raise Http404("no invitation of yours has this number")
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("accept", "decline"):
            return message_page(
                request, ValueError("choose accept or decline"), status=400, back=request.path
            )
        try:
            ambassadors.respond(request.user, invite_id, accept=decision == "accept")
        except SERVICE_ERRORS as exc:
            return message_page(request, exc, back=request.path)
        if decision == "accept":
            messages.success(request, "Welcome to the ambassador program!")
        else:
            messages.info(request, "You declined the invitation.")
        return redirect("community:profile", username=request.user.get_username())
    criteria = ambassadors.LEVELS[found.level]
    return render(
        request,
        "community/recognition/invitation.html",
        {"invite": found, "level_name": ambassadors.LEVEL_NAMES[found.level], "criteria": criteria},
    )

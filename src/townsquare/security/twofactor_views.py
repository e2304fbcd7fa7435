"""Console pages for two-factor login: set it up (secret, QR code, confirm), recovery codes, turn off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from townsquare.security import recovery, sessions, totp, twofactor


def _page(request, *, status: int = 200, error: str = "", codes: list[str] | None = None):
    user = request.user
    device = twofactor.device_for(user)
    context = {
        "device": device,
        "required": twofactor.is_required(user),
        "error": error,
        "recovery_codes": codes or [],
    }
    if device is None:
        secret = twofactor.enrolment_secret(request.session)
        uri = totp.provisioning_uri(secret, user.get_username())
        context.update(secret=secret, qr_svg=totp.qr_svg(uri), otpauth_uri=uri)
    else:
        context["recovery_codes_left"] = recovery.unused_count(user)
    response = render(request, "security/two_factor.html", context, status=status)
    # The page shows a secret (or recovery codes): never keep it in a cache or the history.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@never_cache
@login_required
def two_factor(request):
    return _page(request)


@require_POST
@sensitive_post_parameters("code")
@login_required
def enable(request):
    try:
        codes = twofactor.enable(request.session, request.user, request.POST.get("code", ""))
    except twofactor.TwoFactorError as exc:
        return _page(request, status=400, error=str(exc))
    # Signing in gained a factor: a new session key, and this session counts as verified.
    request.session.cycle_key()
    sessions.mark_second_factor(request.session, "totp")
    # Rendered, not redirected: the codes exist in clear only in this answer.
    return _page(request, codes=codes)


@require_POST
@sensitive_post_parameters("password", "code")
@login_required
def disable(request):
    try:
        twofactor.disable(request.user, request.POST.get("password", ""), request.POST.get("code", ""))
    except twofactor.TwoFactorError as exc:
        return _page(request, status=400, error=str(exc))
    messages.success(request, "Two-factor login is off. Signing in now needs only your password.")
    return redirect("security:two-factor")


@require_POST
@sensitive_post_parameters("code")
@login_required
def replace_recovery_codes(request):
    try:
        codes = twofactor.new_recovery_codes(request.user, request.POST.get("code", ""))
    except twofactor.TwoFactorError as exc:
        return _page(request, status=400, error=str(exc))
    return _page(request, codes=codes)

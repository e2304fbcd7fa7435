"""Signing up for the community: an account that can ask, answer and vote, signed in straight away.

Anyone can post this form, so it is rate limited per IP address (a few accounts an hour) before
any work is done; the checks themselves (Django's password validators, a free username) are in
`community.joining`.
"""

from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from townsquare.api.ratelimit import over_limit
from townsquare.community.joining import SignupError, join, parse_languages
from townsquare.community.views.forms import SignupForm
from townsquare.security.auth_events import client_ip
from townsquare.security.login_views import complete_login, safe_next

# A household or an office shares an address: a few sign-ups an hour, not one.
SIGNUPS_PER_HOUR = 5


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signup_view(request):
    if request.user.is_authenticated:
        return redirect("community:index")
    form = SignupForm(request.POST or None)
    if request.method == "GET":
        return render(request, "community/signup.html", {"form": form, "next": request.GET.get("next", "")})
    wait = over_limit(f"community-signup:{client_ip(request)}", SIGNUPS_PER_HOUR, 3600)
    if wait:
        form.add_error(
            None, f"Too many sign-ups from your network. Try again in {max(1, wait // 60)} minutes."
        )
        response = render(request, "community/signup.html", {"form": form}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = join(
                username=data["username"],
                email=data["email"],
                password=data["password"],
                display_name=data["display_name"],
                languages=parse_languages(data["languages"]),
            )
        except SignupError as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    form.add_error(field, message)
        else:
            complete_login(request, user, "password")
            return redirect(safe_next(request, user=user))
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "community/signup.html", context, status=400)

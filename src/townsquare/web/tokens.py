"""Console page for the signed-in person's own API tokens: list, create (shown once), revoke.

Open to every signed-in role, customers included: the API lets anyone manage their own
tokens, and what a token can read is still decided per request by the caller's role.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.people.models import ApiToken
from townsquare.people.tokens import TokenError, create_token, revoke_token


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        required=False,
        help_text="What it is for, e.g. “CRM sync”. Optional.",
    )


def _page(request, form: TokenForm, created=None, plaintext: str = "", status: int = 200):
    tokens = request.user.api_tokens.order_by("-created_at", "-id")
    context = {"form": form, "tokens": tokens, "created": created, "plaintext": plaintext}
    return render(request, "web/tokens.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request):
    if request.method == "GET":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, plaintext = create_token(request.user, form.cleaned_data["name"])
    except TokenError as exc:
        form.add_error("name", str(exc))
        return _page(request, form, status=400)
    # Rendered, not redirected: the plaintext exists only in this answer and is never stored.
    response = _page(request, TokenForm(), created=token, plaintext=plaintext)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def revoke(request, token_id: int):
    # Someone else's token is "not found": ids must not reveal which tokens exist.
    token = request.user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise Http404("token not found")
    revoke_token(token, actor=request.user)
    messages.success(request, f"Token {token.prefix}… is revoked; requests that send it now get 401.")
    return redirect("web:tokens")

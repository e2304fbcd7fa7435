"""Asking a question (or starting a discussion) in a space."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from townsquare.community import posting
from townsquare.community.models import Space
from townsquare.community.views.forms import AskForm
from townsquare.community.views.outcomes import SERVICE_ERRORS, status_of
from townsquare.community.views.topic import topic_url


def field_of(message: str) -> str:
    """Which field a service's message is about, so the page shows it next to that field."""
    if message.startswith("title"):
        return "title"
    if message.startswith("tag") or message.endswith(" tags"):
        return "tags"
    if message.startswith("kind"):
        return "kind"
    if message.startswith("body") or "links" in message or "reply guard" in message:
        return "body"
    return "__all__"


@require_http_methods(["GET", "POST"])
def ask_view(request, slug: str):
    space = get_object_or_404(Space, slug=slug, is_active=True)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = AskForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic = posting.ask(
                    request.user, space, data["title"], data["body"], tags=form.tag_names(), kind=data["kind"]
                )
            except SERVICE_ERRORS as exc:
                # The form comes back with the reason next to its field: nothing typed is lost.
                status = status_of(exc)
                form.add_error(field_of(str(exc)), str(exc))
            else:
                return redirect(topic_url(topic))
    return render(request, "community/ask.html", {"form": form, "space": space}, status=status)

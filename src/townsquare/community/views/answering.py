"""Answering a topic and commenting on it or on an answer (POST only; the forms are on the topic page)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from townsquare.community import posting
from townsquare.community.errors import NotAllowed
from townsquare.community.models import Post
from townsquare.community.views.ask import field_of
from townsquare.community.views.forms import PostForm
from townsquare.community.views.outcomes import SERVICE_ERRORS, message_page, status_of
from townsquare.community.views.thread import load_topic, may_see
from townsquare.community.views.topic import render_topic, topic_url


def _signed_out(request, topic):
    """Posting needs an account: the reason and the way to sign in, not a page without a form."""
    return message_page(request, NotAllowed("sign in to take part in the community"), back=topic_url(topic))


def _refused(request, topic, moderator, form, *, key: str, status: int):
    """The topic page again, the typed text in its form and the reason next to it."""
    forms = {"answer_form": form} if key == "answer" else {"comment_forms": {key: form}}
    return render_topic(request, topic, moderator, status=status, forms=forms)


@require_POST
def answer_view(request, pk: int):
    topic, moderator = load_topic(request.user, pk)
    if not request.user.is_authenticated:
        return _signed_out(request, topic)
    form = PostForm(request.POST)
    if not form.is_valid():
        return _refused(request, topic, moderator, form, key="answer", status=400)
    try:
        post = posting.answer(request.user, topic, form.cleaned_data["body"])
    except SERVICE_ERRORS as exc:
        form.add_error("body" if field_of(str(exc)) == "body" else None, str(exc))
        return _refused(request, topic, moderator, form, key="answer", status=status_of(exc))
    return redirect(f"{topic_url(topic)}#post-{post.pk}")


@require_POST
def comment_view(request, pk: int):
    topic, moderator = load_topic(request.user, pk)
    if not request.user.is_authenticated:
        return _signed_out(request, topic)
    parent = None
    if parent_id := request.POST.get("parent"):
        if not parent_id.isdigit():
            parent_id = "0"
        parent = get_object_or_404(Post, pk=int(parent_id), topic=topic)
        if not may_see(request.user, parent, moderator=moderator):
            raise Http404("no such answer")
    key = f"post-{parent.pk}" if parent else "topic"
    form = PostForm(request.POST)
    if not form.is_valid():
        return _refused(request, topic, moderator, form, key=key, status=400)
    try:
        post = posting.comment(request.user, topic, form.cleaned_data["body"], parent=parent)
    except SERVICE_ERRORS as exc:
        form.add_error("body" if field_of(str(exc)) == "body" else None, str(exc))
        return _refused(request, topic, moderator, form, key=key, status=status_of(exc))
    return redirect(f"{topic_url(topic)}#post-{post.pk}")

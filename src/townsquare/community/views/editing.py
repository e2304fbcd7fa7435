"""Editing a topic (its author, moderators) or a post (its author, moderators, trusted members on a wiki)."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from townsquare.community import posting
from townsquare.community.errors import NotAllowed
from townsquare.community.models import Post
from townsquare.community.views.ask import field_of
from townsquare.community.views.forms import EditTopicForm, PostForm
from townsquare.community.views.outcomes import SERVICE_ERRORS, message_page, status_of
from townsquare.community.views.thread import load_topic, may_see
from townsquare.community.views.topic import topic_url


def _not_editable(request, topic, message: str):
    return message_page(request, NotAllowed(message), back=topic_url(topic))


@require_http_methods(["GET", "POST"])
def edit_topic(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    topic, _ = load_topic(request.user, pk)
    if not posting.may_edit(request.user, author_id=topic.author_id):
        return _not_editable(request, topic, "only the author or a moderator may edit this topic")
    initial = {"title": topic.title, "body": topic.body, "tags": " ".join(t.name for t in topic.tags.all())}
    form = EditTopicForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                posting.edit_topic(
                    request.user, topic, title=data["title"], body=data["body"], tags=form.tag_names()
                )
            except SERVICE_ERRORS as exc:
                status = status_of(exc)
                form.add_error(field_of(str(exc)), str(exc))
            else:
                return redirect(topic_url(topic))
    context = {"form": form, "topic": topic, "space": topic.space, "what": "question"}
    return render(request, "community/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def edit_post(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    post = get_object_or_404(Post, pk=pk)
    topic, moderator = load_topic(request.user, post.topic_id)
    if not may_see(request.user, post, moderator=moderator):
        raise Http404("no such post")
    if not posting.may_edit(request.user, author_id=post.author_id, is_wiki=post.is_wiki):
        return _not_editable(
            request, topic, "only the author (or trust level 3 on a wiki answer) may edit this"
        )
    form = PostForm(request.POST or None, initial={"body": post.body})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                posting.edit_post(request.user, post, form.cleaned_data["body"])
            except SERVICE_ERRORS as exc:
                status = status_of(exc)
                form.add_error("body", str(exc))
            else:
                return redirect(f"{topic_url(topic)}#post-{post.pk}")
    context = {"form": form, "topic": topic, "space": topic.space, "what": post.get_kind_display().lower()}
    return render(request, "community/edit.html", context, status=status)

"""Votes, "helpful" marks and accepting an answer: small POSTs from buttons on the topic page.

Without JavaScript each button posts and the page comes back at the same answer; with htmx the
button's block is swapped in place (`_votes.html`, `_post_actions.html`).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from townsquare.community import accepting, privileges, voting
from townsquare.community.models import Post, Topic
from townsquare.community.views.outcomes import SERVICE_ERRORS, message_page
from townsquare.community.views.thread import Entry, load_topic, may_see
from townsquare.community.views.topic import topic_url

VALUES = {"up": 1, "down": -1, "retract": 0}


def _back(topic, post=None):
    anchor = f"#post-{post.pk}" if post is not None else "#question"
    return redirect(topic_url(topic) + anchor)


def _post_in_view(request, pk: int) -> tuple[Post, Topic]:
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk)
    topic, moderator = load_topic(request.user, post.topic_id)
    if not may_see(request.user, post, moderator=moderator):
        raise Http404("no such post")
    return post, topic


def _vote_block(request, entry: Entry, target: str):
    """The score and buttons again, for htmx to swap in place of the ones clicked."""
    context = {
        "entry": entry,
        "target": target,
        "may_vote_up": privileges.can(request.user, "vote_up"),
        "may_vote_down": privileges.can(request.user, "vote_down"),
    }
    return render(request, "community/_votes.html", context)


def _value(request) -> int | None:
    return VALUES.get(request.POST.get("value", ""))


@require_POST
def vote_topic(request, pk: int):
    topic, _ = load_topic(request.user, pk)
    value = _value(request)
    if value is None:
        return message_page(
            request, ValueError("vote up, down or retract"), status=400, back=topic_url(topic)
        )
    try:
        score = voting.vote(request.user, topic=topic, value=value)
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=topic_url(topic))
    if request.headers.get("HX-Request"):
        topic.score = score
        entry = Entry(topic, my_vote=value)
        return _vote_block(request, entry, "topic")
    return _back(topic)


@require_POST
def vote_post(request, pk: int):
    post, topic = _post_in_view(request, pk)
    value = _value(request)
    if value is None:
        return message_page(
            request, ValueError("vote up, down or retract"), status=400, back=topic_url(topic)
        )
    try:
        score = voting.vote(request.user, post=post, value=value)
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=topic_url(topic))
    if request.headers.get("HX-Request"):
        post.score = score
        entry = Entry(post, my_vote=value)
        return _vote_block(request, entry, "post")
    return _back(topic, post)


@require_POST
def helpful(request, pk: int):
    post, topic = _post_in_view(request, pk)
    mark = request.POST.get("helpful", "1") != "0"
    try:
        count = voting.mark_helpful(request.user, post, mark)
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=topic_url(topic))
    if request.headers.get("HX-Request"):
        post.helpful_count = count
        return render(request, "community/_helpful.html", {"entry": Entry(post, helpful=mark)})
    return _back(topic, post)


@require_POST
def accept(request, pk: int):
    post, topic = _post_in_view(request, pk)
    try:
        accepting.accept(request.user, post)
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=topic_url(topic))
    return _back(topic, post)


@require_POST
def unaccept(request, pk: int):
    topic, _ = load_topic(request.user, pk)
    try:
        accepting.unaccept(request.user, topic)
    except SERVICE_ERRORS as exc:
        return message_page(request, exc, back=topic_url(topic))
    return _back(topic)

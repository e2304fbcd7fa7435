"""The topic page: the question, its answers (accepted first, then by score), comments and forms."""

from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from townsquare.community.notify.inbox import mark_topic_read
from townsquare.community.views.forms import PostForm
from townsquare.community.views.thread import build_thread, count_view, load_topic, remember_views


def topic_url(topic) -> str:
    from django.urls import reverse

    return reverse("community:topic", args=[topic.pk, slugify(topic.title)[:80] or "topic"])


def answers_page(request) -> int:
    """`?page=N` of the answers; anything else (missing, not a number, < 1) is the first page."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def render_topic(request, topic, moderator: bool, *, status: int = 200, forms: dict | None = None):
    """The page, also after a refused post (status 400) so the text typed is not lost."""
    thread = build_thread(request.user, topic, moderator, answers_page(request))
    context = {
        "thread": thread,
        "topic": topic,
        "space": topic.space,
        "answer_form": PostForm(),
        "comment_forms": {},
        **(forms or {}),
    }
    return render(request, "community/topic.html", context, status=status)


@require_GET
def topic_page(request, pk: int, slug: str = ""):
    topic, moderator = load_topic(request.user, pk)
    canonical = slugify(topic.title)[:80] or "topic"
    if slug != canonical:
        return redirect(topic_url(topic))
    seen = count_view(request, topic)
    mark_topic_read(request.user, topic.pk)
    response = render_topic(request, topic, moderator)
    remember_views(request, response, seen)
    return response

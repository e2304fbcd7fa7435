"""Where a topic lives on the site (its page path, made absolute by whoever knows the host), and
which topics a care conversation is tied to."""

from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from townsquare.community.models import Topic
from townsquare.inbox.page_reads import shared


def topic_path(topic) -> str:
    slug = slugify(topic.title)[:80].strip("-")
    if slug:
        return reverse("community:topic", args=[topic.pk, slug])
    # Titles in scripts slugify drops (Arabic, Chinese) get the short form.
    return reverse("community:topic-short", args=[topic.pk])


def tied_topics(conversation) -> list[Topic]:
    """Topics that became this conversation (a community question's own conversation) or were
    published from it, in one query, shared by the conversation page's community panels."""
    return shared(
        conversation,
        "community-topics",
        lambda: list(
            Topic.objects.filter(Q(conversation=conversation) | Q(published_from=conversation))
            .only("pk", "title", "conversation_id", "published_from_id")
            .order_by("pk")
        ),
    )

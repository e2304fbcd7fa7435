"""Where a topic lives on the site: its page path, made absolute by whoever knows the host."""

from django.urls import reverse
from django.utils.text import slugify


def topic_path(topic) -> str:
    slug = slugify(topic.title)[:80].strip("-")
    if slug:
        return reverse("community:topic", args=[topic.pk, slug])
    # Titles in scripts slugify drops (Arabic, Chinese) get the short form.
    return reverse("community:topic-short", args=[topic.pk])

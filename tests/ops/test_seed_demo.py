"""The demo data: stored once through ingest, in several languages, with replies in their threads."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.community.models import Topic
from townsquare.inbox.models import Conversation, Message
from townsquare.ops.seed import DEMO_STAFF, read_demo_lines, seed_demo
from townsquare.people.models import User

# A few words only one of the demo's languages uses, to tell the languages apart without triage.
LANGUAGE_MARKERS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "es": re.compile(r"¿|¡|\b(pedido|gracias|tengo|llegó|hola)\b", re.IGNORECASE),
    "pt": re.compile(r"\b(olá|obrigad[ao]|você|vocês|não)\b", re.IGNORECASE),
    "de": re.compile(r"\b(ist|nicht|danke|bestellung|bitte)\b", re.IGNORECASE),
    "fr": re.compile(r"\b(bonjour|merci|commande|est-ce|vous)\b", re.IGNORECASE),
    "en": re.compile(r"\b(the|my|thanks|anyone)\b", re.IGNORECASE),
}


def test_the_demo_file_covers_the_languages_channels_and_kinds_of_message():
    lines = read_demo_lines()

    assert 150 <= len(lines) <= 300
    assert len([line for line in lines if line["in_reply_to"] is None]) >= 60
    assert {line["channel"] for line in lines} == {"twitter-import", "shop-webhook", "community"}
    for language, marker in LANGUAGE_MARKERS.items():
        assert sum(bool(marker.search(line["text"])) for line in lines) >= 3, language
    assert any(line["direction"] == "out" for line in lines)
    dana = [line for line in lines if line["author"]["handle"] == "@dana"]
    assert any("+34" in line["text"] and "roto" in line["text"] for line in dana)


@pytest.mark.django_db
def test_seeding_twice_stores_the_demo_once():
    first = seed_demo()
    again = seed_demo()

    assert first.stored == first.read == len(read_demo_lines())
    assert again.stored == 0
    assert again.duplicates == again.read
    assert demo_messages().count() == first.read
    assert Topic.objects.count() == 4  # the demo community, created once


def demo_messages():
    """The demo file's messages; the demo community's questions reach care through the bridge too."""
    return Message.objects.exclude(external_id__startswith="topic:").exclude(external_id__startswith="post:")


@pytest.mark.django_db
def test_replies_join_their_parents_conversation():
    seed_demo()
    lines = read_demo_lines()

    community = Conversation.objects.filter(messages__external_id__startswith="topic:")
    assert Conversation.objects.exclude(pk__in=community).count() == len(
        [line for line in lines if line["in_reply_to"] is None]
    )
    replies = demo_messages().filter(parent_external_id__isnull=False).select_related("parent")
    assert replies.count() == len(lines) - Conversation.objects.exclude(pk__in=community).count()
    for reply in replies:
        assert reply.parent is not None
        assert reply.conversation_id == reply.parent.conversation_id
    assert Message.objects.filter(direction="out", parent__isnull=False).exists()


@pytest.mark.django_db
def test_the_newest_message_is_minutes_old_and_history_spans_weeks():
    now = timezone.now()
    seed_demo(now=now)

    newest = demo_messages().latest("created_at").created_at
    oldest = demo_messages().earliest("created_at").created_at
    assert now - timedelta(minutes=10) < newest <= now
    assert now - oldest > timedelta(days=21)


@pytest.mark.django_db
def test_the_staff_from_the_scenarios_exist_without_a_usable_password():
    seed_demo()

    for username, _name, role, languages in DEMO_STAFF:
        user = User.objects.get(username=username)
        assert (user.role, user.languages) == (role, languages)
        assert not user.has_usable_password()

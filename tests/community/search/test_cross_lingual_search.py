"""Dana asks in Spanish and Farid in Arabic; both find Bob's English question and its answer.
Real embeddings from triage's multilingual encoder, no stand-ins."""

import pytest
from django.core.management import call_command

from townsquare.community.accepting import accept
from townsquare.community.models import TopicEmbedding
from townsquare.community.posting import answer
from townsquare.community.search import search, similar_topics
from townsquare.community.search.embeddings import MODEL_VERSION

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_questions(ask, members):
    pairing = ask("My headphones will not pair with my phone", "They blink red and never show up.")
    battery = ask("Battery drains overnight", "My phone loses half its charge while idle.")
    router = ask("How do I reset the router password?", "I forgot the admin password.")
    reply = answer(members["dana"], pairing, "Hold the button for ten seconds, then pair again.")
    accept(members["bob"], reply)
    call_command("community-embed")
    return {"pairing": pairing, "battery": battery, "router": router}


def test_a_spanish_query_finds_the_english_question(english_questions):
    page = search("Mis auriculares no se emparejan con el teléfono")
    assert page.results[0].topic == english_questions["pairing"]
    assert page.results[0].matched == ("semantic",)
    assert page.results[0].accepted
    assert english_questions["router"] not in [result.topic for result in page.results]


def test_an_arabic_query_finds_the_english_question(english_questions):
    page = search("سماعات الرأس لا تقترن بهاتفي", mode="semantic")
    assert page.results[0].topic == english_questions["pairing"]


def test_similar_topics_in_any_language(english_questions):
    for text in (
        "¿Cómo restablezco la contraseña del router?",
        "Wie setze ich das Passwort des Routers zurück?",
    ):
        similar = similar_topics(text)
        assert [s.topic for s in similar][:1] == [english_questions["router"]], text
        assert similar[0].language == "en" and not similar[0].accepted
    assert similar_topics("recipe for chocolate cake") == []
    assert similar_topics("Battery drains overnight", exclude=english_questions["battery"]) == []


def test_a_word_both_sides_find_comes_first_and_says_so(english_questions):
    page = search("battery drains")
    assert page.results[0].topic == english_questions["battery"]
    assert page.results[0].matched == ("text", "semantic")


def test_the_command_embeds_only_what_is_missing_then_everything_with_all(english_questions, ask, capsys):
    assert TopicEmbedding.objects.filter(model_version=MODEL_VERSION).count() == 3
    ask("Charger gets hot", "Too hot to touch.")
    call_command("community-embed")
    assert "Embedded 1 topic(s)" in capsys.readouterr().out
    before = set(TopicEmbedding.objects.values_list("id", flat=True))
    call_command("community-embed", "--all")
    assert "Embedded 4 topic(s)" in capsys.readouterr().out
    assert not before & set(TopicEmbedding.objects.values_list("id", flat=True))

"""A customer tweets in Spanish that their headphones won't pair; the community already answered
that in English. Alice sees "Answered in the community" and replies with a link to it."""

import pytest

from tests.community.conftest import at_trust_level
from tests.web.conftest import conversation
from townsquare.community.accepting import accept
from townsquare.community.bridge.suggestions import suggestions_for
from townsquare.community.posting import answer, ask
from townsquare.community.search import vectors
from townsquare.community.search.embeddings import embed_topics
from townsquare.inbox.models import Conversation

pytestmark = pytest.mark.django_db
TWEET = "@acme mis auriculares no se conectan con el teléfono, ¿qué hago?"


@pytest.fixture(autouse=True)
def fresh_vector_index():
    # The index is process-wide; each test's database starts over, so must the index.
    vectors.forget()
    yield
    vectors.forget()


@pytest.fixture
def answered(members, devices_space):
    """Bob's English question about pairing headphones, answered and accepted; an unanswered one."""
    bob, dana = members["bob"], members["dana"]
    at_trust_level(dana, 2)
    solved = ask(bob, devices_space, "My headphones will not pair with my phone", "They blink red.")
    accept(bob, answer(dana, solved, "Hold the button for ten seconds until the light blinks blue."))
    waiting = ask(dana, devices_space, "Headphones do not connect to the phone", "Same here, any idea?")
    embed_topics([solved.pk, waiting.pk])
    return solved


@pytest.fixture
def tweet(twitter):
    made = conversation(twitter, [("in", TWEET)], subject="auriculares", status="open")
    Conversation.objects.filter(pk=made.pk).update(invites_reply=True, language="es")
    made.refresh_from_db()
    return made


def absolute(path: str) -> str:
    return f"https://help.example.com{path}"


def test_the_answered_question_is_suggested_across_languages(answered, tweet):
    [suggestion] = suggestions_for(tweet, absolute)  # the unanswered lookalike is not offered
    assert suggestion.topic == answered and suggestion.accepted
    url = f"https://help.example.com/community/t/{answered.pk}/my-headphones-will-not-pair-with-my-phone/"
    assert suggestion.url == url
    assert suggestion.reply == f"Esto ya tiene respuesta en nuestra comunidad: «{answered.title}» {url}"


def test_chatter_gets_no_suggestions(answered, tweet):
    Conversation.objects.filter(pk=tweet.pk).update(invites_reply=False)
    tweet.refresh_from_db()
    assert suggestions_for(tweet, absolute) == []


def test_a_community_question_is_not_answered_with_itself(answered, members, devices_space):
    at_trust_level(members["farid"], 1)
    own = ask(members["farid"], devices_space, "Headphones won't pair with my phone", "Blinking red.")
    own.refresh_from_db()
    Conversation.objects.filter(pk=own.conversation_id).update(invites_reply=True)
    embed_topics([own.pk])
    found = suggestions_for(Conversation.objects.get(pk=own.conversation_id), absolute)
    assert [s.topic for s in found] == [answered]


def test_alice_sees_them_on_the_conversation_page(client, alice, answered, tweet):
    client.force_login(alice)
    page = client.get(f"/conversations/{tweet.pk}/").content.decode()
    assert "Answered in the community" in page
    assert f"http://testserver/community/t/{answered.pk}/my-headphones-will-not-pair-with-my-phone/" in page
    assert 'data-testid="use-community-link"' in page and "data-reply=" in page


def test_the_api_lists_them(client, bearer, alice, answered, tweet):
    response = client.get(f"/api/v1/conversations/{tweet.pk}/community-suggestions", headers=bearer(alice))
    assert response.status_code == 200
    body = response.json()
    assert body["invites_reply"] is True
    [item] = body["suggestions"]
    assert item["topic_id"] == answered.pk and item["accepted"] and item["space"] == "devices"
    assert item["url"].startswith("http://testserver/community/t/")
    assert item["url"] in item["reply"] and 0.5 <= item["similarity"] <= 1


def test_the_api_refuses_who_may_not_see_it(client, bearer, farid, bob, tweet):
    url = f"/api/v1/conversations/{tweet.pk}/community-suggestions"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(farid)).status_code == 403
    assert client.get(url, headers=bearer(bob)).status_code == 404  # not a community conversation of his
    assert (
        client.get("/api/v1/conversations/999999/community-suggestions", headers=bearer(bob)).status_code
        == 404
    )

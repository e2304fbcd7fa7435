"""Whatever someone types into the search box, they get results or none, never an error."""

import pytest
from django.urls import reverse

from townsquare.community.search import search
from townsquare.community.search.query import parse

pytestmark = pytest.mark.django_db

AWKWARD = [
    '"',
    '"unclosed quote',
    "*",
    "router*",
    "-",
    "--router",
    "-router",
    "NEAR(router reset)",
    "router NEAR reset",
    "AND",
    "router OR",
    "NOT router",
    "(router",
    "router)",
    "title:router",
    "^router",
    "router + reset",
    "'; DROP TABLE community_topic; --",
    "%_%",
    "\\",
    "\x00router",
    "🙂🙂",
    "ルーター",
    "a" * 5000,
    " ".join(["router"] * 200),
    "{router}",
    "router:*",
    "!!!???",
]
# Those whose only word is "router": the operators around it are read as nothing.
FINDS = {'"router', "router*", "(router", "router)", "^router", "\x00router", "{router}", "router:*"}


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_does_not_break_full_text_search(ask, text):
    topic = ask("Router resets every night", "The router reboots at 3 am.")
    results = search(text, mode="text").results
    if text in FINDS:
        assert [r.topic.pk for r in results] == [topic.pk], text


@pytest.mark.parametrize("text", ['"unclosed', "NEAR(a b)", "*", "-", "\x00", "(", "'"])
def test_awkward_text_on_the_page_and_the_api_answers_200(client, ask, text):
    ask("Router resets every night", "The router reboots at 3 am.")
    assert client.get(reverse("community:search"), {"q": text, "mode": "text"}).status_code == 200
    assert client.get("/api/v1/community/search", {"q": text, "mode": "text"}).status_code == 200


def test_only_exclusions_is_nothing_to_search_for():
    assert not parse("-router -reset")
    assert not parse("* ( ) - :")

"""Anyone can search the community from its search page or the API, by words or by meaning,
within a space or a tag; bad input gets a message, and a flood from one address gets a 429."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topics(ask, espanol_space):
    found = {
        "router": ask("Router resets every night", "The router reboots at 3 am.", tags=["router"]),
        "battery": ask("Battery drains overnight", "Half the charge is gone by morning."),
        "modem": ask("El módem se reinicia cada noche", "A las 3 de la mañana.", space=espanol_space),
    }
    call_command("community-embed")
    return found


def test_an_anonymous_visitor_searches_by_words(client, topics):
    response = client.get(reverse("community:search"), {"q": "router", "mode": "text"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="search-result"') == 1
    assert "Router resets every night" in html and "matched by words" in html
    assert 'value="router"' in html  # the query stays in the box


def test_the_page_merges_meaning_and_says_which_matched(client, topics):
    html = client.get(reverse("community:search"), {"q": "my router restarts at night"}).content.decode()
    assert "Router resets every night" in html
    assert "El módem se reinicia cada noche" in html  # by meaning, in Spanish
    assert "matched by meaning" in html


def test_a_space_and_a_tag_narrow_the_results(client, topics):
    html = client.get(reverse("community:search"), {"q": "router", "space": "espanol"}).content.decode()
    assert "Router resets every night" not in html
    html = client.get(
        reverse("community:search"), {"q": "night", "tag": "router", "mode": "text"}
    ).content.decode()
    assert html.count('data-testid="search-result"') == 1


def test_an_empty_box_shows_the_form_only(client, topics):
    response = client.get(reverse("community:search"))
    assert response.status_code == 200
    assert 'data-testid="search-result"' not in response.content.decode()


def test_bad_filters_get_a_message_not_an_error(client, topics):
    response = client.get(reverse("community:search"), {"q": "router", "space": "nowhere"})
    assert response.status_code == 400
    assert "There is no space called" in response.content.decode()
    response = client.get(reverse("community:search"), {"q": "router", "page": "999"})
    assert response.status_code == 400
    response = client.get(reverse("community:search"), {"q": "router", "mode": "psychic"})
    assert response.status_code == 400


def test_one_address_searching_too_fast_is_told_to_wait(client, topics, settings):
    settings.COMMUNITY_SEARCH_RATE_LIMIT = 5
    settings.COMMUNITY_SEARCH_RATE_WINDOW_SECONDS = 3600  # no window ends during the test
    for _ in range(5):
        assert client.get(reverse("community:search"), {"q": "router", "mode": "text"}).status_code == 200
    response = client.get(reverse("community:search"), {"q": "router", "mode": "text"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Too many searches" in response.content.decode()
    other = client.get(reverse("community:search"), {"q": "router"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_the_api_searches_for_anyone(client, topics):
    response = client.get("/api/v1/community/search", {"q": "router reboots", "mode": "text"})
    assert response.status_code == 200
    body = response.json()
    assert [hit["id"] for hit in body["results"]] == [topics["router"].pk]
    assert body["results"][0]["matched"] == ["text"] and body["next_page"] is None
    semantic = client.get(
        "/api/v1/community/search", {"q": "mi módem se reinicia", "mode": "semantic"}
    ).json()
    assert semantic["results"][0]["id"] == topics["modem"].pk
    assert client.get("/api/v1/community/search", {"q": "x", "space": 999999}).status_code == 404
    assert client.get("/api/v1/community/search", {"q": "x", "tag": "nope"}).status_code == 404
    assert client.get("/api/v1/community/search", {"q": "x", "mode": "psychic"}).status_code == 422
    assert client.get("/api/v1/community/search", {"q": "x", "page": 0}).status_code == 422

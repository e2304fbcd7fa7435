"""Dana starts asking in Spanish; before she posts, the ask form shows Bob's English question
with its accepted answer, and the API gives the same list to scripts and the care bridge."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from townsquare.community.accepting import accept
from townsquare.community.posting import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(ask, members):
    topic = ask("My headphones will not pair with my phone", "They blink red and never show up.")
    accept(
        members["bob"], answer(members["farid"], topic, "Hold the button for ten seconds, then pair again.")
    )
    ask("How do I reset the router password?", "I forgot the admin password.")
    call_command("community-embed")
    return topic


def test_the_ask_form_asks_for_similar_questions_as_the_title_is_typed(client, members, espanol_space):
    client.force_login(members["dana"])
    page = client.get(reverse("community:ask", args=[espanol_space.slug])).content.decode()
    assert f'hx-get="{reverse("community:similar")}"' in page
    # "input", not "keyup": pasting a title or the browser's autofill must ask too.
    assert 'hx-trigger="input changed delay:400ms, load"' in page
    assert 'hx-target="#similar-questions"' in page
    assert '<div id="similar-questions" aria-live="polite"></div>' in page


def test_a_spanish_title_shows_the_english_question_with_its_accepted_mark(client, pairing):
    response = client.get(
        reverse("community:similar"),
        {"title": "Mis auriculares no se emparejan con el teléfono"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Similar questions already asked" in html
    assert pairing.title in html and f"/community/t/{pairing.pk}/" in html
    assert 'lang="en"' in html and "solved" in html
    assert "router" not in html
    assert html.count('data-testid="similar-question"') == 1


def test_an_arabic_title_finds_it_too(client, pairing):
    html = client.get(
        reverse("community:similar"), {"title": "سماعات الرأس لا تقترن بهاتفي"}
    ).content.decode()
    assert pairing.title in html


def test_nothing_similar_or_too_short_shows_nothing(client, pairing):
    for title in ("", "hi", "Recipe for a chocolate cake with cherries"):
        response = client.get(reverse("community:similar"), {"title": title})
        assert response.status_code == 200
        assert "data-testid" not in response.content.decode(), title


def test_the_api_lists_similar_questions_for_anyone(client, pairing):
    response = client.get("/api/v1/community/similar", {"title": "¿Mis auriculares no se emparejan?"})
    assert response.status_code == 200
    first = response.json()[0]
    assert first["id"] == pairing.pk and first["solved"] is True and first["language"] == "en"
    assert first["url"] == f"/community/t/{pairing.pk}/my-headphones-will-not-pair-with-my-phone/"
    assert 0.45 <= first["similarity"] <= 1
    excluded = client.get("/api/v1/community/similar", {"title": pairing.title, "exclude": pairing.pk})
    assert pairing.pk not in [item["id"] for item in excluded.json()]
    assert client.get("/api/v1/community/similar").status_code == 422
    assert client.get("/api/v1/community/similar", {"title": "x", "limit": 500}).status_code == 422

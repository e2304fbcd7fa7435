"""Dana votes on Bob's answer and on Farid's question; Farid marks the answer helpful."""

import pytest
from django.urls import reverse

from tests.community.pages.conftest import page_of
from townsquare.community.models import Post, Reaction, Topic, Vote

pytestmark = pytest.mark.django_db


def test_dana_upvotes_an_answer_then_takes_it_back(client, question, bobs_answer, members):
    client.force_login(members["dana"])
    url = reverse("community:vote-post", args=[bobs_answer.pk])
    response = client.post(url, {"value": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{bobs_answer.pk}")
    assert Post.objects.get(pk=bobs_answer.pk).score == 1
    page = client.get(page_of(question)).content.decode()
    assert 'aria-pressed="true"' in page and 'value="retract"' in page
    client.post(url, {"value": "retract"})
    assert Post.objects.get(pk=bobs_answer.pk).score == 0 and not Vote.objects.exists()


def test_a_vote_with_htmx_returns_the_vote_block(client, question, members):
    client.force_login(members["dana"])
    response = client.post(
        reverse("community:vote-topic", args=[question.pk]), {"value": "up"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div class="c-votes" id="votes-topic-') and "Score 1" in html
    assert Topic.objects.get(pk=question.pk).score == 1


def test_downvotes_need_trust_level_2(client, question, bobs_answer, members):
    client.force_login(members["dana"])  # trust level 1
    response = client.post(reverse("community:vote-post", args=[bobs_answer.pk]), {"value": "down"})
    assert response.status_code == 403 and "trust level 2" in response.content.decode().lower()
    assert not Vote.objects.exists()


def test_nobody_votes_on_their_own_post_or_sends_a_strange_value(client, question, bobs_answer, members):
    client.force_login(members["bob"])
    assert (
        client.post(reverse("community:vote-post", args=[bobs_answer.pk]), {"value": "up"}).status_code == 403
    )
    assert (
        client.post(reverse("community:vote-topic", args=[question.pk]), {"value": "42"}).status_code == 400
    )
    assert not Vote.objects.exists()


def test_a_visitor_sees_scores_but_no_vote_buttons(client, question, bobs_answer):
    page = client.get(page_of(question)).content.decode()
    assert "Score 0" in page and 'value="up"' not in page
    response = client.post(reverse("community:vote-topic", args=[question.pk]), {"value": "up"})
    assert response.status_code == 403


def test_farid_marks_an_answer_helpful(client, question, bobs_answer, members):
    client.force_login(members["farid"])
    client.post(reverse("community:helpful", args=[bobs_answer.pk]), {"helpful": "1"})
    assert Post.objects.get(pk=bobs_answer.pk).helpful_count == 1
    assert "Helpful · 1" in client.get(page_of(question)).content.decode()
    client.post(reverse("community:helpful", args=[bobs_answer.pk]), {"helpful": "0"})
    assert not Reaction.objects.exists()


def test_buttons_follow_the_trust_level(client, question, bobs_answer, members):
    client.force_login(members["farid"])  # trust level 0: no votes yet
    assert 'value="up"' not in client.get(page_of(question)).content.decode()
    client.force_login(members["dana"])  # trust level 1: upvotes only
    html = client.get(page_of(question)).content.decode()
    assert 'value="up"' in html and 'value="down"' not in html
    client.force_login(members["bob"])  # trust level 3: both, on the question (the answer is his own)
    html = client.get(page_of(question)).content.decode()
    assert html.count('value="down"') == 1

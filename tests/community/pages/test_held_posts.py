"""A post held for review is seen only by its author (who is told why) and by moderators."""

import pytest
from django.test import Client

from tests.community.pages.conftest import page_of
from townsquare.community.models import Post, Visibility
from townsquare.community.posting import answer

pytestmark = pytest.mark.django_db
REASON = "held for review: it looks like spam (score 0.97)"


def hold(item):
    type(item).objects.filter(pk=item.pk).update(visibility=Visibility.HELD, visibility_reason=REASON)


def page_as(user, topic) -> tuple[int, str]:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(page_of(topic))
    return response.status_code, response.content.decode()


def test_a_held_answer_shows_to_its_author_with_the_reason_and_to_moderators(question, members, eve):
    held = answer(members["dana"], question, "Buy cheap followers now")
    hold(held)
    status, html = page_as(members["dana"], question)
    assert "Buy cheap followers now" in html and REASON in html and "only you and the moderators" in html
    status, html = page_as(eve, question)
    assert "Buy cheap followers now" in html and "Held for review" in html
    for viewer in (None, members["farid"], members["bob"]):
        status, html = page_as(viewer, question)
        assert status == 200 and "Buy cheap followers now" not in html
    assert Post.objects.get(pk=held.pk).visibility == Visibility.HELD


def test_a_held_question_is_404_to_others_and_not_listed(question, members, eve):
    hold(question)
    assert page_as(members["farid"], question)[0] == 200
    assert REASON in page_as(members["farid"], question)[1]
    assert page_as(eve, question)[0] == 200
    assert page_as(None, question)[0] == 404
    assert page_as(members["bob"], question)[0] == 404
    listing = Client().get("/community/s/devices/").content.decode()
    assert "will not pair" not in listing


def test_comments_of_a_hidden_answer_stay_hidden_too(question, bobs_answer, members):
    from townsquare.community.posting import comment

    comment(members["dana"], question, "Thanks Bob", parent=bobs_answer)
    Post.objects.filter(pk=bobs_answer.pk).update(visibility=Visibility.HIDDEN, visibility_reason="rule 2")
    html = page_as(members["farid"], question)[1]
    assert "Thanks Bob" not in html and "Hold the power button" not in html


def test_a_member_trusted_to_moderate_sees_held_posts(question, members):
    from tests.community.conftest import at_trust_level

    held = answer(members["dana"], question, "Buy cheap followers now")
    hold(held)
    assert "Buy cheap followers now" not in page_as(members["bob"], question)[1]  # trust level 3
    at_trust_level(members["bob"], 4)
    assert "Buy cheap followers now" in page_as(members["bob"], question)[1]

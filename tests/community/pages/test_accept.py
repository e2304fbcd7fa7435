"""Farid accepts Bob's answer: it moves to the top and the question counts as solved."""

import pytest
from django.urls import reverse

from tests.community.pages.conftest import page_of
from townsquare.community.models import Topic
from townsquare.community.posting import answer
from townsquare.community.voting import vote
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def test_farid_accepts_and_the_answer_comes_first(client, question, bobs_answer, members, alice):
    staff_answer = answer(alice, question, "Update the firmware from the app.")
    vote(members["dana"], post=staff_answer, value=1)  # a higher score: first until one is accepted
    client.force_login(members["farid"])
    html = client.get(page_of(question)).content.decode()
    assert html.index("Update the firmware") < html.index("Hold the power button")
    assert "Accept this answer" in html
    response = client.post(reverse("community:accept", args=[bobs_answer.pk]))
    assert response.status_code == 302
    assert Topic.objects.get(pk=question.pk).accepted_post_id == bobs_answer.pk
    assert Event.objects.get(kind="community.answer_accepted").actor_id == members["farid"].pk
    html = client.get(page_of(question)).content.decode()
    assert html.index("Hold the power button") < html.index("Update the firmware")
    assert "Accepted answer" in html and "Unaccept" in html
    solved = client.get(reverse("community:space", args=["devices"]), {"tab": "solved"}).content.decode()
    assert "will not pair" in solved


def test_only_the_asker_or_staff_see_and_use_accept(client, question, bobs_answer, members):
    client.force_login(members["dana"])
    assert "Accept this answer" not in client.get(page_of(question)).content.decode()
    response = client.post(reverse("community:accept", args=[bobs_answer.pk]))
    assert response.status_code == 403 and "only the person who asked" in response.content.decode().lower()
    assert Topic.objects.get(pk=question.pk).accepted_post_id is None


def test_accepting_twice_is_a_conflict_and_unaccept_undoes_it(client, question, bobs_answer, members):
    client.force_login(members["farid"])
    client.post(reverse("community:accept", args=[bobs_answer.pk]))
    assert client.post(reverse("community:accept", args=[bobs_answer.pk])).status_code == 409
    client.post(reverse("community:unaccept", args=[question.pk]))
    assert Topic.objects.get(pk=question.pk).accepted_post_id is None
    assert client.post(reverse("community:unaccept", args=[question.pk])).status_code == 409

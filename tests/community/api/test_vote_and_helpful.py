"""Votes follow trust levels: Farid (new) cannot upvote yet, Dana (basic) can; nobody votes for themselves."""

import pytest

from townsquare.events.models import Event

from .conftest import API

pytestmark = pytest.mark.django_db


def vote(client, url, headers, value):
    return client.post(url, {"value": value}, content_type="application/json", headers=headers)


def test_dana_upvotes_bobs_answer_and_takes_it_back(client, bearer, question, members):
    _, reply = question
    headers = bearer(members["dana"])
    assert vote(client, f"{API}/posts/{reply.pk}/vote", headers, 1).json() == {"score": 1}
    assert vote(client, f"{API}/posts/{reply.pk}/vote", headers, 0).json() == {"score": 0}
    assert Event.objects.filter(kind="community.vote", actor_id=members["dana"].pk).count() == 2


def test_trust_levels_and_own_posts(client, bearer, question, members):
    topic, reply = question
    farid = vote(client, f"{API}/posts/{reply.pk}/vote", bearer(members["farid"]), 1)
    assert farid.status_code == 403 and "trust level 1" in farid.json()["detail"]
    down = vote(client, f"{API}/posts/{reply.pk}/vote", bearer(members["dana"]), -1)
    assert down.status_code == 403 and "trust level 2" in down.json()["detail"]
    own = vote(client, f"{API}/posts/{reply.pk}/vote", bearer(members["bob"]), 1)
    assert own.status_code == 403 and "own post" in own.json()["detail"]
    assert vote(client, f"{API}/topics/{topic.pk}/vote", bearer(members["bob"]), 1).json() == {"score": 1}
    assert vote(client, f"{API}/topics/{topic.pk}/vote", bearer(members["bob"]), 2).status_code == 422


def test_farid_marks_the_answer_helpful_and_unmarks_it(client, bearer, question, members):
    _, reply = question
    headers = bearer(members["farid"])
    marked = client.post(f"{API}/posts/{reply.pk}/helpful", headers=headers)
    assert marked.json() == {"helpful": True, "helpful_count": 1}
    unmarked = client.delete(f"{API}/posts/{reply.pk}/helpful", headers=headers)
    assert unmarked.json() == {"helpful": False, "helpful_count": 0}
    again = client.delete(f"{API}/posts/{reply.pk}/helpful", headers=headers)
    assert again.status_code == 409
    assert client.post(f"{API}/posts/{reply.pk}/helpful").status_code == 401

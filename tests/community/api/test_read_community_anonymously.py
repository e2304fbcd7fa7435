"""A visitor without an account reads spaces, questions and answers; held posts stay out of sight."""

import pytest

from townsquare.community.models import Post, Topic, Visibility

from .conftest import API

pytestmark = pytest.mark.django_db


def test_a_visitor_reads_spaces_topics_and_answers(client, question):
    topic, reply = question
    spaces = client.get(f"{API}/spaces")
    assert spaces.status_code == 200
    assert [space["slug"] for space in spaces.json()] == ["devices"]
    listed = client.get(f"{API}/topics")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [topic.pk]
    assert listed.json()["items"][0]["tags"] == ["pairing"]
    detail = client.get(f"{API}/topics/{topic.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["title"] == "My headphones will not pair" and body["author"]["username"] == "farid"
    assert [answer["id"] for answer in body["answers"]] == [reply.pk]
    assert client.get(f"{API}/tags").json() == [{"name": "pairing", "description": "", "topic_count": 1}]


def test_a_bad_token_is_refused_not_read_anonymously(client, question):
    response = client.get(f"{API}/topics", headers={"Authorization": "Bearer ts_not-a-real-token"})
    assert response.status_code == 401


def test_unknown_ids_are_404(client, question):
    assert client.get(f"{API}/topics/999999").status_code == 404
    assert client.get(f"{API}/spaces/999999").status_code == 404
    assert client.get(f"{API}/topics?space=999999").status_code == 404


def test_held_posts_are_seen_only_by_their_author_and_moderators(client, bearer, question, members, eve):
    topic, reply = question
    Post.objects.filter(pk=reply.pk).update(visibility=Visibility.HELD, visibility_reason="held: spam?")
    Topic.objects.filter(pk=topic.pk).update(visibility=Visibility.HIDDEN, visibility_reason="off topic")
    assert client.get(f"{API}/topics/{topic.pk}").status_code == 404
    assert client.get(f"{API}/topics").json()["items"] == []
    dana = client.get(f"{API}/topics/{topic.pk}", headers=bearer(members["dana"]))
    assert dana.status_code == 404
    farid = client.get(f"{API}/topics/{topic.pk}", headers=bearer(members["farid"])).json()
    assert farid["visibility_reason"] == "off topic"
    assert farid["answers"] == []  # Bob's held answer is Bob's to see
    bob_view = client.get(f"{API}/topics", headers=bearer(members["bob"])).json()
    assert bob_view["items"] == []
    moderator = client.get(f"{API}/topics/{topic.pk}", headers=bearer(eve)).json()
    assert moderator["answers"][0]["visibility_reason"] == "held: spam?"


def test_the_accepted_answer_comes_first(client, question, members, alice):
    from townsquare.community.accepting import accept
    from townsquare.community.posting import answer, comment
    from townsquare.community.voting import vote

    topic, reply = question
    staff = answer(alice, topic, "Update the firmware from the app, then pair again.")
    vote(members["dana"], post=staff, value=1)
    note = comment(members["farid"], topic, "Thanks, trying now", parent=reply)
    accept(members["farid"], reply)
    body = client.get(f"{API}/topics/{topic.pk}").json()
    assert [answer["id"] for answer in body["answers"]] == [reply.pk, staff.pk]
    assert body["answers"][0]["accepted"] is True and body["solved"] is True
    assert [c["id"] for c in body["answers"][0]["comments"]] == [note.pk]

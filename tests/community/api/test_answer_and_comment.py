"""Bob answers Farid's question, Farid comments on the answer and on his question."""

import pytest

from townsquare.community.models import Post
from townsquare.events.models import Event

from .conftest import API

pytestmark = pytest.mark.django_db


def post(client, url, headers, **body):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_answer_then_comments(client, bearer, question, members, dana):
    topic, reply = question
    answered = post(
        client, f"{API}/topics/{topic.pk}/answers", bearer(dana), body="Update the firmware first."
    )
    assert answered.status_code == 201, answered.content
    assert answered.json()["kind"] == "answer" and answered.json()["author"]["username"] == "dana"
    on_answer = post(
        client, f"{API}/posts/{reply.pk}/comments", bearer(members["farid"]), body="That worked!"
    )
    assert on_answer.status_code == 201
    assert on_answer.json()["parent_id"] == reply.pk
    on_topic = post(client, f"{API}/topics/{topic.pk}/comments", bearer(members["farid"]), body="Model X2.")
    assert on_topic.status_code == 201 and on_topic.json()["parent_id"] is None
    detail = client.get(f"{API}/topics/{topic.pk}").json()
    assert detail["answer_count"] == 2
    assert [c["body"] for c in detail["comments"]] == ["Model X2."]
    assert Event.objects.filter(kind="community.post_created", actor_id=members["farid"].pk).count() == 2


def test_a_comment_on_a_comment_is_refused(client, bearer, question, members):
    topic, reply = question
    note = post(client, f"{API}/posts/{reply.pk}/comments", bearer(members["farid"]), body="Thanks!").json()
    response = post(client, f"{API}/posts/{note['id']}/comments", bearer(members["bob"]), body="Welcome")
    assert response.status_code == 400
    assert "comments go on the topic" in response.json()["detail"]


def test_answers_on_unknown_or_hidden_topics_are_404(client, bearer, question, members):
    topic, _ = question
    topic.visibility = "hidden"
    topic.save(update_fields=["visibility"])
    response = post(client, f"{API}/topics/{topic.pk}/answers", bearer(members["bob"]), body="Try again")
    assert response.status_code == 404
    assert post(client, f"{API}/topics/999999/answers", bearer(members["bob"]), body="Hi").status_code == 404
    assert Post.objects.count() == 1


def test_an_empty_answer_is_422(client, bearer, question, members):
    topic, _ = question
    assert (
        post(client, f"{API}/topics/{topic.pk}/answers", bearer(members["bob"]), body="").status_code == 422
    )


def test_staff_cannot_pitch_in_a_support_space(client, bearer, question, alice):
    topic, _ = question
    response = post(
        client,
        f"{API}/topics/{topic.pk}/answers",
        bearer(alice),
        body="Use code SAVE20 for 20% off a new pair!",
    )
    assert response.status_code == 400
    assert response.json()["reasons"]
    assert "reply guard" in response.json()["detail"]

"""Authors edit their own topics and answers; others cannot (except moderators)."""

import pytest

from .conftest import API

pytestmark = pytest.mark.django_db


def patch(client, url, headers, **body):
    return client.patch(url, body, content_type="application/json", headers=headers)


def test_farid_edits_his_question(client, bearer, question, members):
    topic, _ = question
    response = patch(
        client,
        f"{API}/topics/{topic.pk}",
        bearer(members["farid"]),
        title="Headphones X2 will not pair",
        tags=["x2"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Headphones X2 will not pair" and response.json()["tags"] == ["x2"]
    refused = patch(
        client, f"{API}/topics/{topic.pk}", bearer(members["bob"]), title="Something else entirely"
    )
    assert refused.status_code == 403


def test_bob_edits_his_answer_and_a_moderator_may_too(client, bearer, question, members, eve):
    _, reply = question
    mine = patch(
        client, f"{API}/posts/{reply.pk}", bearer(members["bob"]), body="Hold it for fifteen seconds."
    )
    assert mine.status_code == 200 and mine.json()["edited_at"]
    assert patch(client, f"{API}/posts/{reply.pk}", bearer(members["farid"]), body="Wrong").status_code == 403
    assert patch(client, f"{API}/posts/{reply.pk}", bearer(eve), body="Hold it for 15 s.").status_code == 200
    wiki = patch(client, f"{API}/posts/{reply.pk}", bearer(members["bob"]), wiki=True)
    assert wiki.json()["is_wiki"] is True

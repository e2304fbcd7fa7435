"""Farid asks a question in the Devices space from the ask page."""

import pytest
from django.urls import reverse

from tests.community.pages.conftest import page_of
from townsquare.community.models import Topic
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def ask_url():
    return reverse("community:ask", args=["devices"])


def test_farid_asks_and_lands_on_his_question(client, devices_space, members):
    client.force_login(members["farid"])
    page = client.get(ask_url()).content.decode()
    assert 'id="similar-questions"' in page and "Formatting help" in page and "csrfmiddlewaretoken" in page
    response = client.post(
        ask_url(),
        {
            "title": "Left earbud is silent",
            "body": "Only the right one plays.",
            "tags": "audio, earbuds",
            "kind": "question",
        },
    )
    topic = Topic.objects.get(title="Left earbud is silent")
    assert response.status_code == 302 and response["Location"] == page_of(topic)
    assert topic.author == members["farid"] and sorted(t.name for t in topic.tags.all()) == [
        "audio",
        "earbuds",
    ]
    assert Event.objects.filter(kind="community.topic_created", actor_id=members["farid"].pk).count() == 1
    assert (
        "Left earbud is silent" in client.get(reverse("community:space", args=["devices"])).content.decode()
    )


def test_a_visitor_is_asked_to_sign_in_first(client, devices_space):
    response = client.get(ask_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.post(ask_url(), {"title": "Anonymous question", "body": "text", "kind": "question"})
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "data, field, says",
    [
        ({"title": "Hey", "body": "text"}, "title", "at least 5"),
        ({"title": "A fine title", "body": "text", "tags": "Bad_Tag!"}, "tags", "lowercase"),
        ({"title": "A fine title", "body": "text", "tags": "a b c d e f"}, "tags", "at most 5"),
        ({"title": "A fine title", "body": ""}, "body", "required"),
    ],
)
def test_what_the_service_refuses_shows_next_to_the_field_and_keeps_the_text(
    client, devices_space, members, data, field, says
):
    client.force_login(members["farid"])
    response = client.post(ask_url(), {"kind": "question", **data})
    assert response.status_code == 400
    assert says in " ".join(response.context["form"].errors[field])
    assert data["title"] in response.content.decode()
    assert not Topic.objects.exists()


def test_a_new_member_cannot_post_links_yet(client, devices_space, members):
    client.force_login(members["farid"])
    response = client.post(
        ask_url(),
        {"title": "Where is the manual?", "body": "Is it https://example.org/manual", "kind": "question"},
    )
    assert response.status_code == 403
    assert "trust level 1" in " ".join(response.context["form"].errors["body"])
    assert "https://example.org/manual" in response.content.decode()

"""Askers and posters follow their topics by themselves; members follow and stop following topics and
spaces through the API; nobody sees or removes someone else's subscription."""

import pytest

from townsquare.community.models import Subscription
from townsquare.community.posting import answer, comment
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db
API = "/api/v1/community/subscriptions"


def followers(topic) -> set[str]:
    return set(Subscription.objects.filter(topic=topic).values_list("user__username", flat=True))


def test_asker_and_posters_follow_the_topic(question, members):
    assert followers(question) == {"farid"}
    reply = answer(members["bob"], question, "Hold the power button for ten seconds.")
    comment(members["dana"], question, "Same here", parent=reply)
    comment(members["bob"], question, "Which model?")
    assert followers(question) == {"farid", "bob", "dana"}
    assert Subscription.objects.filter(topic=question).count() == 3


def test_follow_and_stop_following_through_the_api(client, bearer, question, devices_space, members):
    headers = bearer(members["dana"])
    topic = client.post(API, {"topic_id": question.pk}, content_type="application/json", headers=headers)
    assert topic.status_code == 201
    again = client.post(API, {"topic_id": question.pk}, content_type="application/json", headers=headers)
    assert again.status_code == 200 and again.json()["id"] == topic.json()["id"]
    space = client.post(API, {"space_id": devices_space.pk}, content_type="application/json", headers=headers)
    assert space.status_code == 201 and space.json()["space_id"] == devices_space.pk
    listed = client.get(API, headers=headers).json()
    assert {(s["topic_id"], s["space_id"]) for s in listed} == {(question.pk, None), (None, devices_space.pk)}
    assert Event.objects.filter(kind="community.subscribed", actor_id=members["dana"].pk).count() == 2
    gone = client.delete(f"{API}/{topic.json()['id']}", headers=headers)
    assert gone.status_code == 204
    assert "dana" not in followers(question)
    assert Event.objects.filter(kind="community.unsubscribed", actor_id=members["dana"].pk).exists()


def test_someone_elses_subscription_is_not_found(client, bearer, question, members):
    farids = Subscription.objects.get(topic=question, user=members["farid"])
    response = client.delete(f"{API}/{farids.pk}", headers=bearer(members["dana"]))
    assert response.status_code == 404
    assert Subscription.objects.filter(pk=farids.pk).exists()
    assert all(s["id"] != farids.pk for s in client.get(API, headers=bearer(members["dana"])).json())


def test_bad_subscription_requests(client, bearer, question, members):
    headers = bearer(members["dana"])
    both = client.post(
        API,
        {"topic_id": question.pk, "space_id": question.space_id},
        content_type="application/json",
        headers=headers,
    )
    assert both.status_code == 400
    assert client.post(API, {}, content_type="application/json", headers=headers).status_code == 400
    unknown = client.post(API, {"topic_id": 999999}, content_type="application/json", headers=headers)
    assert unknown.status_code == 404
    assert client.post(API, {"topic_id": question.pk}, content_type="application/json").status_code == 401

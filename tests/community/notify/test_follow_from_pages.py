"""Dana follows Farid's question and the Devices space from the pages, sees them on her notifications
page and stops following; the follow button other pages include shows the right state."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from townsquare.community.models import Subscription

pytestmark = pytest.mark.django_db


def test_dana_follows_and_stops_following(client, question, devices_space, members):
    dana = members["dana"]
    client.force_login(dana)
    back = f"/community/t/{question.pk}/"
    response = client.post("/community/follow", {"topic": question.pk, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    client.post("/community/follow", {"space": devices_space.pk})
    assert Subscription.objects.filter(user=dana).count() == 2
    page = client.get("/community/notifications/").content.decode()
    assert "My headphones will not pair" in page and "Space: <a" in page
    subscription = Subscription.objects.get(user=dana, topic=question)
    client.post("/community/unfollow", {"id": subscription.pk})
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_only_your_own_and_only_what_you_can_see(client, question, members):
    farids = Subscription.objects.get(user=members["farid"], topic=question)
    client.force_login(members["dana"])
    client.post("/community/unfollow", {"id": farids.pk})
    assert Subscription.objects.filter(pk=farids.pk).exists()
    question.visibility = "held"
    question.save(update_fields=["visibility"])
    assert client.post("/community/follow", {"topic": question.pk}).status_code == 404
    assert client.post("/community/follow", {"topic": "x"}).status_code == 404
    assert client.post("/community/follow", {"next": "https://evil.example.com/"}).status_code == 404


def test_an_offsite_next_is_not_followed(client, devices_space, members):
    client.force_login(members["dana"])
    response = client.post(
        "/community/follow", {"space": devices_space.pk, "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/community/notifications/"


def test_the_follow_button(question, members):
    template = Template('{% include "community/notify/follow_button.html" with topic=topic %}')
    request = RequestFactory().get(f"/community/t/{question.pk}/")
    request.user = members["dana"]
    html = template.render(Context({"topic": question, "request": request, "user": request.user}))
    assert 'aria-pressed="false">Follow</button>' in html and 'name="topic"' in html
    request.user = members["farid"]  # the asker follows by himself
    html = template.render(Context({"topic": question, "request": request, "user": request.user}))
    assert 'aria-pressed="true">Following</button>' in html

"""A visitor without an account reads the spaces, a space's topics, a tag and a topic."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.community.pages.conftest import page_of
from townsquare.community.models import Topic
from townsquare.community.posting import ask
from townsquare.community.views.listing import TOPICS_PER_PAGE as PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_the_spaces_index_shows_each_space_with_its_latest_topics(
    client, question, bobs_answer, espanol_space
):
    response = client.get(reverse("community:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Devices" in html and "Dispositivos" in html
    assert "My headphones will not pair" in html
    assert "1 topic</p>" in html
    assert 'href="/community/signup/"' in html and 'id="main"' in html


def test_the_index_stops_counting_at_its_cap(client, question, members, devices_space, monkeypatch):
    from townsquare.community.views import listing

    ask(members["dana"], devices_space, "Which charger do I need?", "For the new model.")
    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    assert "1+ topics" in client.get(reverse("community:index")).content.decode()


def test_a_space_lists_its_topics_with_author_answers_and_tags(client, question, bobs_answer):
    response = client.get(reverse("community:space", args=["devices"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "My headphones will not pair" in html
    assert "1 answer" in html and "Farid" in html
    assert 'class="c-tag"' in html and "pairing" in html


def test_tabs_split_unanswered_and_solved(client, devices_space, members, question, bobs_answer):
    ask(members["dana"], devices_space, "Which charger do I need?", "For the new model.")
    url = reverse("community:space", args=["devices"])
    unanswered = client.get(url, {"tab": "unanswered"}).content.decode()
    assert "Which charger" in unanswered and "will not pair" not in unanswered
    solved = client.get(url, {"tab": "solved"}).content.decode()
    assert "Which charger" not in solved and "will not pair" not in solved


def test_filter_by_tag_in_a_space_and_across_spaces(client, devices_space, members, question):
    ask(members["dana"], devices_space, "Which charger do I need?", "For the new model.", tags=["power"])
    in_space = client.get(reverse("community:space", args=["devices"]), {"tag": "pairing"}).content.decode()
    assert "will not pair" in in_space and "Which charger" not in in_space
    everywhere = client.get(reverse("community:tag", args=["power"])).content.decode()
    assert "Which charger" in everywhere and "will not pair" not in everywhere
    assert client.get(reverse("community:tag", args=["nonesuch"])).status_code == 404


def test_the_topic_page_shows_question_and_answers_without_forms_to_post(client, question, bobs_answer):
    response = client.get(page_of(question))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>red</strong>" in html
    assert "Hold the power button" in html
    assert "Sign in</a> or" in html and 'name="body"' not in html


def test_a_short_or_wrong_slug_redirects_to_the_canonical_address(client, question):
    response = client.get(reverse("community:topic-short", args=[question.pk]))
    assert response.status_code == 302 and response["Location"] == page_of(question)
    wrong = client.get(reverse("community:topic", args=[question.pk, "old-title"]))
    assert wrong["Location"] == page_of(question)


def test_views_count_once_per_visitor_without_a_session_for_readers(client, question, members):
    from django.contrib.sessions.models import Session

    client.get(page_of(question))
    client.get(page_of(question))
    assert Topic.objects.get(pk=question.pk).view_count == 1
    assert not Session.objects.exists()  # the anonymous reader's count is kept in a signed cookie
    Client().get(page_of(question))
    assert Topic.objects.get(pk=question.pk).view_count == 2
    client.cookies["community_seen"] = "forged"
    client.get(page_of(question))
    assert Topic.objects.get(pk=question.pk).view_count == 3
    member = Client()
    member.force_login(members["dana"])
    member.get(page_of(question))
    member.get(page_of(question))
    assert Topic.objects.get(pk=question.pk).view_count == 4


def test_paging_walks_older_and_back(client, devices_space, members):
    now = timezone.now()
    Topic.objects.bulk_create(
        Topic(
            space=devices_space,
            title=f"Question number {i}",
            body="b",
            body_html="<p>b</p>",
            author=members["farid"],
            last_activity_at=now - timedelta(minutes=i),
        )
        for i in range(PAGE_SIZE + 5)
    )
    url = reverse("community:space", args=["devices"])
    first = client.get(url)
    assert len(first.context["page"].rows) == PAGE_SIZE
    second = client.get(url, {"after": first.context["page"].older.encode()})
    titles = [t.title for t in second.context["page"].rows]
    assert titles == [f"Question number {i}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)]
    back = client.get(url, {"before": second.context["page"].newer.encode()})
    assert back.context["page"].rows[0].title == "Question number 0"
    assert client.get(url, {"after": "nonsense"}).status_code == 400


def test_the_pager_with_htmx_gets_only_the_rows(client, question):
    url = reverse("community:space", args=["devices"])
    rows = client.get(url, headers={"HX-Request": "true"})
    html = rows.content.decode()
    assert "will not pair" in html and "<html" not in html and "HX-Request" in rows["Vary"]
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_unknown_space_and_topic_are_404(client, devices_space):
    assert client.get(reverse("community:space", args=["nope"])).status_code == 404
    assert client.get(reverse("community:topic", args=[999, "x"])).status_code == 404

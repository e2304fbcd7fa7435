"""The community pages make the same number of queries with 3 and with 30 topics, answers or comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.community.pages.conftest import page_of
from tests.conftest import make_user
from townsquare.community.models import Member, Post, PostKind, Reaction, Tag, Topic, Visibility, Vote
from townsquare.people.models import Role

pytestmark = pytest.mark.django_db


def queries(client, url, params=None) -> int:
    client.get(url, params)  # warm: session, view count and caches as on any later request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def more_topics(space, n: int):
    """n topics by n different people, each with its own tag and an answer (rows written directly:
    the services' triage would make this test slow and is not what it measures)."""
    done = Topic.objects.count()
    for i in range(done, done + n):
        author = make_user(f"asker{i}", Role.CUSTOMER, ["en"])
        Member.objects.create(user=author, display_name=f"Asker {i}")
        topic = Topic.objects.create(
            space=space, title=f"Question number {i}", body="b", body_html="<p>b</p>", author=author
        )
        topic.tags.set(
            [Tag.objects.get_or_create(name=f"tag-{i}")[0], Tag.objects.get_or_create(name="common")[0]]
        )
        if i % 2:
            reply = Post.objects.create(topic=topic, author=author, body="a", body_html="<p>a</p>")
            Topic.objects.filter(pk=topic.pk).update(answer_count=1, accepted_post=reply)


@pytest.mark.parametrize("params", [{}, {"tab": "unanswered"}, {"tab": "solved"}, {"tag": "common"}])
def test_a_space_list(client, devices_space, members, params):
    client.force_login(members["dana"])
    more_topics(devices_space, 3)
    url = reverse("community:space", args=["devices"])
    few = queries(client, url, params)
    more_topics(devices_space, 27)
    assert queries(client, url, params) == few


def test_the_index_and_a_tag(client, devices_space, espanol_space, members):
    more_topics(devices_space, 3)
    index, tag = queries(client, reverse("community:index")), queries(client, "/community/tags/common/")
    more_topics(espanol_space, 27)
    assert queries(client, reverse("community:index")) == index
    assert queries(client, "/community/tags/common/") == tag
    assert Tag.objects.count() > 30


def grow_thread(topic, n: int, voter):
    """n answers by n people, each with a comment, a vote and a helpful mark by `voter`."""
    done = Post.objects.filter(topic=topic, kind=PostKind.ANSWER).count()
    for i in range(done, done + n):
        person = make_user(f"helper{i}", Role.CUSTOMER, ["en"])
        Member.objects.create(user=person, display_name=f"Helper {i}")
        reply = Post.objects.create(
            topic=topic, author=person, body="a", body_html=f"<p>Answer number {i}</p>"
        )
        Post.objects.create(topic=topic, kind=PostKind.COMMENT, parent=reply, author=voter, body="c")
        Post.objects.create(topic=topic, kind=PostKind.COMMENT, author=person, body="c")
        Vote.objects.create(user=voter, post=reply, value=1)
        Reaction.objects.create(user=voter, post=reply)
        if i == 1:
            Topic.objects.filter(pk=topic.pk).update(accepted_post=reply)
            Post.objects.create(
                topic=topic, author=person, body="held", visibility=Visibility.HELD, visibility_reason="spam"
            )


@pytest.mark.parametrize("viewer", [None, "dana", "farid", "eve"])
def test_the_topic_page(client, question, members, eve, viewer):
    if viewer:
        client.force_login(eve if viewer == "eve" else members[viewer])
    grow_thread(question, 3, members["dana"])
    url = page_of(question)
    few = queries(client, url)
    grow_thread(question, 27, members["dana"])
    assert queries(client, url) == few
    assert few <= 13  # incl. the UPDATE that reads the topic's notifications


@pytest.mark.parametrize("tab, index", [("latest", "topic_space_activity"), ("solved", "topic_space_solved")])
def test_a_space_list_walks_its_index(devices_space, tab, index):
    """The list seeks an index from the cursor instead of sorting or filtering the space's topics."""
    from django.db import connection

    from townsquare.community.views.listing import topics_for
    from townsquare.web.paging import NEWEST_ACTIVITY, Cursor

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner goes by table size and scans a table this small")
    cursor = Cursor(devices_space.created_at, 10**9)
    topics = topics_for(space=devices_space, tab=tab).filter(NEWEST_ACTIVITY.after(cursor))
    sql, params = topics.order_by(*NEWEST_ACTIVITY.forward())[:51].query.sql_with_params()
    with connection.cursor() as db:
        db.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in db.fetchall())
    assert f"INDEX {index} " in plan and "TEMP B-TREE" not in plan, plan

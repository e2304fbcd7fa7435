"""Grace imports a Stack Exchange dump folder: Posts.xml with Users.xml, Tags.xml and Comments.xml."""

import pytest

from tests.community.importers.conftest import XML_SAMPLE, ingest
from townsquare.community.models import Member, Post, PostKind, Tag, Topic
from townsquare.people.models import User

pytestmark = pytest.mark.django_db


def test_the_dump_folder_gives_the_same_topics_as_the_csv_pair_plus_comments():
    summary = ingest(XML_SAMPLE)

    assert (summary["topics"], summary["answers"], summary["accepted"]) == (12, 31, 10)
    assert summary["comments"] == 3
    assert summary["format"] == "xml"
    citra = Topic.objects.get(external_id="stackexchange:beer:1")
    assert citra.space.slug == "beer"
    assert citra.accepted_post.external_id == "stackexchange:beer:4"
    on_question = Post.objects.get(external_id="stackexchange:beer:c1")
    assert (on_question.topic_id, on_question.parent_id, on_question.kind) == (
        citra.pk,
        None,
        PostKind.COMMENT,
    )
    assert 'href="http://example.com/citra"' in on_question.body_html
    on_answer = Post.objects.get(external_id="stackexchange:beer:c2")
    assert on_answer.parent_id == citra.accepted_post_id
    anonymous = Post.objects.get(external_id="stackexchange:beer:c3")
    assert anonymous.author is None
    assert "<b>" not in anonymous.body_html and "&lt;b&gt;Mosaic" in anonymous.body_html


def test_users_xml_names_the_members_and_tags_xml_creates_the_tags():
    ingest(XML_SAMPLE)

    asker = User.objects.get(username="se-beer-7")
    assert Member.objects.get(user=asker).display_name == "Hop Curious"
    assert asker.date_joined.isoformat().startswith("2014-01-21T20:00:12")
    assert not User.objects.filter(username="se-beer--1").exists()
    assert {"hops", "history", "brewing", "wine"} <= set(Tag.objects.values_list("name", flat=True))


def test_the_site_and_the_space_can_be_named(tmp_path):
    summary = ingest(XML_SAMPLE, "--site", "brew", "--space", "brewing-history")

    assert summary["space"] == "brewing-history"
    assert Topic.objects.filter(external_id="stackexchange:brew:1", space__slug="brewing-history").exists()
    assert User.objects.filter(username="se-brew-7").exists()

"""The addresses the pages build without `reverse` (for speed) are the ones the URLconf serves."""

import pytest
from django.urls import reverse

from townsquare.community.templatetags import community_pages as tags

pytestmark = pytest.mark.django_db


def test_built_addresses_match_the_urlconf(question, bobs_answer):
    assert tags.topic_href(question) == reverse(
        "community:topic", args=[question.pk, "my-headphones-will-not-pair"]
    )
    assert tags.space_href(question.space) == reverse("community:space", args=["devices"])
    assert tags.tag_href("pairing") == reverse("community:tag", args=["pairing"])
    for action, name in [
        ("vote", "vote-post"),
        ("helpful", "helpful"),
        ("accept", "accept"),
        ("edit", "edit-post"),
    ]:
        assert tags.post_href(bobs_answer, action) == reverse(f"community:{name}", args=[bobs_answer.pk])
    for action, name in [("answer", "answer"), ("comment", "comment"), ("vote", "vote-topic"),
                         ("unaccept", "unaccept"), ("edit", "edit-topic")]:  # fmt: skip
        assert tags.topic_action_href(question, action) == reverse(f"community:{name}", args=[question.pk])
    assert tags.vote_href(question, "topic") == reverse("community:vote-topic", args=[question.pk])
    assert tags.vote_href(bobs_answer, "post") == reverse("community:vote-post", args=[bobs_answer.pk])

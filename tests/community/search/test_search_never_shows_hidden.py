"""Held and hidden questions never show up in search, for anyone, by words or by meaning."""

import pytest

from townsquare.community.models import Topic, Visibility
from townsquare.community.search import search, similar_topics
from townsquare.community.search.embeddings import embed_topics

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("visibility", [Visibility.HELD, Visibility.HIDDEN, Visibility.DELETED])
def test_a_topic_that_is_not_visible_is_never_found(ask, visibility):
    shown = ask("Tablet screen stays black after charging", "It does not wake up.")
    kept_back = ask("Tablet screen flickers after charging", "Cheap pills here, visit my shop.")
    embed_topics([shown.pk, kept_back.pk])
    # A moderator (or triage's spam check) took it out of view.
    Topic.objects.filter(pk=kept_back.pk).update(visibility=visibility)
    for mode in ("text", "semantic", "all"):
        found = {result.topic.pk for result in search("tablet screen charging", mode=mode).results}
        assert found == {shown.pk}, mode
    assert [s.topic.pk for s in similar_topics("Tablet screen flickers after charging")] == [shown.pk]
    Topic.objects.filter(pk=kept_back.pk).update(visibility=Visibility.VISIBLE)
    assert {result.topic.pk for result in search("tablet screen charging", mode="text").results} == {
        shown.pk,
        kept_back.pk,
    }

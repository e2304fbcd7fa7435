"""In a big community, a word that is in most topics ("beer" in a beer community) does not make
every search slow: it is left out when the query has a rarer word, and searched alone otherwise."""

import pytest

from townsquare.community.models import Topic
from townsquare.community.search import search, term_stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def beer_community(devices_space):
    Topic.objects.bulk_create(
        Topic(space=devices_space, title=f"Beer question {n}", body="Which beer goes with it?")
        for n in range(term_stats.MIN_TOPICS)
    )
    return Topic.objects.create(space=devices_space, title="Lager or ale with curry", body="Any advice?")


def test_a_rare_word_decides_and_the_common_one_is_left_out(beer_community):
    assert term_stats.total_topics() == term_stats.MIN_TOPICS + 1
    # "beer" is in every other topic but not in this one: "lager" alone decides.
    assert [r.topic for r in search("beer lager", mode="text").results] == [beer_community]
    assert [r.topic for r in search("lager curry", mode="text").results] == [beer_community]
    # Two rare words must both match, as before.
    assert [r.topic for r in search("lager stout", mode="text").results] == []


def test_only_common_words_still_finds_topics(beer_community):
    page = search("which beer", mode="text")
    assert len(page.results) == 20 and page.has_next


def test_a_small_community_searches_every_word(devices_space):
    Topic.objects.create(space=devices_space, title="Beer with curry", body="Which beer?")
    Topic.objects.create(space=devices_space, title="Lager with curry", body="Which one?")
    assert [r.topic.title for r in search("beer curry", mode="text").results] == ["Beer with curry"]

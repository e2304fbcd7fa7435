"""Search fixtures: a few questions in the devices space, asked through the services."""

import pytest

from townsquare.community import posting
from townsquare.community.search import term_stats, vectors


@pytest.fixture(autouse=True)
def fresh_search_caches():
    # The vector index and the word counts are per process; each test's database starts over.
    vectors.forget()
    term_stats.forget()
    yield
    vectors.forget()
    term_stats.forget()


@pytest.fixture
def ask(members, devices_space):
    """ask(title, body, by=bob, space=devices_space) -> Topic, through the asking service."""

    def ask_question(title, body="Any idea what to try?", *, by=None, space=None, tags=()):
        return posting.ask(by or members["bob"], space or devices_space, title, body, tags=tags)

    return ask_question

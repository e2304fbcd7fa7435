"""Search fixtures: a few questions in the devices space, asked through the services."""

import pytest

from townsquare.community import posting
from townsquare.community.search import vectors


@pytest.fixture(autouse=True)
def fresh_vector_index():
    # The index is process-wide; each test's database starts over, so must the index.
    vectors.forget()
    yield
    vectors.forget()


@pytest.fixture
def ask(members, devices_space):
    """ask(title, body, by=bob, space=devices_space) -> Topic, through the asking service."""

    def ask_question(title, body="Any idea what to try?", *, by=None, space=None, tags=()):
        return posting.ask(by or members["bob"], space or devices_space, title, body, tags=tags)

    return ask_question

"""@username in a post tells that member, whether or not they follow the topic."""

import pytest

from townsquare.community.notify.mentions import mentioned_names
from townsquare.community.posting import answer, ask

from .conftest import told

pytestmark = pytest.mark.django_db


def test_a_mention_notifies_the_member(question, members):
    answer(members["bob"], question, "@dana had the same problem last week, maybe she knows.")
    assert told(members["dana"]) == [("mention", "Bob mentioned you in “My headphones will not pair”")]


def test_a_mention_in_a_question(devices_space, members):
    ask(members["dana"], devices_space, "Charger for the X2?", "Hey @bob, which charger do you use?")
    assert told(members["bob"]) == [("mention", "Dana mentioned you in “Charger for the X2?”")]


def test_what_is_not_a_mention():
    text = "Write to ana@example.com, see `@decorator` and\n\n```\n@bob\n```\nthanks @dana. @ghost_user!"
    assert mentioned_names(text) == ["dana", "ghost_user"]


def test_unknown_names_are_ignored(question, members):
    answer(members["bob"], question, "@nobody_here try resetting them.")
    assert told(members["dana"]) == []

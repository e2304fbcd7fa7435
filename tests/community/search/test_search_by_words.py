"""Farid types words into the community search box and finds the questions that contain them."""

import pytest

from townsquare.community.search import search

pytestmark = pytest.mark.django_db


def found(text, **kwargs):
    return [result.topic.title for result in search(text, mode="text", **kwargs).results]


def test_words_in_the_title_or_body_find_the_question(ask):
    ask("Router keeps dropping the connection", "Every evening the wifi goes down for a minute.")
    ask("Battery drains overnight", "My phone loses half its charge while idle.")
    assert found("router") == ["Router keeps dropping the connection"]
    assert found("wifi evening") == ["Router keeps dropping the connection"]
    assert found("charge idle") == ["Battery drains overnight"]
    assert found("toaster") == []


def test_every_word_must_match_and_a_minus_excludes(ask):
    ask("Router keeps dropping the connection", "Every evening the wifi goes down.")
    ask("Router password forgotten", "How do I reset the admin password?")
    assert found("router password") == ["Router password forgotten"]
    assert found("router -password") == ["Router keeps dropping the connection"]
    assert found('"dropping the connection"') == ["Router keeps dropping the connection"]


def test_accents_and_case_do_not_matter(ask, espanol_space):
    ask("¿Cómo reinicio el módem?", "Se queda sin conexión cada noche.", space=espanol_space)
    assert found("como reinicio") == ["¿Cómo reinicio el módem?"]
    assert found("MÓDEM") == ["¿Cómo reinicio el módem?"]


def test_an_edited_topic_is_found_by_its_new_words(ask, members):
    from townsquare.community import posting

    topic = ask("Screen flickers at low brightness", "Started after the update.")
    posting.edit_topic(members["bob"], topic, title="Display flickers when dimmed")
    assert found("flickers dimmed") == ["Display flickers when dimmed"]
    assert found("brightness") == []

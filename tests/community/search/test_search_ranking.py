"""Dana searches and sees the questions most likely to help first: title matches before body
matches, solved questions before unsolved ones, and the accepted answer's words count too."""

import pytest

from townsquare.community.accepting import accept
from townsquare.community.posting import answer, edit_post
from townsquare.community.search import search

pytestmark = pytest.mark.django_db


def titles(text, **kwargs):
    return [result.topic.title for result in search(text, mode="text", **kwargs).results]


def test_a_match_in_the_title_ranks_above_a_match_in_the_body(ask):
    ask("Speaker crackles at high volume", "Started after I installed the new firmware yesterday.")
    ask("Firmware update stuck at 40 percent", "The speaker shows a spinning light for hours.")
    assert titles("firmware") == ["Firmware update stuck at 40 percent", "Speaker crackles at high volume"]


def test_a_solved_question_ranks_above_an_unsolved_one(ask, members):
    solved = ask("Headphones will not pair with tablet", "They blink blue.")
    unsolved = ask("Headphones will not pair with laptop", "They blink red.")
    farid_answer = answer(members["farid"], solved, "Hold the button for ten seconds to reset them.")
    assert titles("headphones pair")[0] == unsolved.title  # equally good: the newer first
    accept(members["bob"], farid_answer)
    assert titles("headphones pair") == [solved.title, unsolved.title]


def test_the_accepted_answer_makes_its_question_findable(ask, members):
    topic = ask("Headphones will not connect", "They blink red and never show up.")
    reply = answer(members["farid"], topic, "Unpair them, then hold the button until the LED turns purple.")
    assert titles("purple") == []  # an answer that is not accepted does not speak for the question
    accept(members["bob"], reply)
    assert titles("purple") == [topic.title]
    edit_post(members["farid"], reply, "Unpair them, then hold the button until the LED turns orange.")
    assert titles("orange") == [topic.title]
    assert titles("purple") == []


def test_results_filter_by_space_and_tag(ask, espanol_space):
    ask("Router resets itself", "Every night.", tags=["router"])
    ask("Router light is orange", "Since Monday.", tags=["lights"])
    ask("Router se reinicia solo", "Cada noche.", space=espanol_space, tags=["router"])
    from townsquare.community.models import Space, Tag

    devices = Space.objects.get(slug="devices")
    assert sorted(titles("router", space=devices)) == ["Router light is orange", "Router resets itself"]
    assert sorted(titles("router", tag=Tag.objects.get(name="router"))) == [
        "Router resets itself",
        "Router se reinicia solo",
    ]
    assert titles("router", space=devices, tag=Tag.objects.get(name="lights")) == ["Router light is orange"]


def test_results_come_in_pages(ask):
    for number in range(25):
        ask(f"Charger number {number} gets warm", "It is warm to the touch.")
    first = search("charger", mode="text")
    second = search("charger", mode="text", page=2)
    assert len(first.results) == 20 and first.has_next
    assert len(second.results) == 5 and not second.has_next
    assert not {r.topic.pk for r in first.results} & {r.topic.pk for r in second.results}

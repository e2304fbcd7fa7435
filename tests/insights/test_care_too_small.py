"""Below 10 conversations a figure is marked too small (shown as "not enough data") and noted."""

import pytest

from tests.insights.care_story import MONDAY, care, converse

pytestmark = pytest.mark.django_db


def test_nine_answers_are_too_few_and_ten_are_enough(hook):
    for _ in range(9):
        converse(hook, MONDAY, reply_after=60)
    section = care()
    assert section["figures"]["first_response_median"]["too_small"]
    assert section["figures"]["first_response_median"]["n"] == 9
    assert "not enough data for median first response (n = 9)" in section["notes"]
    converse(hook, MONDAY, reply_after=60)
    section = care()
    assert not section["figures"]["first_response_median"]["too_small"]
    assert "not enough data for median first response (n = 10)" not in section["notes"]


def test_a_figure_without_any_data_has_no_value(hook):
    converse(hook, MONDAY)
    figure = care()["figures"]["csat_mean"]
    assert (figure["value"], figure["n"], figure["ci95"], figure["too_small"]) == (None, 0, None, True)


def test_the_section_stands_on_an_empty_period(db):
    section = care()
    assert section["figures"]["volume"]["value"] == 0
    assert all(table["rows"] == [] for table in section["tables"])
    assert section["title"] == "Care" and section["method"]

"""The complaint head's valence input: a one-pass approximation of VADER's compound score."""

import math

from hypothesis import given
from hypothesis import strategies as st

from townsquare.triage.valence import compound, compounds, lexicon


def test_lexicon_ships_with_the_package():
    table = lexicon()
    assert len(table) > 7000
    assert table["good"] > 0 > table["bad"]


def test_polarity_follows_the_words():
    assert compound("I love this, great service") > 0.5
    assert compound("worst service ever, terrible and rude") < -0.5
    assert compound("@acme my parcel id is 12345") == 0.0


def test_negation_flips_and_damps():
    assert compound("this is good") > 0
    assert compound("this is not good") < 0
    assert abs(compound("this is not good")) < abs(compound("this is good"))


def test_boosters_caps_and_exclamations_add_weight():
    assert compound("this is very bad") < compound("this is bad") < 0
    assert compound("this is BAD today") < compound("this is bad today")
    assert compound("this is bad!!!") < compound("this is bad")


def test_but_shifts_weight_to_what_follows():
    # "but" halves what precedes it and raises what follows by half, as VADER does.
    assert compound("the staff were nice but the food was awful") < 0
    assert compound("the food was awful but the staff were nice") > 0


def test_non_english_and_empty_text_score_zero():
    assert compound("") == 0.0
    assert compound("🙂🙂") == 0.0
    assert compounds(["", "good"])[0] == 0.0


@given(st.text(max_size=300))
def test_any_text_scores_inside_the_open_interval(text):
    value = compound(text)
    assert math.isfinite(value)
    assert -1.0 < value < 1.0

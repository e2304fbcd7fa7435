"""The decision rule as stated on the pages, checked against every small tally (hypothesis)."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from townsquare.community.guidelines import rules

votes = st.integers(min_value=0, max_value=200)


@given(yes=votes, no=votes, abstain=votes, quorum=st.integers(min_value=3, max_value=300))
def test_a_simple_majority_is_more_yes_than_no_once_the_quorum_is_met(yes, no, abstain, quorum):
    tally = rules.Tally(yes=yes, no=no, abstain=abstain)
    expected = "no_quorum" if yes + no + abstain < quorum else ("adopted" if yes > no else "rejected")
    assert rules.outcome(tally, quorum, Fraction(1, 2)) == expected


@given(yes=votes, no=votes)
def test_two_thirds_means_at_least_two_yes_for_every_no(yes, no):
    tally = rules.Tally(yes=yes, no=no)
    assert rules.passes(tally, Fraction(2, 3)) == (yes > 0 and yes >= 2 * no)


def test_stored_thresholds_read_back_as_the_fractions_they_were():
    assert rules.as_fraction(float(Fraction(2, 3))) == Fraction(2, 3)
    assert rules.as_fraction(0.5) == Fraction(1, 2)

"""Erlang C against the textbook formula (factorials, worked out here) and published examples."""

import math
from fractions import Fraction

import pytest

from townsquare.insights import erlang


def textbook_wait_probability(agents: int, traffic) -> Fraction:
    """C(N, A) = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)), exactly."""
    a = Fraction(traffic)
    top = a**agents / math.factorial(agents) * Fraction(agents) / (agents - a)
    below = sum(a**k / math.factorial(k) for k in range(agents))
    return top / (below + top)


def textbook_service_level(agents, traffic, handle, target) -> float:
    waits = float(textbook_wait_probability(agents, traffic))
    return 1 - waits * math.exp(-(agents - float(traffic)) * target / handle)


def test_small_case_by_hand():
    # A = 2 erlangs, 3 agents: (8/6 · 3) / (1 + 2 + 2 + 8/6 · 3) = 4 / 9.
    assert erlang.wait_probability(3, 2.0) == pytest.approx(4 / 9, abs=1e-12)
    assert erlang.wait_probability(3, 2.0) == pytest.approx(float(textbook_wait_probability(3, 2)))
    # Erlang B for 3 servers, 2 erlangs: (8/6) / (1 + 2 + 2 + 8/6) = 4/19.
    assert erlang.erlang_b(3, 2.0) == pytest.approx(4 / 19, abs=1e-12)


def test_the_published_worked_example():
    # The classic worked example: 360 calls per half hour, 4-minute calls, 55 agents, 15 s target:
    # traffic 48 erlangs, probability of waiting 0.2387 (23.9%), average speed of answer 8.2 s.
    traffic = 720 * 240 / 3600
    assert traffic == 48
    assert erlang.wait_probability(55, traffic) == pytest.approx(0.2387, abs=5e-5)
    assert erlang.average_wait(55, traffic, 240) == pytest.approx(8.2, abs=0.05)
    expected = 1 - 0.2387 * math.exp(-(55 - 48) * 15 / 240)  # 84.6%
    assert erlang.service_level(55, traffic, 240, 15) == pytest.approx(expected, abs=1e-4)


def test_agents_needed_is_the_first_count_that_meets_the_target():
    # 720 contacts an hour, 240 s each, 80% within 20 s.
    needed = erlang.agents_needed(720, 240, 0.8, 20)
    assert textbook_service_level(needed, 48, 240, 20) >= 0.8
    assert textbook_service_level(needed - 1, 48, 240, 20) < 0.8
    assert needed == 54


def test_hundreds_of_agents_do_not_overflow():
    # 500 erlangs: A^N / N! overflows floats, so the check uses logarithms.
    traffic = 500.0
    needed = erlang.agents_needed(7200, 250, 0.9, 30)

    def by_logs(agents):
        log_terms = [k * math.log(traffic) - math.lgamma(k + 1) for k in range(agents)]
        log_top = agents * math.log(traffic) - math.lgamma(agents + 1) + math.log(agents / (agents - traffic))
        peak = max(max(log_terms), log_top)
        below = sum(math.exp(t - peak) for t in log_terms)
        top = math.exp(log_top - peak)
        waits = top / (below + top)
        return 1 - waits * math.exp(-(agents - traffic) * 30 / 250)

    assert by_logs(needed) >= 0.9 > by_logs(needed - 1)
    assert 500 < needed < 560
    assert 0 < erlang.wait_probability(needed, traffic) < 1


def test_overload_and_no_traffic():
    assert erlang.wait_probability(4, 5.0) == 1.0
    assert erlang.service_level(4, 5.0, 300, 60) == 0.0
    assert erlang.average_wait(5, 5.0, 300) == math.inf
    assert erlang.agents_needed(0, 300, 0.8, 180) == 0
    # Below one erlang one agent may still be too few for the target.
    assert erlang.agents_needed(1, 300, 0.8, 180) >= 1


@pytest.mark.parametrize(
    "args",
    [
        (-1, 300, 0.8, 20),
        (10, 0, 0.8, 20),
        (10, 300, 1.0, 20),
        (10, 300, 0, 20),
        (10, 300, 0.8, -1),
        (3600, 10**9, 0.8, 20),  # a billion erlangs: no plan
    ],
)
def test_bad_input_is_refused(args):
    with pytest.raises(ValueError):
        erlang.agents_needed(*args)

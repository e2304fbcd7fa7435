"""Erlang C: how long customers wait in a queue served by a number of agents (M/M/n).

Traffic `A` is in erlangs: arrivals per second times the average handle time in seconds. The
textbook formula divides powers by factorials, which overflows past ~170 agents; here Erlang B
is built with its recursion B(k) = A·B(k−1) / (k + A·B(k−1)), which stays in [0, 1] for any
number of agents, and Erlang C follows from it: C = n·B / (n − A·(1 − B)).
"""

import math

# Staffing searches stop here: more agents than this is a configuration error, not a plan.
MAX_AGENTS = 20_000


def erlang_b(agents: int, traffic: float) -> float:
    """Probability that all `agents` are busy when nobody may wait (the loss formula)."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic must not be negative")
    blocked = 1.0
    for k in range(1, agents + 1):
        blocked = traffic * blocked / (k + traffic * blocked)
    return blocked


def _c_from_b(agents: int, traffic: float, blocked: float) -> float:
    if agents <= traffic:
        return 1.0  # the queue grows without bound: everyone waits
    return agents * blocked / (agents - traffic * (1.0 - blocked))


def wait_probability(agents: int, traffic: float) -> float:
    """Erlang C: the probability that an arrival has to wait for an agent."""
    if traffic == 0:
        return 0.0
    return _c_from_b(agents, traffic, erlang_b(agents, traffic))


def service_level(agents: int, traffic: float, handle_seconds: float, target_seconds: float) -> float:
    """Share of arrivals answered within `target_seconds`: 1 − C·e^(−(n − A)·t / AHT)."""
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waits = wait_probability(agents, traffic)
    return 1.0 - waits * math.exp(-(agents - traffic) * target_seconds / handle_seconds)


def average_wait(agents: int, traffic: float, handle_seconds: float) -> float:
    """Mean wait over all arrivals (the average speed of answer): C·AHT / (n − A)."""
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return wait_probability(agents, traffic) * handle_seconds / (agents - traffic)


def agents_needed(
    arrivals_per_hour: float, handle_seconds: float, target_share: float, target_seconds: float
) -> int:
    """The fewest agents that answer `target_share` of arrivals within `target_seconds`."""
    if arrivals_per_hour < 0 or handle_seconds <= 0:
        raise ValueError("arrivals must not be negative and handle time must be positive")
    if not 0 < target_share < 1:
        raise ValueError("the target share must be between 0 and 1 (exclusive)")
    if target_seconds < 0:
        raise ValueError("the target time must not be negative")
    traffic = arrivals_per_hour * handle_seconds / 3600.0
    if traffic == 0:
        return 0
    if traffic >= MAX_AGENTS:
        raise ValueError(f"more than {MAX_AGENTS} agents would be needed")
    # Erlang B for n agents extends the one for n − 1: one pass from 1 agent upwards.
    blocked = 1.0
    for agents in range(1, MAX_AGENTS + 1):
        blocked = traffic * blocked / (agents + traffic * blocked)
        if agents <= traffic:
            continue
        waits = _c_from_b(agents, traffic, blocked)
        answered = 1.0 - waits * math.exp(-(agents - traffic) * target_seconds / handle_seconds)
        if answered >= target_share:
            return agents
    raise ValueError(f"more than {MAX_AGENTS} agents would be needed")

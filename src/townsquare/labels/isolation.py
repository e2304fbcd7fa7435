"""Run a batch function so that one bad input cannot sink the rest of its batch."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger("townsquare.labels")


@dataclass
class Isolated:
    results: dict[int, object] = field(default_factory=dict)  # position -> result
    errors: dict[int, str] = field(default_factory=dict)  # position -> "ExceptionClass: message"


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def run_isolated(batch_function: Callable[[list], list], inputs: Sequence) -> Isolated:
    """`batch_function(inputs)` at once; if that raises, once per input, recording each failure.

    Batch-first because the models are vectorised: one at a time costs far more, so it is only
    the fallback that finds which inputs are at fault.
    """
    outcome = Isolated()
    inputs = list(inputs)
    if not inputs:
        return outcome
    try:
        results = batch_function(inputs)
    except Exception as exc:
        if len(inputs) == 1:  # nothing to separate: that one input is at fault
            outcome.errors[0] = describe(exc)
            return outcome
        logger.warning("Batch of %s failed; retrying one at a time", len(inputs), exc_info=True)
    else:
        outcome.results = dict(enumerate(results))
        return outcome
    for position, one in enumerate(inputs):
        try:
            outcome.results[position] = batch_function([one])[0]
        except Exception as exc:
            outcome.errors[position] = describe(exc)
    return outcome

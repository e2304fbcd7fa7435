"""Care figures over a set of conversation facts: volume, response and resolution times, rates."""

import numpy as np

from townsquare.insights import figures
from townsquare.insights.frame import FactFrame

FINISHED = np.array(["resolved", "closed"], dtype=object)


def resolved_mask(frame: FactFrame) -> np.ndarray:
    """Resolved now: by status, or inferred for imported threads the brand spoke last in."""
    return np.isin(frame["status"], FINISHED) | frame["resolution_inferred"]


def headline(frame: FactFrame) -> dict:
    """The three figures every report starts with (`report --json` puts them at the top level)."""
    first_response = frame["first_response_seconds"]
    resolution = frame["resolution_seconds"]
    return {
        "first_response_seconds": figures.quantile(first_response[~np.isnan(first_response)]),
        "resolution_seconds": figures.quantile(resolution[~np.isnan(resolution)]),
        "resolution_rate": figures.proportion(int(resolved_mask(frame).sum()), len(frame)),
    }

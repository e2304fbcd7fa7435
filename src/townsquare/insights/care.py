"""Care figures over a set of conversation facts: volume, response and resolution times, rates."""

import numpy as np

from townsquare.insights import figures
from townsquare.insights.frame import FactFrame

FINISHED = ("resolved", "closed")


def resolved_mask(frame: FactFrame) -> np.ndarray:
    """Resolved now: by status, or inferred for imported threads the brand spoke last in."""
    status = frame["status"]
    # Two comparisons: np.isin sorts object arrays, ten times slower on 200,000 rows.
    return (status == FINISHED[0]) | (status == FINISHED[1]) | frame["resolution_inferred"]


def headline(frame: FactFrame) -> dict:
    """The three figures every report starts with (`report --json` puts them at the top level)."""
    first_response = frame["first_response_seconds"]
    resolution = frame["resolution_seconds"]
    return {
        "first_response_seconds": figures.quantile(first_response[~np.isnan(first_response)]),
        "resolution_seconds": figures.quantile(resolution[~np.isnan(resolution)]),
        "resolution_rate": figures.proportion(int(resolved_mask(frame).sum()), len(frame)),
    }


# CSAT answers are 1–5 (replies/csat.py); 4 and 5 count as satisfied.
SATISFIED_FROM = 4


def reopened_mask(frame: FactFrame) -> np.ndarray:
    return frame["reopens"] > 0


def resolved_ever_mask(frame: FactFrame) -> np.ndarray:
    """Resolved now, or resolved once and reopened since: the base of the reopen rate."""
    return resolved_mask(frame) | reopened_mask(frame)


def sla_masks(frame: FactFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(met, breached) of one clock column; a running or untracked clock is neither."""
    return frame[column] == "met", frame[column] == "breached"


def sla_any_masks(frame: FactFrame) -> tuple[np.ndarray, np.ndarray]:
    """A conversation meets its SLA when a timed clock was decided and none was breached."""
    first_met, first_breached = sla_masks(frame, "sla_first_response")
    resolution_met, resolution_breached = sla_masks(frame, "sla_resolution")
    breached = first_breached | resolution_breached
    return (first_met | resolution_met) & ~breached, breached


def csat_masks(frame: FactFrame) -> tuple[np.ndarray, np.ndarray]:
    """(satisfied 4–5, not satisfied 1–3) among answered surveys."""
    score = frame["csat_score"]
    answered = ~np.isnan(score)
    high = answered & (np.nan_to_num(score) >= SATISFIED_FROM)
    return high, answered & ~high


def peer_resolved_mask(frame: FactFrame) -> np.ndarray:
    return frame["peer_resolved"] & resolved_mask(frame)


# Drill-down metric -> its conversations. Each is exactly the n or the successes of a figure in
# the care section (figure -> metric: care_section.DRILL_OF_FIGURE).
DRILL_METRICS = {
    "all": lambda f: np.ones(len(f), dtype=bool),
    "responded": lambda f: ~np.isnan(f["first_response_seconds"]),
    "unanswered": lambda f: np.isnan(f["first_response_seconds"]),
    "resolved": resolved_mask,
    "unresolved": lambda f: ~resolved_mask(f),
    "resolution_timed": lambda f: ~np.isnan(f["resolution_seconds"]),
    "resolved_ever": resolved_ever_mask,
    "reopened": reopened_mask,
    "sla_tracked": lambda f: sla_any_masks(f)[0] | sla_any_masks(f)[1],
    "sla_met": lambda f: sla_any_masks(f)[0],
    "sla_breached": lambda f: sla_any_masks(f)[1],
    "sla_first_response_tracked": lambda f: np.logical_or(*sla_masks(f, "sla_first_response")),
    "sla_first_response_met": lambda f: sla_masks(f, "sla_first_response")[0],
    "sla_first_response_breached": lambda f: sla_masks(f, "sla_first_response")[1],
    "sla_resolution_tracked": lambda f: np.logical_or(*sla_masks(f, "sla_resolution")),
    "sla_resolution_met": lambda f: sla_masks(f, "sla_resolution")[0],
    "sla_resolution_breached": lambda f: sla_masks(f, "sla_resolution")[1],
    "peer_resolved": peer_resolved_mask,
    "csat_answered": lambda f: ~np.isnan(f["csat_score"]),
    "csat_high": lambda f: csat_masks(f)[0],
    "csat_low": lambda f: csat_masks(f)[1],
}

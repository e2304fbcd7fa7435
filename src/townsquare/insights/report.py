"""The insights report: headline figures plus one section per area, from the projection.

A section is `fn(frame, filters) -> dict`, registered by name in SECTIONS (one line per area).
Figures are `figures.Figure` objects until `as_json` turns the report into plain data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module

from townsquare.insights import care, periods
from townsquare.insights.brand_posts import score_pending
from townsquare.insights.figures import MIN_N, Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame_cache import frame_for
from townsquare.insights.projection import behind, refresh

# Chunks of events a report folds before it is computed (projection.CHUNK events each).
FRESH_CHUNKS = 4
# Brand posts a fresh report scores for promotion first (about a second); the periodic job does the rest.
FRESH_PROMO_SCORES = 2000

SECTIONS: dict[str, Callable] = {}
# Modules that register sections with `@section(...)` (one line per area); imported on first use.
SECTION_MODULES: list[str] = [
    "townsquare.insights.care_section",
    "townsquare.insights.word_of_mouth",
    "townsquare.insights.timing",
    "townsquare.insights.cost",
]


def section(name: str):
    def register(fn):
        SECTIONS[name] = fn
        return fn

    return register


@dataclass
class Report:
    filters: Filters
    generated_at: datetime
    headline: dict
    sections: dict = field(default_factory=dict)
    last_event_id: int = 0
    # Events not folded yet (a large import is still being read in the background).
    events_behind: int = 0
    # Closed periods the filters overlap, with the changes waiting for a recompute (insights.periods).
    closed_periods: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            **{name: to_json(figure) for name, figure in self.headline.items()},
            "filters": self.filters.as_dict(),
            "generated_at": self.generated_at.isoformat(),
            "last_event_id": self.last_event_id,
            "events_behind": self.events_behind,
            "min_n": MIN_N,
            "closed_periods": self.closed_periods,
            **{name: to_json(value) for name, value in self.sections.items()},
        }


def to_json(value):
    """Figures become {"value", "n", "ci95", "too_small", "unit"}; containers are walked."""
    if isinstance(value, Figure):
        return value.as_dict()
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def load_sections() -> None:
    for module in SECTION_MODULES:
        import_module(module)


def build_report(filters: Filters, *, sections: list[str] | None = None, fresh: bool = True) -> Report:
    """The report for `filters`; `sections` limits which areas are computed (default: all).
    `fresh` folds new events first (a bounded amount: after a large import the periodic job
    catches up, and the report says how far behind it is)."""
    load_sections()
    checkpoint = refresh(max_chunks=FRESH_CHUNKS) if fresh else None
    if fresh:
        score_pending(limit=FRESH_PROMO_SCORES)
    frame = frame_for(filters)
    report = Report(
        filters=filters,
        generated_at=datetime.now(UTC),
        headline=care.headline(frame),
        last_event_id=checkpoint.last_event_id if checkpoint else 0,
        events_behind=behind(),
        closed_periods=periods.for_report(filters),
    )
    for name, fn in SECTIONS.items():
        if sections is None or name in sections:
            report.sections[name] = fn(frame, filters)
    return report

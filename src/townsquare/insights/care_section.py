"""The care section: volume, response and resolution times, rates, SLA, CSAT and peer share,
overall and by channel, queue, language, kind, agent, level and period."""

import numpy as np

from townsquare.insights import breakdown, care
from townsquare.insights.breakdown import NONE_KEY, Groups, Sorted
from townsquare.insights.figures import Figure
from townsquare.insights.frame import FactFrame
from townsquare.insights.report import section

LABELS = {
    "volume": "Conversations",
    "first_response_median": "Median first response",
    "first_response_p90": "90th percentile first response",
    "first_response_business_median": "Median first response (business hours)",
    "first_response_business_p90": "90th percentile first response (business hours)",
    "resolution_median": "Median time to resolution",
    "resolution_p90": "90th percentile time to resolution",
    "resolution_business_median": "Median time to resolution (business hours)",
    "resolution_business_p90": "90th percentile time to resolution (business hours)",
    "resolution_rate": "Resolution rate",
    "reopen_rate": "Reopen rate",
    "sla_first_response": "First response SLA met",
    "sla_resolution": "Resolution SLA met",
    "sla_attainment": "SLA met (every timed clock)",
    "csat_mean": "CSAT (mean, 1–5)",
    "csat_satisfied": "Satisfied (CSAT 4–5)",
    "peer_share": "Resolved by peers",
}
COLUMNS = list(LABELS)
# Duration figures: (name prefix, fact column).
DURATIONS = (
    ("first_response", "first_response_seconds"),
    ("first_response_business", "first_response_business_seconds"),
    ("resolution", "resolution_seconds"),
    ("resolution_business", "resolution_business_seconds"),
)
# Which drill-down metric lists the conversations behind a figure's n and its successes.
DRILL_OF_FIGURE = {
    "volume": {"n": "all"},
    **{f"{prefix}_{q}": {"n": "responded"} for prefix, _ in DURATIONS[:2] for q in ("median", "p90")},
    **{f"{prefix}_{q}": {"n": "resolution_timed"} for prefix, _ in DURATIONS[2:] for q in ("median", "p90")},
    "resolution_rate": {"n": "all", "successes": "resolved"},
    "reopen_rate": {"n": "resolved_ever", "successes": "reopened"},
    "sla_first_response": {"n": "sla_first_response_tracked", "successes": "sla_first_response_met"},
    "sla_resolution": {"n": "sla_resolution_tracked", "successes": "sla_resolution_met"},
    "sla_attainment": {"n": "sla_tracked", "successes": "sla_met"},
    "csat_mean": {"n": "csat_answered"},
    "csat_satisfied": {"n": "csat_answered", "successes": "csat_high"},
    "peer_share": {"n": "resolved", "successes": "peer_resolved"},
}
TABLES = (
    ("channel", "By channel"),
    ("queue", "By queue"),
    ("language", "By language"),
    ("kind", "By kind"),
    ("agent", "By agent or ambassador"),
    ("level", "By level (ambassador, agent, supervisor)"),
    ("period", "By period"),
)
NONE_LABELS = {"channel": "(no channel)", "queue": "(no queue)", "agent": "(unassigned)", "period": "(none)"}
SERIES = (("volume", "count"), ("first_response_median", "seconds"), ("resolution_rate", "share"))

METHOD = (
    "Each conversation counts once, in the period its first customer message was written. First "
    "response is the time from that message to the brand's first reply after it; time to "
    "resolution runs from the same message to the latest resolution (a reopened conversation "
    "counts until it is resolved again). Business-hours figures count only open hours of the "
    "insights calendar. Medians and 90th percentiles carry a distribution-free 95% interval from "
    "order statistics; rates carry the exact Clopper–Pearson interval; the CSAT mean a percentile "
    "bootstrap interval (computed exactly, as with unlimited resamples); volumes a Poisson "
    "interval. SLA attainment is met / (met + breached) among conversations whose timed clock "
    "started; clocks still running are left out. Figures "
    "from fewer than 10 conversations are shown as not enough data."
)
ASSUMPTIONS = [
    "Imported threads never ran the workflow: one the brand spoke last in counts as resolved at "
    "that message (inferred).",
    "Reopen rate: conversations reopened at least once among those ever resolved.",
    "Satisfied: a CSAT answer of 4 or 5 on the 1–5 scale.",
    "Share resolved by peers: resolved conversations last handled by an ambassador or closed by an "
    "accepted community answer.",
]


class Prepared:
    """What every grouping reuses: the outcome masks packed for counting, and the duration
    columns sorted once. The outcomes are care.py's, as the drill-down picks them."""

    def __init__(self, frame: FactFrame):
        self.frame = frame
        resolved = care.resolved_mask(frame)
        first_met, first_breached = care.sla_masks(frame, "sla_first_response")
        resolution_met, resolution_breached = care.sla_masks(frame, "sla_resolution")
        satisfied, unsatisfied = care.csat_masks(frame)
        self.tally = breakdown.MaskTally(
            {
                "resolved": resolved,
                "reopened": care.reopened_mask(frame),
                "first_met": first_met,
                "first_breached": first_breached,
                "resolution_met": resolution_met,
                "resolution_breached": resolution_breached,
                "satisfied": satisfied,
                "unsatisfied": unsatisfied,
                "peer": frame["peer_resolved"],
            }
        )
        self.sorted = {name: Sorted.of(frame[column]) for name, column in DURATIONS}


def columns(prepared: Prepared, groups: Groups) -> dict[str, list[Figure]]:
    """Every care figure for every group."""
    frame, b = prepared.frame, prepared.tally.bits
    matrix = prepared.tally.per_group(groups)

    def share(successes, base):
        return breakdown.shares(
            prepared.tally.count(matrix, successes & base), prepared.tally.count(matrix, base)
        )

    result = {"volume": breakdown.counts(groups)}
    for name, _ in DURATIONS:
        by_q = breakdown.quantiles(groups, prepared.sorted[name], (0.5, 0.9))
        result[f"{name}_median"], result[f"{name}_p90"] = by_q[0.5], by_q[0.9]
    everyone = np.ones(prepared.tally.codes, dtype=bool)
    result["resolution_rate"] = share(b["resolved"], everyone)
    result["reopen_rate"] = share(b["reopened"], b["resolved"] | b["reopened"])
    result["sla_first_response"] = share(b["first_met"], b["first_met"] | b["first_breached"])
    result["sla_resolution"] = share(b["resolution_met"], b["resolution_met"] | b["resolution_breached"])
    # Every timed clock met: one met and none breached (care.sla_any_masks).
    breached = b["first_breached"] | b["resolution_breached"]
    met = (b["first_met"] | b["resolution_met"]) & ~breached
    result["sla_attainment"] = share(met, met | breached)
    result["csat_mean"] = breakdown.scale_means(groups, frame["csat_score"])
    result["csat_satisfied"] = share(b["satisfied"], b["satisfied"] | b["unsatisfied"])
    result["peer_share"] = share(b["peer"], b["resolved"])
    return {name: result[name] for name in COLUMNS}


def row_labels(dimension: str, keys) -> dict[str, str]:
    """Human labels of a table's keys: names of channels and queues, usernames (one query each)."""
    ids = [int(key) for key in keys if key != NONE_KEY] if dimension in breakdown.ID_COLUMNS else []
    names = {}
    if ids and dimension == "channel":
        from townsquare.inbox.models import Channel

        names = dict(Channel.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif ids and dimension == "queue":
        from townsquare.care.models import Queue

        names = dict(Queue.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif ids and dimension == "agent":
        from townsquare.people.models import User

        names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    labels = {}
    for key in keys:
        if key == NONE_KEY:
            labels[key] = NONE_LABELS.get(dimension, "(not labelled)")
        elif dimension in ("channel", "queue", "agent"):
            labels[key] = names.get(int(key), f"#{key}")
        else:
            labels[key] = key
    return labels


def table(prepared: Prepared, dimension: str, title: str) -> tuple[dict, Groups, dict]:
    groups = breakdown.group(prepared.frame, dimension)
    figures = columns(prepared, groups)
    keys = [str(key) for key in groups.keys]
    labels = row_labels(dimension, keys)
    rows = [
        {
            "key": key,
            "label": labels[key],
            **{name: figures[name][i] for name in COLUMNS},
            "drill": {dimension: key},
        }
        for i, key in enumerate(keys)
    ]
    built = {
        "name": f"by_{dimension}",
        "title": title,
        "dimension": dimension,
        "columns": COLUMNS,
        "rows": rows,
    }
    return built, groups, figures


def series(keys: list[str], figures: dict, period: str) -> list[dict]:
    shown = [i for i, key in enumerate(keys) if key != NONE_KEY]
    return [
        {
            "name": f"{name}_by_{period}",
            "title": f"{LABELS[name]} by {period}",
            "unit": unit,
            "points": [{"x": keys[i], "y": figures[name][i]} for i in shown],
        }
        for name, unit in SERIES
    ]


def notes(overall: dict, frame: FactFrame) -> list[str]:
    result = [
        f"not enough data for {LABELS[name].lower()} (n = {figure.n})"
        for name, figure in overall.items()
        if figure.too_small
    ]
    inferred = int(frame["resolution_inferred"].sum())
    if inferred:
        result.append(f"{inferred} imported conversations count as resolved at the brand's last message")
    return result


@section("care")
def care_section(frame: FactFrame, filters) -> dict:
    prepared = Prepared(frame)
    overall = {name: values[0] for name, values in columns(prepared, breakdown.whole(frame)).items()}
    tables, period_series = [], []
    for dimension, title in TABLES:
        built, groups, figures = table(prepared, dimension, title)
        tables.append(built)
        if dimension == "period":
            period_series = series([str(key) for key in groups.keys], figures, filters.period)
    return {
        "title": "Care",
        "method": METHOD,
        "assumptions": ASSUMPTIONS,
        "figures": overall,
        "labels": LABELS,
        "tables": tables,
        "series": period_series,
        "notes": notes(overall, frame),
        "drill_metrics": DRILL_OF_FIGURE,
    }

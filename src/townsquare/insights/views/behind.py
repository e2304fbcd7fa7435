"""Which conversations stand behind a figure: the ones it was computed over.

A duration's median counts the conversations that have that duration; a rate counts all of
them (its denominator). Rows are the projection's facts under the page's filters, newest first.
"""

from townsquare.insights.frame import fact_conditions
from townsquare.insights.models import ConversationFact

# The fact column a metric needs, by the start of its name (first match wins).
NEEDS = (
    ("first_response_business", "first_response_business_seconds"),
    ("first_response", "first_response_seconds"),
    ("resolution_rate", None),
    ("resolution_business", "resolution_business_seconds"),
    ("resolution", "resolution_seconds"),
    ("csat", "csat_score"),
)


def needed_column(metric: str) -> str | None:
    base = metric.rsplit(".", 1)[-1]
    return next((column for prefix, column in NEEDS if base.startswith(prefix)), None)


def facts_behind(filters, metric: str):
    """A queryset of the facts behind `metric` under `filters`, newest first."""
    where, params = fact_conditions(filters)
    column = needed_column(metric)
    if column:
        where = [*where, f"{column} IS NOT NULL"]
    facts = ConversationFact.objects.extra(where=where, params=params)  # noqa: S610 (our own SQL)
    return facts.order_by("-started_at", "-pk")

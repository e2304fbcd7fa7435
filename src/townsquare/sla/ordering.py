"""The inbox sorted by time left: the nearest SLA deadline first, conversations without clocks last."""

from django.db.models import F, QuerySet

TIME_LEFT_ORDER = (F("sla_due_at").asc(nulls_last=True), "id")


def by_time_left(conversations: QuerySet) -> QuerySet:
    """`conversations` ordered by sla_due_at ascending (breached ones first), nulls last, then id.

    For the console's list; the API pages the same order with a keyset cursor (api/sla.py).
    """
    return conversations.order_by(*TIME_LEFT_ORDER)

"""Durations and outcomes derived from a conversation fact's times, wall-clock and business hours."""

from django.conf import settings

from townsquare.inbox.models import ChannelKind
from townsquare.insights.models import ConversationFact
from townsquare.sla.calendar import Calendar, business_seconds_between

# Channels whose history was imported: the workflow never ran on them, so a thread the brand
# spoke last in counts as resolved at that message (stated in the report as "inferred").
HISTORIC_KINDS = (ChannelKind.IMPORT,)


def insights_calendar() -> Calendar | None:
    """Business hours for the business-hours figures: the calendar named by
    TOWNSQUARE_INSIGHTS_CALENDAR, else the default SLA policy's, else none (always open)."""
    from townsquare.sla.models import BusinessCalendar, SlaPolicy

    name = getattr(settings, "TOWNSQUARE_INSIGHTS_CALENDAR", "")
    calendar = None
    if name:
        calendar = BusinessCalendar.objects.filter(name=name).first()
    if calendar is None:
        policy = (
            SlaPolicy.objects.filter(queue__isnull=True, priority="", calendar__isnull=False)
            .select_related("calendar")
            .first()
        )
        calendar = policy.calendar if policy is not None else None
    return calendar.as_calendar() if calendar is not None else None


def derive_all(facts: list[ConversationFact], calendar: Calendar | None = None) -> None:
    if not facts:
        return
    if calendar is None:
        calendar = insights_calendar()
    for fact in facts:
        derive(fact, calendar)


def derive(fact: ConversationFact, calendar: Calendar | None) -> None:
    start = fact.first_inbound_at
    fact.first_response_seconds = fact.first_response_business_seconds = None
    if start is not None and fact.first_response_at is not None:
        fact.first_response_seconds = (fact.first_response_at - start).total_seconds()
        fact.first_response_business_seconds = _business(fact, start, fact.first_response_at, calendar)
    if fact.channel_kind in HISTORIC_KINDS and fact.status not in ("resolved", "closed"):
        ended_by_brand = fact.last_outbound_at is not None and (
            fact.last_inbound_at is None or fact.last_outbound_at >= fact.last_inbound_at
        )
        fact.resolution_inferred = ended_by_brand and start is not None
        fact.resolved_at = fact.last_outbound_at if fact.resolution_inferred else None
    fact.resolution_seconds = fact.resolution_business_seconds = None
    if start is not None and fact.resolved_at is not None:
        fact.resolution_seconds = max(0.0, (fact.resolved_at - start).total_seconds())
        fact.resolution_business_seconds = max(0.0, _business(fact, start, fact.resolved_at, calendar))
    for column, reached in (
        ("sla_first_response", fact.first_response_at is not None),
        ("sla_resolution", fact.resolved_at is not None),
    ):
        if getattr(fact, column) == "running" and reached:
            setattr(fact, column, "met")


def _business(fact: ConversationFact, start, end, calendar: Calendar | None) -> float:
    """Business seconds from start to end; the value stored with the fact when it was loaded is
    reused while neither moved (walking a calendar day by day is the slow part of a refresh)."""
    known = getattr(fact, "_business", {}).get((start, end))
    return known if known is not None else business_seconds_between(start, end, calendar)

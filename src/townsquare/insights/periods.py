"""Closed periods: figures that stay put after the fact, until someone recomputes them on purpose.

Closing a period (a local day, week or month) freezes the conversation facts that started in it:
later events touching them are counted as late instead of changing them (FoldBatch.fact), and a
conversation first seen inside a closed period is held out of the figures (FoldBatch.hold).
`recompute_period` folds that period's conversations again from the event log and freezes them
again, so the late changes and held conversations count from then on.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from townsquare.events.log import record
from townsquare.events.models import Event
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.insights.brand_posts import score_pending
from townsquare.insights.filters import FilterError, Filters, default_time_zone, parse_zone
from townsquare.insights.folding import EventRow
from townsquare.insights.frame import epoch_sql
from townsquare.insights.frame_cache import bump_generation
from townsquare.insights.models import Checkpoint, ClosedPeriod, ConversationFact, MessageFact
from townsquare.insights.projection import CHECKPOINT, CHUNK, COLUMNS, fold_events, refresh
from townsquare.insights.rows import IDS_PER_QUERY
from townsquare.insights.timebuckets import period_bounds
from townsquare.people.models import Role

KINDS = ("day", "week", "month")
LABEL_FORMATS = {"month": re.compile(r"^\d{4}-\d{2}$"), "day": re.compile(r"^\d{4}-\d{2}-\d{2}$")}
LABEL_FORMATS["week"] = LABEL_FORMATS["day"]
MAX_REASON = 500
# Periods one call may close (ten years of months, a year of days).
MAX_PERIODS = 400
# Chunks of new events a listing folds first (report.FRESH_CHUNKS does the same for reports).
FRESH_CHUNKS = 4
# Events that name many conversations in their data instead of in conversation_id.
BATCH_KINDS = ("conversation.labelled", "triage.labelled")


class PeriodError(FilterError):
    """A period that cannot be closed or recomputed; the message says why."""


class PeriodConflict(PeriodError):
    """The period is closed already, or overlaps one that is."""


@dataclass(frozen=True)
class PeriodRange:
    label: str
    kind: str
    time_zone: str
    start: datetime
    end: datetime


def require_admin(user) -> None:
    """Closing and recomputing change what everyone's reports say: admins only. `None` is the
    system itself (the CLI, the periodic job)."""
    if user is not None and not (can_use_console(user) and user.role == Role.ADMIN):
        raise Forbidden("only admins close or recompute insights periods")


def require_reader(user) -> None:
    if not (can_use_console(user) and user.role in (Role.ADMIN, Role.SUPERVISOR)):
        raise Forbidden("only supervisors and admins see insights periods")


def period_range(label: str, kind: str = "month", time_zone: str | None = None) -> PeriodRange:
    """The UTC start and end of a local period: "2026-03" (month), "2026-03-29" (day), or a date in
    the week (weeks start on Monday). Raises PeriodError for anything else."""
    if kind not in KINDS:
        raise PeriodError(f"kind must be one of {', '.join(KINDS)}")
    try:
        zone_name = parse_zone(time_zone) if time_zone else default_time_zone()
    except FilterError as exc:
        raise PeriodError(str(exc)) from None
    label = (label or "").strip()
    example = "2026-03" if kind == "month" else "2026-03-29"
    if not LABEL_FORMATS[kind].match(label):
        raise PeriodError(f"a {kind} is written like {example}, not {label!r}")
    try:
        first = date.fromisoformat(label + "-01" if kind == "month" else label)
    except ValueError:
        raise PeriodError(f"{label!r} is not a {kind}") from None
    if kind == "week":
        first -= timedelta(days=first.weekday())
        label = first.isoformat()
    if first.year < 1970:
        raise PeriodError("periods before 1970 cannot be closed")
    start, end = period_bounds(label, ZoneInfo(zone_name), kind)
    return PeriodRange(label, kind, zone_name, start.astimezone(UTC), end.astimezone(UTC))


def label_of(period: ClosedPeriod) -> str:
    local = period.start.astimezone(ZoneInfo(period.time_zone))
    return f"{local:%Y-%m}" if period.kind == "month" else f"{local:%Y-%m-%d}"


def overlapping(start: datetime, end: datetime):
    return ClosedPeriod.objects.filter(start__lt=end, end__gt=start)


def close_period(actor, label: str, *, kind: str = "month", time_zone: str | None = None) -> ClosedPeriod:
    """Close the period: fold what is new, then freeze the facts that started in it."""
    require_admin(actor)
    span = period_range(label, kind, time_zone)
    if span.end > timezone.now():
        raise PeriodError(f"the {kind} {span.label} has not ended yet")
    refresh()
    return _close(actor, span)


def close_periods(
    actor, since: str, until: str | None = None, *, kind: str = "month", time_zone: str | None = None
) -> tuple[list[ClosedPeriod], list[str]]:
    """Close every period from `since` to `until` (both included); those already closed or
    overlapping a closed one are skipped. Returns (closed, skipped labels)."""
    require_admin(actor)
    first = period_range(since, kind, time_zone)
    last = period_range(until, kind, time_zone) if until else first
    if last.start < first.start:
        raise PeriodError(f"until ({last.label}) is before since ({first.label})")
    if last.end > timezone.now():
        raise PeriodError(f"the {kind} {last.label} has not ended yet")
    spans = [first]
    while spans[-1].start < last.start:
        if len(spans) >= MAX_PERIODS:
            raise PeriodError(f"at most {MAX_PERIODS} periods at once")
        spans.append(period_range(_next_label(spans[-1]), kind, first.time_zone))
    refresh()
    closed, skipped = [], []
    for span in spans:
        if overlapping(span.start, span.end).exists():
            skipped.append(span.label)
        else:
            closed.append(_close(actor, span))
    return closed, skipped


def _next_label(span: PeriodRange) -> str:
    first = date.fromisoformat(span.label + "-01" if span.kind == "month" else span.label)
    if span.kind == "month":
        return f"{(first + timedelta(days=32)).replace(day=1):%Y-%m}"
    return (first + timedelta(days=7 if span.kind == "week" else 1)).isoformat()


def _close(actor, span: PeriodRange) -> ClosedPeriod:
    with transaction.atomic():
        checkpoint = _lock_checkpoint()
        clash = overlapping(span.start, span.end).first()
        if clash is not None:
            raise PeriodConflict(
                f"{span.kind} {span.label} overlaps the closed {clash.kind} {label_of(clash)} ({clash.time_zone})"
            )
        period = ClosedPeriod.objects.create(
            start=span.start,
            end=span.end,
            kind=span.kind,
            time_zone=span.time_zone,
            last_event_id=checkpoint.last_event_id,
        )
        # Frozen brand posts are never scored: score the waiting ones first.
        score_pending()
        frozen = _freeze(period)
        record(
            "insights.period_closed",
            actor=actor,
            data={
                **_describe(period),
                "last_event_id": checkpoint.last_event_id,
                "conversations": frozen,
            },
        )
    return period


def close_due_periods(now: datetime | None = None) -> list[ClosedPeriod]:
    """Close every month (in the insights time zone) that ended more than
    TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS ago, has facts, and overlaps no closed period."""
    days = getattr(settings, "TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS", 7)
    if not days or days <= 0:
        return []
    now = now or timezone.now()
    refresh()
    earliest = ConversationFact.objects.order_by("started_at").values_list("started_at", flat=True).first()
    if earliest is None:
        return []
    zone_name = default_time_zone()
    # Periods start in 1970 at the earliest (a source's bogus old timestamp is no reason to fail).
    month = max(earliest.astimezone(ZoneInfo(zone_name)).date().replace(day=1), date(1970, 1, 1))
    closed = []
    while True:
        span = period_range(f"{month:%Y-%m}", "month", zone_name)
        if span.end + timedelta(days=days) >= now:
            break
        has_facts = ConversationFact.objects.filter(started_at__gte=span.start, started_at__lt=span.end)
        if has_facts.exists() and not overlapping(span.start, span.end).exists():
            closed.append(_close(None, span))
        month = (month + timedelta(days=32)).replace(day=1)
    return closed


def recompute_period(actor, period: ClosedPeriod | int, reason: str) -> dict:
    """Fold the period's conversations again from the event log (late changes and held
    conversations included) and freeze them again. Returns what changed."""
    require_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise PeriodError("say why the period is recomputed (reason)")
    if len(reason) > MAX_REASON:
        raise PeriodError(f"the reason is longer than {MAX_REASON} characters")
    if not isinstance(period, ClosedPeriod):
        found = ClosedPeriod.objects.filter(pk=period).first()
        if found is None:
            raise PeriodError(f"no closed period has id {period}")
        period = found
    refresh()
    with transaction.atomic():
        checkpoint = _lock_checkpoint()
        before = _counts(period)
        group = _conversation_group(period)
        # Conversations merged with these from another closed period are folded again too;
        # they stay frozen (with the values the whole log gives them).
        inside = set(_in_period(period).values_list("conversation_id", flat=True))
        others = [cid for cid in group if cid not in inside]
        frozen_elsewhere = list(
            ConversationFact.objects.filter(conversation_id__in=others, frozen=True).values_list(
                "conversation_id", flat=True
            )
        )
        events = _events_of(group, checkpoint)
        for ids in _slices(group):
            ConversationFact.objects.filter(conversation_id__in=ids).delete()
            MessageFact.objects.filter(conversation_id__in=ids).delete()
        for start in range(0, len(events), CHUNK):
            fold_events(events[start : start + CHUNK])
        score_pending()
        frozen = _freeze(period)
        ConversationFact.objects.filter(conversation_id__in=frozen_elsewhere).update(frozen=True, held=False)
        MessageFact.objects.filter(conversation_id__in=frozen_elsewhere).update(frozen=True)
        bump_generation()
        period.recomputed_at = timezone.now()
        period.recomputed_by_id = getattr(actor, "pk", actor)
        period.last_event_id = checkpoint.last_event_id
        period.save(update_fields=["recomputed_at", "recomputed_by_id", "last_event_id"])
        result = {
            "label": label_of(period),
            **_describe(period),
            "reason": reason,
            "conversations": frozen,
            "events_folded": len(events),
            "late_events_before": before["late_events"],
            "held_before": before["held"],
        }
        record("insights.period_recomputed", actor=actor, data=result)
    return result


def list_periods(
    start: datetime | None = None, end: datetime | None = None, *, fresh: bool = False
) -> list[dict]:
    """Closed periods (newest first) overlapping [start, end), with the changes waiting in them;
    `fresh` first folds new events (a bounded amount, as a report does)."""
    if fresh:
        refresh(max_chunks=FRESH_CHUNKS)
    periods = ClosedPeriod.objects.all()
    if start is not None:
        periods = periods.filter(end__gt=start)
    if end is not None:
        periods = periods.filter(start__lt=end)
    return describe_periods(list(periods), conversations=True)


def for_report(filters: Filters) -> list[dict]:
    """The closed periods a report's range overlaps (without their conversation counts: the
    report has its own)."""
    periods = list(ClosedPeriod.objects.all())
    if filters.since is not None:
        periods = [period for period in periods if period.end > filters.since]
    if filters.until is not None:
        periods = [period for period in periods if period.start < filters.until]
    return describe_periods(periods, conversations=False)


def as_dict(period: ClosedPeriod) -> dict:
    return describe_periods([period], conversations=True)[0]


def describe_periods(periods: list[ClosedPeriod], *, conversations: bool) -> list[dict]:
    waiting = _waiting(periods)
    rows = []
    for period in periods:
        late, held = waiting[period.pk]
        row = {
            "id": period.pk,
            "label": label_of(period),
            **_describe(period),
            "closed_at": period.closed_at.isoformat(),
            "recomputed_at": period.recomputed_at.isoformat() if period.recomputed_at else None,
            "recomputed_by": period.recomputed_by_id,
            "late_events": late,
            "held": held,
            "note": f"{late + held} change{'' if late + held == 1 else 's'} after closing; recompute to include them"
            if late + held
            else "",
        }
        if conversations:
            # Everything that started in it is frozen, except the held conversations.
            row["conversations"] = _in_period(period).count() - held
        rows.append(row)
    return rows


def _waiting(periods: list[ClosedPeriod]) -> dict[int, tuple[int, int]]:
    """(late events, held conversations) of each period, from one pass over the few facts that
    have either: a plain scan, cheaper than walking the started_at index once per period."""
    if not periods:
        return {}
    counts = {period.pk: [0, 0] for period in periods}
    spans = sorted((period.start.timestamp(), period.end.timestamp(), period.pk) for period in periods)
    starts = [span[0] for span in spans]
    sql = (
        f"SELECT {epoch_sql('started_at')}, late_events, held FROM {ConversationFact._meta.db_table}"
        " WHERE late_events > 0 OR held"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for started, late, held in cursor.fetchall():
            at = bisect_right(starts, started) - 1
            if at >= 0 and started < spans[at][1]:
                counts[spans[at][2]][1 if held else 0] += 1 if held else late
    return {pk: (late, held) for pk, (late, held) in counts.items()}


def _describe(period: ClosedPeriod) -> dict:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "kind": period.kind,
        "time_zone": period.time_zone,
    }


def _lock_checkpoint() -> Checkpoint:
    # Holding the checkpoint's row keeps a concurrent refresh from folding while facts are frozen.
    checkpoint, _ = Checkpoint.objects.select_for_update().get_or_create(name=CHECKPOINT)
    return checkpoint


def _in_period(period: ClosedPeriod):
    return ConversationFact.objects.filter(started_at__gte=period.start, started_at__lt=period.end)


def _freeze(period: ClosedPeriod) -> int:
    facts = _in_period(period)
    count = facts.update(frozen=True, held=False, late_events=0)
    MessageFact.objects.filter(conversation_id__in=facts.values("conversation_id")).update(frozen=True)
    # Facts changed without an event (held ones come back): warm frames must load afresh.
    bump_generation()
    return count


def _counts(period: ClosedPeriod) -> dict:
    totals = _in_period(period).aggregate(
        late_events=Sum("late_events", filter=Q(frozen=True)),
        held=Count("conversation_id", filter=Q(held=True)),
        frozen=Count("conversation_id", filter=Q(frozen=True)),
    )
    return {name: value or 0 for name, value in totals.items()}


def _conversation_group(period: ClosedPeriod) -> list[int]:
    """The period's conversations and those merged into or from them (merges move messages)."""
    group = set(_in_period(period).values_list("conversation_id", flat=True))
    # Merges are few: read them all once and follow them both ways until nothing is added.
    merges = list(
        ConversationFact.objects.filter(merged_into__isnull=False).values_list(
            "conversation_id", "merged_into"
        )
    )
    while True:
        related = {a for a, b in merges if b in group} | {b for a, b in merges if a in group}
        if related <= group:
            return sorted(group)
        group |= related


def _events_of(group: list[int], checkpoint: Checkpoint) -> list[EventRow]:
    """Every folded event about these conversations, oldest first: by conversation_id (indexed),
    plus the batch events that name them in their data, cut down to them."""
    if not group:
        return []
    gaps = [gap_id for gap_id, _ in checkpoint.gaps]
    folded = Q(pk__lte=checkpoint.last_event_id) & ~Q(pk__in=gaps)
    events = [
        EventRow(*row)
        for ids in _slices(group)
        for row in Event.objects.filter(folded, conversation_id__in=ids).values_list(*COLUMNS)
    ]
    events.sort(key=lambda event: event.id)
    if not events:
        return []
    wanted = {str(cid) for cid in group}
    messages = {event.message_id for event in events if event.message_id is not None}
    batch_rows = Event.objects.filter(
        folded, kind__in=BATCH_KINDS, conversation_id__isnull=True, pk__gt=events[0].id
    ).values_list(*COLUMNS)
    for row in batch_rows.order_by("pk").iterator(chunk_size=1000):
        event = EventRow(*row)
        data = _only(event, wanted, messages)
        if data is not None:
            events.append(EventRow(*row[:-1], data))
    events.sort(key=lambda event: event.id)
    return events


def _slices(ids: list[int]):
    # SQLite caps the number of bound parameters in one statement.
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield ids[start : start + IDS_PER_QUERY]


def _only(event: EventRow, conversations: set[str], messages: set[int]) -> dict | None:
    """The event's data about these conversations and messages only, or None if it has none."""
    if event.kind == "conversation.labelled":
        rows = {
            cid: values
            for cid, values in (event.data.get("conversations") or {}).items()
            if cid in conversations
        }
        return {**event.data, "conversations": rows} if rows else None
    sentiments = [row for row in event.data.get("sentiments") or () if row and row[0] in messages]
    return {**event.data, "sentiments": sentiments} if sentiments else None


def refreeze_all() -> int:
    """After a full rebuild (which folded every event, late ones included): freeze each closed
    period's facts again, so its figures stay put from the rebuilt values on."""
    count = 0
    for period in ClosedPeriod.objects.all():
        count += _freeze(period)
    if count:
        ClosedPeriod.objects.update(recomputed_at=timezone.now(), recomputed_by_id=None)
    return count

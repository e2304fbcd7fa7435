"""SLA policies and business calendars (/sla/…), a conversation's clocks, and paging by time left.

Staff read policies and calendars; supervisors and admins change them. The services check roles.
"""

import base64
import binascii
import json
from datetime import date, datetime
from typing import Literal

from django.db.models import Q, QuerySet
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.cursor import MAX_CURSOR_LENGTH, Page
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import MAX_ID, Id, to_utc
from townsquare.inbox.visibility import visible_conversations
from townsquare.sla.access import SlaConflict, SlaError, require_reader
from townsquare.sla.calendars import create_calendar, delete_calendar, update_calendar
from townsquare.sla.models import BusinessCalendar, SlaPolicy
from townsquare.sla.ordering import by_time_left
from townsquare.sla.policies import MAX_MINUTES, create_policy, delete_policy, update_policy
from townsquare.sla.readout import read_sla

router = Router(tags=["sla"])

Minutes = Field(None, ge=1, le=MAX_MINUTES, description="business minutes; null: not tracked")
PriorityIn = Literal["", "low", "normal", "high", "urgent"]
Hours = dict[str, list[list[str]]]
HOURS_HELP = 'weekday -> local [start, end] pairs, e.g. {"mon": [["09:00", "17:00"]]}; {} is always open'


class HolidayIo(Schema):
    date: date
    name: str = Field("", max_length=100)


class CalendarOut(Schema):
    id: int
    name: str
    time_zone: str
    hours: dict
    holidays: list[HolidayIo]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_holidays(obj) -> list:
        return list(obj.holidays.all())


class CalendarIn(Schema):
    name: str = Field(max_length=100)
    time_zone: str = Field("UTC", max_length=64, description="IANA name, e.g. Europe/Berlin")
    hours: Hours = Field(default_factory=dict, description=HOURS_HELP)
    holidays: list[HolidayIo] = Field(default_factory=list, description="closed all day")


class CalendarPatch(Schema):
    name: str | None = Field(None, max_length=100)
    time_zone: str | None = Field(None, max_length=64)
    hours: Hours | None = Field(None, description=HOURS_HELP)
    holidays: list[HolidayIo] | None = Field(None, description="replaces the list")


class PolicyOut(Schema):
    id: int
    name: str
    queue_id: int | None
    priority: str
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    calendar_id: int | None = Field(description="null: counted around the clock")
    warn_before_minutes: int
    created_at: datetime
    updated_at: datetime


class PolicyIn(Schema):
    name: str = Field(max_length=100)
    queue_id: Id | None = Field(None, description="null: any queue")
    priority: PriorityIn = Field("", description="empty: any priority")
    first_response_minutes: int | None = Minutes
    next_response_minutes: int | None = Minutes
    resolution_minutes: int | None = Minutes
    calendar_id: Id | None = Field(None, description="null: 24/7")
    warn_before_minutes: int = Field(15, ge=0, le=MAX_MINUTES)


class PolicyPatch(Schema):
    name: str | None = Field(None, max_length=100)
    queue_id: Id | None = None
    priority: PriorityIn | None = None
    first_response_minutes: int | None = Minutes
    next_response_minutes: int | None = Minutes
    resolution_minutes: int | None = Minutes
    calendar_id: Id | None = None
    warn_before_minutes: int | None = Field(None, ge=0, le=MAX_MINUTES)


class ClockOut(Schema):
    metric: str = Field(description="first_response, next_response or resolution")
    target_minutes: int | None
    started_at: datetime | None
    due_at: datetime | None
    met_at: datetime | None
    paused: bool
    warned: bool
    breached: bool
    state: str = Field(description="running, warning, breached, paused or met")
    business_seconds_left: float | None = Field(description="negative once overdue; null once met")


class ConversationSlaOut(Schema):
    conversation_id: int
    sla_due_at: datetime | None = Field(description="the nearest running deadline")
    policy_id: int | None
    policy_name: str | None
    calendar_name: str | None
    clocks: list[ClockOut]


def _bad_input(exc: SlaError) -> HttpError:
    return HttpError(409 if isinstance(exc, SlaConflict) else 400, str(exc))


def _holidays(items) -> list[tuple[date, str]]:
    return [(item.date, item.name) for item in items]


# -- calendars -------------------------------------------------------------------------------


def _calendar(calendar_id: int) -> BusinessCalendar:
    calendar = BusinessCalendar.objects.prefetch_related("holidays").filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFound(f"calendar {calendar_id} not found")
    return calendar


@router.get(
    "/sla/calendars", response={200: list[CalendarOut], **error_responses(401, 403)}, summary="List calendars"
)
def list_calendars(request):
    require_reader(caller(request))
    return list(BusinessCalendar.objects.prefetch_related("holidays"))


@router.get(
    "/sla/calendars/{calendar_id}",
    response={200: CalendarOut, **error_responses(401, 403, 404, 422)},
    summary="One calendar",
)
def read_calendar(request, calendar_id: Id):
    require_reader(caller(request))
    return _calendar(calendar_id)


@router.post(
    "/sla/calendars",
    response={201: CalendarOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Create a calendar (supervisor, admin)",
)
def create_calendar_endpoint(request, payload: CalendarIn):
    try:
        calendar = create_calendar(
            caller(request),
            name=payload.name,
            time_zone=payload.time_zone,
            hours=payload.hours,
            holidays=_holidays(payload.holidays),
        )
    except SlaError as exc:
        raise _bad_input(exc) from None
    return Status(201, _calendar(calendar.pk))


@router.patch(
    "/sla/calendars/{calendar_id}",
    response={200: CalendarOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Change a calendar (supervisor, admin); running clocks keep their due times",
)
def update_calendar_endpoint(request, calendar_id: Id, payload: CalendarPatch):
    user = caller(request)
    changes = payload.dict(exclude_unset=True)
    if changes.get("holidays") is not None:
        changes["holidays"] = _holidays(payload.holidays)
    try:
        require_reader(user)
        update_calendar(user, _calendar(calendar_id), **changes)
    except SlaError as exc:
        raise _bad_input(exc) from None
    return _calendar(calendar_id)


@router.delete(
    "/sla/calendars/{calendar_id}",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    summary="Delete a calendar no policy uses (supervisor, admin)",
)
def delete_calendar_endpoint(request, calendar_id: Id):
    user = caller(request)
    require_reader(user)
    try:
        delete_calendar(user, _calendar(calendar_id))
    except SlaError as exc:
        raise _bad_input(exc) from None
    return Status(204, None)


# -- policies --------------------------------------------------------------------------------


def _policy(policy_id: int) -> SlaPolicy:
    policy = SlaPolicy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(f"policy {policy_id} not found")
    return policy


@router.get(
    "/sla/policies", response={200: list[PolicyOut], **error_responses(401, 403)}, summary="List policies"
)
def list_policies(request):
    require_reader(caller(request))
    return list(SlaPolicy.objects.all())


@router.get(
    "/sla/policies/{policy_id}",
    response={200: PolicyOut, **error_responses(401, 403, 404, 422)},
    summary="One policy",
)
def read_policy(request, policy_id: Id):
    require_reader(caller(request))
    return _policy(policy_id)


@router.post(
    "/sla/policies",
    response={201: PolicyOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Create a policy (supervisor, admin); the most specific one applies to a conversation",
)
def create_policy_endpoint(request, payload: PolicyIn):
    try:
        policy = create_policy(caller(request), **payload.dict())
    except SlaError as exc:
        raise _bad_input(exc) from None
    return Status(201, policy)


@router.patch(
    "/sla/policies/{policy_id}",
    response={200: PolicyOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Change a policy (supervisor, admin); running clocks keep their due times",
)
def update_policy_endpoint(request, policy_id: Id, payload: PolicyPatch):
    user = caller(request)
    require_reader(user)
    changes = payload.dict(exclude_unset=True)
    for key in ("name", "priority", "warn_before_minutes"):
        if key in changes and changes[key] is None:
            raise HttpError(400, f"{key} cannot be null")
    try:
        return update_policy(user, _policy(policy_id), **changes)
    except SlaError as exc:
        raise _bad_input(exc) from None


@router.delete(
    "/sla/policies/{policy_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete a policy (supervisor, admin); clocks it started keep running",
)
def delete_policy_endpoint(request, policy_id: Id):
    user = caller(request)
    require_reader(user)
    delete_policy(user, _policy(policy_id))
    return Status(204, None)


# -- a conversation's clocks ------------------------------------------------------------------


@router.get(
    "/conversations/{conversation_id}/sla",
    response={200: ConversationSlaOut, **error_responses(401, 403, 404, 422)},
    summary="A conversation's SLA clocks: due, met, breached and business time left",
)
def read_conversation_sla(request, conversation_id: Id):
    conversation = visible_conversations(caller(request)).filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound(f"conversation {conversation_id} not found")
    reading = read_sla(conversation.pk)
    return {
        "conversation_id": conversation.pk,
        "sla_due_at": conversation.sla_due_at,
        "policy_id": reading.policy_id if reading else None,
        "policy_name": reading.policy_name if reading else None,
        "calendar_name": reading.calendar_name if reading else None,
        "clocks": reading.clocks if reading else [],
    }


# -- paging by time left ----------------------------------------------------------------------

TIME_LEFT = "time_left"


def _encode(due: datetime | None, row_id: int) -> str:
    raw = json.dumps([TIME_LEFT, due.isoformat() if due else None, row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime | None, int]:
    bad = HttpError(400, "cursor is not valid for this list; start again without a cursor")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise bad
    try:
        name, due, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if name != TIME_LEFT:
            raise ValueError("not a cursor of this list")
        if due is not None:
            due = datetime.fromisoformat(due)
            if due.tzinfo is None:
                raise ValueError("cursor time without an offset")
            due = to_utc(due)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise bad from None
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 <= row_id <= MAX_ID:
        raise bad
    return due, row_id


def paginate_by_time_left(conversations: QuerySet, cursor: str | None, limit: int) -> Page:
    """Keyset pages in (sla_due_at ascending, nulls last, id): stable while rows arrive."""
    conversations = by_time_left(conversations)
    if cursor:
        due, row_id = _decode(cursor)
        if due is None:
            conversations = conversations.filter(sla_due_at__isnull=True, id__gt=row_id)
        else:
            conversations = conversations.filter(
                Q(sla_due_at__gt=due) | Q(sla_due_at=due, id__gt=row_id) | Q(sla_due_at__isnull=True)
            )
    rows = list(conversations[: limit + 1])
    if len(rows) <= limit:
        return Page(items=rows, next_cursor=None)
    last = rows[limit - 1]
    return Page(items=rows[:limit], next_cursor=_encode(last.sla_due_at, last.pk))

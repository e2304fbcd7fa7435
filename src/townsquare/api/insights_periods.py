"""/insights/periods: closed insights periods, closing one, recomputing one on purpose.

Supervisors and admins list them (with the changes that arrived after closing); only admins
close and recompute, since that changes what every report says about the period.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.insights.models import ClosedPeriod
from townsquare.insights.periods import (
    MAX_REASON,
    PeriodConflict,
    PeriodError,
    as_dict,
    close_period,
    list_periods,
    recompute_period,
    require_admin,
    require_reader,
)

router = Router(tags=["insights"])

Label = Annotated[str, StringConstraints(max_length=10, pattern=r"^[0-9-]+$")]
Zone = Annotated[str, StringConstraints(max_length=64, pattern=r"^[^\x00]*$")]


class PeriodOut(Schema):
    id: int
    label: str = Field(description="2026-03 (month) or the first day, 2026-03-29 (day, week)")
    kind: str
    time_zone: str
    start: datetime
    end: datetime
    closed_at: datetime
    recomputed_at: datetime | None
    recomputed_by: int | None
    conversations: int = Field(description="conversations frozen in it")
    late_events: int = Field(description="events that touched them after closing, not counted yet")
    held: int = Field(description="conversations first seen after closing, left out until recomputed")
    note: str


class CloseIn(Schema):
    period: Label = Field(description="2026-03 for a month, a date for a day or the week it is in")
    kind: Literal["day", "week", "month"] = "month"
    time_zone: Zone | None = Field(None, description="IANA name; default: the insights time zone")


class RecomputeIn(Schema):
    reason: str = Field(max_length=MAX_REASON, description="why (recorded in the event log)")


class RecomputeOut(Schema):
    period: PeriodOut
    events_folded: int
    late_events_before: int
    held_before: int
    reason: str


def _bad(exc: PeriodError) -> HttpError:
    return HttpError(409 if isinstance(exc, PeriodConflict) else 400, str(exc))


@router.get(
    "/periods",
    response={200: list[PeriodOut], **error_responses(401, 403)},
    summary="Closed periods and the changes waiting in them (supervisor, admin)",
)
def list_closed(request):
    require_reader(caller(request))
    return list_periods(fresh=True)


@router.post(
    "/periods",
    response={201: PeriodOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Close a period: later edits stop changing its figures (admin)",
)
def close(request, payload: CloseIn):
    user = caller(request)
    require_admin(user)
    try:
        period = close_period(user, payload.period, kind=payload.kind, time_zone=payload.time_zone)
    except PeriodError as exc:
        raise _bad(exc) from None
    return Status(201, as_dict(period))


@router.post(
    "/periods/{period_id}/recompute",
    response={200: RecomputeOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Recompute a closed period from the event log, with a reason (admin)",
)
def recompute(request, period_id: Id, payload: RecomputeIn):
    user = caller(request)
    require_admin(user)
    period = ClosedPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise NotFound(f"closed period {period_id} not found")
    try:
        result = recompute_period(user, period, payload.reason)
    except PeriodError as exc:
        raise _bad(exc) from None
    period.refresh_from_db()
    return {
        "period": as_dict(period),
        **{name: result[name] for name in ("events_folded", "late_events_before", "held_before", "reason")},
    }

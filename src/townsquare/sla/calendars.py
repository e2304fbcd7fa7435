"""Business calendar services: create, change and delete calendars with their holidays; load them for the clocks."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from townsquare.events.log import record
from townsquare.sla.access import SlaConflict, SlaError, require_manager
from townsquare.sla.calendar import Calendar, make_calendar
from townsquare.sla.models import BusinessCalendar, Holiday

MAX_NAME = BusinessCalendar._meta.get_field("name").max_length
MAX_HOLIDAYS = 1000


def calendars_by_id(calendar_ids) -> dict[int, Calendar]:
    """The pure-Python calendars for these ids, holidays included, in two queries."""
    ids = {cid for cid in calendar_ids if cid is not None}
    if not ids:
        return {}
    holidays: dict[int, list[date]] = {}
    for calendar_id, day in Holiday.objects.filter(calendar_id__in=ids).values_list("calendar_id", "date"):
        holidays.setdefault(calendar_id, []).append(day)
    return {
        row.pk: row.as_calendar(holidays.get(row.pk, ()))
        for row in BusinessCalendar.objects.filter(pk__in=ids)
    }


def _clean(name: str, time_zone: str, hours, holidays) -> tuple[str, list[tuple[date, str]]]:
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise SlaError("a calendar needs a name")
    if len(name) > MAX_NAME:
        raise SlaError(f"a calendar name is at most {MAX_NAME} characters")
    days = [(day, (label or "").strip()) for day, label in holidays]
    if len(days) > MAX_HOLIDAYS:
        raise SlaError(f"a calendar holds at most {MAX_HOLIDAYS} holidays")
    if len({day for day, _ in days}) != len(days):
        raise SlaError("a holiday date is listed twice")
    try:
        make_calendar(time_zone, hours, [day for day, _ in days])
    except ValueError as exc:
        raise SlaError(str(exc)) from None
    return name, days


def create_calendar(actor, *, name: str, time_zone: str, hours=None, holidays=()) -> BusinessCalendar:
    """A new calendar; `holidays` are (date, name) pairs. SlaError says what is wrong with the input."""
    require_manager(actor)
    name, days = _clean(name, time_zone, hours or {}, holidays)
    try:
        with transaction.atomic():
            calendar = BusinessCalendar.objects.create(
                name=name, time_zone=time_zone.strip(), hours=hours or {}
            )
            Holiday.objects.bulk_create(Holiday(calendar=calendar, date=d, name=n) for d, n in days)
            record("sla.calendar_created", actor=actor, data={"calendar_id": calendar.pk, "name": name})
    except IntegrityError:
        raise SlaConflict(f"a calendar named {name!r} already exists") from None
    return calendar


def update_calendar(actor, calendar: BusinessCalendar, **changes) -> BusinessCalendar:
    """Change name, time_zone, hours and/or holidays (a new list replaces the old one).

    Running clocks keep their due times; clocks started afterwards use the new hours.
    """
    require_manager(actor)
    unknown = set(changes) - {"name", "time_zone", "hours", "holidays"}
    if unknown:
        raise SlaError(f"unknown calendar fields: {', '.join(sorted(unknown))}")
    holidays = changes.get("holidays")
    if holidays is None:
        holidays = [(h.date, h.name) for h in calendar.holidays.all()]
    name, days = _clean(
        changes.get("name", calendar.name),
        changes.get("time_zone", calendar.time_zone),
        changes.get("hours", calendar.hours) or {},
        holidays,
    )
    calendar.name = name
    calendar.time_zone = changes.get("time_zone", calendar.time_zone).strip()
    calendar.hours = changes.get("hours", calendar.hours) or {}
    calendar.updated_at = timezone.now()
    try:
        with transaction.atomic():
            calendar.save()
            if "holidays" in changes and changes["holidays"] is not None:
                calendar.holidays.all().delete()
                Holiday.objects.bulk_create(Holiday(calendar=calendar, date=d, name=n) for d, n in days)
            record(
                "sla.calendar_updated",
                actor=actor,
                data={"calendar_id": calendar.pk, "name": name, "fields": sorted(changes)},
            )
    except IntegrityError:
        raise SlaConflict(f"a calendar named {name!r} already exists") from None
    return calendar


def delete_calendar(actor, calendar: BusinessCalendar) -> None:
    require_manager(actor)
    try:
        with transaction.atomic():
            data = {"calendar_id": calendar.pk, "name": calendar.name}
            calendar.delete()
            record("sla.calendar_deleted", actor=actor, data=data)
    except ProtectedError:
        users = ", ".join(sorted(calendar.policies.values_list("name", flat=True)))
        raise SlaConflict(
            f"calendar {calendar.name!r} is used by the policies {users}; change them first"
        ) from None

"""Business-time arithmetic: opening hours in a time zone, closed on holidays. Pure Python, no Django.

Opening hours are local wall-clock intervals per weekday, so a 09:00–17:00 day is eight hours
before and after a DST change, and a 00:00–24:00 day is 23 or 25 hours on the change day. Times
in and out are aware datetimes; results are in UTC. The loops step over days (and over a day's
few intervals), never over minutes, so a deadline weeks away costs a few dozen iterations.
"""

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
# A calendar with some opening hours but every one of them on a holiday would loop for ever.
MAX_CLOSED_DAYS = 3 * 366
_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")

# (start, end) minutes after local midnight; end may be 1440 ("24:00").
Interval = tuple[int, int]


@dataclass(frozen=True)
class Calendar:
    """When the team works. No hours at all means always open (holidays still close whole days)."""

    zone: ZoneInfo
    hours: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict)  # weekday 0=Mon -> intervals
    holidays: frozenset[date] = frozenset()
    # A day's periods in UTC, worked out once per calendar object: a batch of clocks that start
    # together asks about the same few days hundreds of times.
    _periods: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    @property
    def always_open(self) -> bool:
        return not self.hours

    def periods_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The business periods of one local day, as UTC (start, end) pairs."""
        periods = self._periods.get(day)
        if periods is None:
            intervals = () if day in self.holidays else _intervals_of(self, day)
            periods = tuple(
                (_local_instant(day, start, self.zone), _local_instant(day, end, self.zone))
                for start, end in intervals
            )
            if len(self._periods) > 4096:
                self._periods.clear()
            self._periods[day] = periods
        return periods


def parse_zone(name) -> ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a calendar needs an IANA time zone, e.g. Europe/Berlin")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin") from None


def parse_clock(value, *, weekday: str) -> int:
    """ "09:30" -> 570 minutes after midnight; "24:00" is allowed as the end of a day."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{weekday}: {value!r} is not a time of day written HH:MM")
    hour, minute = int(match[1]), int(match[2])
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise ValueError(f"{weekday}: {value!r} is not a time of day between 00:00 and 24:00")
    return hour * 60 + minute


def parse_hours(hours) -> dict[int, tuple[Interval, ...]]:
    """Validate {"mon": [["09:00", "17:00"]], …}; raise ValueError saying what is wrong."""
    if hours is None:
        return {}
    if not isinstance(hours, Mapping):
        raise ValueError('opening hours are an object like {"mon": [["09:00", "17:00"]]}')
    parsed: dict[int, tuple[Interval, ...]] = {}
    for key, intervals in hours.items():
        if key not in WEEKDAYS:
            raise ValueError(f"unknown weekday {key!r}; use {', '.join(WEEKDAYS)}")
        parsed[WEEKDAYS.index(key)] = _parse_day(key, intervals)
    if parsed and not any(parsed.values()):
        raise ValueError("opening hours name weekdays but no interval; leave them empty for always open")
    return {day: intervals for day, intervals in sorted(parsed.items()) if intervals}


def _parse_day(weekday: str, intervals) -> tuple[Interval, ...]:
    if not isinstance(intervals, list | tuple):
        raise ValueError(f'{weekday}: give a list of [start, end] pairs, e.g. [["09:00", "17:00"]]')
    parsed = []
    for pair in intervals:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"{weekday}: {pair!r} is not a [start, end] pair")
        start, end = (parse_clock(value, weekday=weekday) for value in pair)
        if start >= end:
            raise ValueError(
                f"{weekday}: {pair[0]}–{pair[1]} ends before it starts; an interval cannot cross midnight"
            )
        parsed.append((start, end))
    parsed.sort()
    for (_, end), (start, _) in zip(parsed, parsed[1:], strict=False):
        if start < end:
            raise ValueError(f"{weekday}: opening intervals overlap")
    return tuple(parsed)


def make_calendar(zone: str, hours=None, holidays: Iterable[date] = ()) -> Calendar:
    """A validated Calendar; ValueError with a clear message for a bad zone or bad hours."""
    return Calendar(zone=parse_zone(zone), hours=parse_hours(hours), holidays=frozenset(holidays))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("business-time arithmetic needs aware datetimes")
    return moment.astimezone(UTC)


def _local_instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    # Wall-clock arithmetic, then the zone: 24:00 is the next local midnight. A wall time that a
    # spring-forward skips is read with the offset before the change (fold=0): 02:15 becomes 03:15.
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def open_periods(calendar: Calendar, since: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Business periods (UTC start, end) in order, from the local day that contains `since`."""
    day = since.astimezone(calendar.zone).date()
    closed_days = 0
    while True:
        periods = calendar.periods_on(day)
        closed_days = 0 if periods else closed_days + 1
        if closed_days > MAX_CLOSED_DAYS:
            raise ValueError("the calendar has no opening hours in the next three years")
        yield from periods
        day += timedelta(days=1)


def _intervals_of(calendar: Calendar, day: date) -> tuple[Interval, ...]:
    if calendar.always_open:
        return ((0, DAY_MINUTES),)
    return calendar.hours.get(day.weekday(), ())


def add_business_seconds(start: datetime, seconds: float, calendar: Calendar | None) -> datetime:
    """The moment `seconds` of business time after `start` (a deadline ends at the latest at a
    closing time, not at the next opening)."""
    start = _utc(start)
    if seconds < 0:
        raise ValueError("business time to add cannot be negative")
    if calendar is None or (calendar.always_open and not calendar.holidays):
        return start + timedelta(seconds=seconds)
    remaining = timedelta(seconds=seconds)
    if not remaining:
        return start
    for opens, closes in open_periods(calendar, start):
        if closes <= start:
            continue
        begin = max(opens, start)
        if remaining <= closes - begin:
            return begin + remaining
        remaining -= closes - begin
    raise AssertionError("open_periods never ends")  # pragma: no cover


def add_business_minutes(start: datetime, minutes: float, calendar: Calendar | None) -> datetime:
    return add_business_seconds(start, minutes * 60, calendar)


def business_seconds_between(a: datetime, b: datetime, calendar: Calendar | None) -> float:
    """Business seconds from `a` to `b`; negative when `b` is before `a`."""
    a, b = _utc(a), _utc(b)
    if b < a:
        return -business_seconds_between(b, a, calendar)
    if calendar is None or (calendar.always_open and not calendar.holidays):
        return (b - a).total_seconds()
    total = timedelta()
    for opens, closes in open_periods(calendar, a):
        if opens >= b:
            break
        if closes > a:
            total += min(closes, b) - max(opens, a)
    return total.total_seconds()

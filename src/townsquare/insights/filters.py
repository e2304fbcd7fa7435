"""What a report is about: a time range, a time zone, and optional dimensions to narrow it to."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

PERIODS = ("day", "week", "month")
DIMENSIONS = ("channel", "queue", "language", "kind", "agent", "level")


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    until: datetime | None = None
    channel_ids: tuple[int, ...] = ()
    queue_ids: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    agent_ids: tuple[int, ...] = ()
    # Handler rung: ambassador, agent, supervisor.
    levels: tuple[str, ...] = ()
    period: str = "week"
    time_zone: str = field(default_factory=lambda: default_time_zone())
    # Every conversation counts by default: triage runs in the background, so leaving out its
    # "not for us" verdicts would make a report depend on how far triage had got. Opt out here.
    include_not_for_us: bool = True

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "channel": list(self.channel_ids),
            "queue": list(self.queue_ids),
            "language": list(self.languages),
            "kind": list(self.kinds),
            "agent": list(self.agent_ids),
            "level": list(self.levels),
            "period": self.period,
            "time_zone": self.time_zone,
            "include_not_for_us": self.include_not_for_us,
        }


def default_time_zone() -> str:
    return getattr(settings, "TOWNSQUARE_INSIGHTS_TIME_ZONE", "") or settings.TIME_ZONE or "UTC"


def parse_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise FilterError(f"unknown time zone {name!r}; use an IANA name such as Europe/London") from None
    return name


FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_moment(value: str, zone: ZoneInfo, *, end: bool = False) -> datetime:
    """An ISO date or date-time; a bare date means the start of that day in `zone` (for
    `until`, the end of it: the whole day is included)."""
    text = (value or "").strip()
    try:
        if len(text) == 10:
            day = datetime.fromisoformat(text).date()
            moment = datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=zone)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
        # Sections add days to either end; near year 1 or 9999 that arithmetic overflows.
        in_range = FIRST_YEAR <= moment.astimezone(UTC).year <= LAST_YEAR
    except ValueError:
        raise FilterError(f"{value!r} is not a date (YYYY-MM-DD) or ISO date-time") from None
    except OverflowError:
        in_range = False
    if not in_range:
        raise FilterError(f"dates must fall between {FIRST_YEAR} and {LAST_YEAR}, not {value!r}")
    return moment


def parse_ids(values, name: str) -> tuple[int, ...]:
    ids = []
    for value in values or ():
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            try:
                value = int(part)
            except ValueError:
                raise FilterError(f"{name} must be ids (whole numbers), not {part!r}") from None
            ids.append(checked_id(value, name))
    return tuple(ids)


# Larger ids overflow the database's integer columns (a 500 instead of a clear refusal).
MAX_ID = 2**63 - 1


def checked_id(value: int, name: str) -> int:
    if not 1 <= value <= MAX_ID:
        raise FilterError(f"{name} ids run from 1 to {MAX_ID}, not {value}")
    return value


def channel_ids(values) -> tuple[int, ...]:
    """Channels by id or by name."""
    from townsquare.inbox.models import Channel

    ids = []
    for word in parse_words(values):
        if word.isdecimal():
            ids.append(checked_id(int(word), "channel"))
            continue
        found = Channel.objects.filter(name=word).values_list("pk", flat=True).first()
        if found is None:
            raise FilterError(f"no channel is named {word!r}")
        ids.append(found)
    return tuple(ids)


def parse_words(values) -> tuple[str, ...]:
    return tuple(part.strip() for value in values or () for part in str(value).split(",") if part.strip())


def build_filters(
    *,
    since: str | None = None,
    until: str | None = None,
    channel=(),
    queue=(),
    language=(),
    kind=(),
    agent=(),
    level=(),
    period: str | None = None,
    time_zone: str | None = None,
    include_not_for_us: bool = True,
) -> Filters:
    """Filters from text values (query string, CLI options); raises FilterError with a reason."""
    zone_name = parse_zone(time_zone) if time_zone else default_time_zone()
    zone = ZoneInfo(zone_name)
    period = period or "week"
    if period not in PERIODS:
        raise FilterError(f"period must be one of {', '.join(PERIODS)}")
    start = parse_moment(since, zone) if since else None
    stop = parse_moment(until, zone, end=True) if until else None
    if start and stop and stop <= start:
        raise FilterError("until must be after since")
    return Filters(
        since=start,
        until=stop,
        channel_ids=channel_ids(channel),
        queue_ids=parse_ids(queue, "queue"),
        languages=parse_words(language),
        kinds=parse_words(kind),
        agent_ids=parse_ids(agent, "agent"),
        levels=parse_words(level),
        period=period,
        time_zone=zone_name,
        include_not_for_us=include_not_for_us,
    )

"""The filter form's query string: read into `Filters`, and carried along in every link."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

from townsquare.insights.filters import PERIODS, FilterError, Filters, build_filters

FILTER_KEYS = (
    "since",
    "until",
    "channel",
    "queue",
    "language",
    "kind",
    "agent",
    "level",
    "period",
    "time_zone",
    "include_not_for_us",
)
LEVELS = ("ambassador", "agent", "supervisor")
YES, NO = ("", "1", "on", "true", "yes"), ("0", "off", "false", "no")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,4})?$", re.IGNORECASE)
KIND = re.compile(r"^[a-z_]{1,16}$")
MAX_VALUES = 50
# Ids are 64-bit in the database; a larger number would fail there instead of here.
MAX_ID = 2**63 - 1
ID_KEYS = ("channel", "queue", "agent")
# Dates outside these years are typing mistakes, and near year 1 or 9999 a time zone shift overflows.
YEARS = (1970, 2999)


def filters_from(query: QueryDict) -> Filters:
    """Filters from the page's query string; FilterError says which value is wrong and why."""
    words = {key: _values(query, key) for key in ("channel", "queue", "language", "kind", "agent", "level")}
    for level in words["level"]:
        if level not in LEVELS:
            raise FilterError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    for language in words["language"]:
        if not LANGUAGE.match(language):
            raise FilterError(f"language must be a language code such as en or pt-br, not {language!r}")
    for kind in words["kind"]:
        if not KIND.match(kind):
            raise FilterError(f"kind must be a triage kind such as question or complaint, not {kind!r}")
    for key in ID_KEYS:
        for value in words[key]:
            _check_id(key, value)
    period = query.get("period") or None
    if period and period not in PERIODS:
        raise FilterError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    for key in ("since", "until"):
        _check_year(key, query.get(key) or "")
    return build_filters(
        since=query.get("since") or None,
        until=query.get("until") or None,
        period=period,
        time_zone=(query.get("time_zone") or "").strip() or None,
        include_not_for_us=_flag(query.get("include_not_for_us", "")),
        **words,
    )


def _check_id(key: str, value: str) -> None:
    if value.isdigit() and int(value) > MAX_ID:
        raise FilterError(f"{key} {value!r} is not an id (too large)")


def _check_year(key: str, value: str) -> None:
    year = value.strip()[:4]
    if year.isdigit() and not YEARS[0] <= int(year) <= YEARS[1]:
        raise FilterError(f"{key} must be a date between {YEARS[0]} and {YEARS[1]}, not {value!r}")


DRILL_KEYS = {*FILTER_KEYS, "metric", "page", "group_by", "group"}


@dataclass(frozen=True)
class Drill:
    """What a drill-down lists: the metric's conversations under the filters, in one table row
    (`group`: dimension -> row key, for rows the filters cannot express: a period, "none")."""

    filters: Filters
    metric: str
    group: dict


def drill_from(query: QueryDict) -> Drill:
    """A drill-down from the query string; a key the list cannot narrow by is an error rather than
    silently ignored (the list would be wider than the figure)."""
    unknown = sorted(set(query) - DRILL_KEYS)
    if unknown:
        raise FilterError(f"cannot list conversations by {', '.join(unknown)}")
    dimensions, keys = query.getlist("group_by"), query.getlist("group")
    if len(dimensions) != len(keys):
        raise FilterError("group_by and group go together, one group for each group_by")
    metric = (query.get("metric") or "all").strip()
    group = dict(zip(dimensions, keys, strict=True))
    for dimension, key in group.items():
        if dimension in ID_KEYS:
            _check_id(dimension, key.strip())
    return Drill(filters_from(query), metric, group)


def _values(query: QueryDict, key: str) -> list[str]:
    values = [part.strip() for value in query.getlist(key) for part in value.split(",") if part.strip()]
    if len(values) > MAX_VALUES:
        raise FilterError(f"at most {MAX_VALUES} values for {key}")
    return values


def _flag(value: str) -> bool:
    """On unless turned off: reports count every conversation by default (see Filters)."""
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise FilterError(f"include_not_for_us must be on or off, not {value!r}")


def kept(query: QueryDict, **changes) -> str:
    """The filter part of `query` (empty values dropped) with `changes` applied, urlencoded:
    what every drill-down, export and tab link carries."""
    pairs = [
        (key, value) for key in FILTER_KEYS if key not in changes for value in query.getlist(key) if value
    ]
    for key, value in changes.items():
        if value is None or value == "":
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((key, str(item)))
    return urlencode(pairs)

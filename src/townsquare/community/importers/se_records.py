"""The records a Stack Exchange dump is read into, whatever its format, and how fields are parsed.

Readers yield these or a `Reject` (file, line, reason, excerpt); they never raise for one bad row.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(slots=True)
class Reject:
    file: str
    line: int
    reason: str
    excerpt: str = ""


@dataclass(slots=True)
class Question:
    line: int
    source_id: int
    created_at: datetime
    title: str
    body_html: str
    owner_id: int | None
    score: int = 0
    view_count: int = 0
    accepted_answer_id: int | None = None
    tags: list[str] = field(default_factory=list)
    closed: bool = False
    last_activity_at: datetime | None = None


@dataclass(slots=True)
class Answer:
    line: int
    source_id: int
    question_id: int
    created_at: datetime
    body_html: str
    owner_id: int | None
    score: int = 0
    # CSV rows say it themselves; in Posts.xml only the question names its accepted answer.
    is_accepted: bool = False


@dataclass(slots=True)
class Comment:
    line: int
    source_id: int
    post_id: int
    created_at: datetime
    text: str
    owner_id: int | None
    score: int = 0


@dataclass(slots=True)
class SEUser:
    line: int
    source_id: int
    display_name: str
    created_at: datetime | None


class BadField(ValueError):
    """A field that cannot be read; the message is the reject reason."""


def parse_date(value: str | None, name: str = "date") -> datetime:
    """Dump dates are UTC without an offset: 2014-01-21T20:26:05.383."""
    if not value:
        raise BadField(f"{name} is missing")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadField(f"{name} {value[:40]!r} is not a date") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def optional_date(value: str | None, name: str) -> datetime | None:
    return parse_date(value, name) if value else None


def parse_id(value: str | None, name: str = "id") -> int:
    if value is None or not value.strip():
        raise BadField(f"{name} is missing")
    try:
        number = int(value)
    except ValueError:
        raise BadField(f"{name} {value[:40]!r} is not a number") from None
    if number <= 0 and name == "id":
        raise BadField(f"{name} {number} is not a positive number")
    return number


def optional_int(value: str | None, name: str) -> int | None:
    if value is None or not value.strip():
        return None
    return parse_id(value, name)


def owner(value: str | None) -> int | None:
    """OwnerUserId; empty for a deleted account, -1 for the site's "Community" bot: no author."""
    number = optional_int(value, "owner user id")
    return number if number is not None and number > 0 else None


_TAG_CHARS = re.compile(r"[^a-z0-9-]+")
_XML_TAGS = re.compile(r"<([^>]+)>")


def tag_name(raw: str) -> str:
    """A dump tag as our Tag model takes it: lowercase letters, digits and '-' ("c++" -> "c")."""
    return _TAG_CHARS.sub("-", raw.strip().lower()).strip("-")[:50]


def split_tags(value: str | None) -> list[str]:
    """'<hops><brewing>' (older dumps), '|hops|brewing|' (newer) or 'hops;brewing' (the CSV)."""
    if not value:
        return []
    if value.startswith("<"):
        parts = _XML_TAGS.findall(value)
    elif value.startswith("|"):
        parts = value.split("|")
    else:
        parts = value.split(";")
    names = []
    for part in parts:
        name = tag_name(part)
        if name and name not in names:
            names.append(name)
    return names


def excerpt(text: str, limit: int = 120) -> str:
    return re.sub(r"\s+", " ", text or "")[:limit]

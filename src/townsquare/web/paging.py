"""Keyset pagination over conversations, newest activity first (`-last_activity_at, -id`).

Keyset rather than page numbers: the cost of a page does not grow with how deep it is and
there is no COUNT over the whole inbox, so the console stays fast with millions of rows.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    last_activity_at: datetime
    id: int

    def encode(self) -> str:
        micros = (self.last_activity_at - _EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        micros, _, pk = value.partition(".")
        try:
            when = _EPOCH + timedelta(microseconds=int(micros))
            return cls(when, int(pk))
        except (ValueError, OverflowError) as exc:
            raise BadCursor(f"not a page cursor: {value[:40]!r}") from exc

    @classmethod
    def of(cls, conversation) -> "Cursor":
        return cls(conversation.last_activity_at, conversation.pk)


@dataclass
class Page:
    rows: list
    newer: Cursor | None  # pass as `before` to get the page above this one
    older: Cursor | None  # pass as `after` to get the page below this one
    is_first: bool


def _older_than(c: Cursor) -> Q:
    return Q(last_activity_at__lt=c.last_activity_at) | Q(last_activity_at=c.last_activity_at, id__lt=c.id)


def _newer_than(c: Cursor) -> Q:
    return Q(last_activity_at__gt=c.last_activity_at) | Q(last_activity_at=c.last_activity_at, id__gt=c.id)


def _first_page(conversations: QuerySet) -> Page:
    rows = list(conversations.order_by("-last_activity_at", "-id")[: PAGE_SIZE + 1])
    older = Cursor.of(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else None
    return Page(rows[:PAGE_SIZE], newer=None, older=older, is_first=True)


def page_of(conversations: QuerySet, after: Cursor | None = None, before: Cursor | None = None) -> Page:
    """One page of at most PAGE_SIZE conversations, older than `after` or newer than `before`."""
    if after is not None:
        rows = list(
            conversations.filter(_older_than(after)).order_by("-last_activity_at", "-id")[: PAGE_SIZE + 1]
        )
        older = Cursor.of(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else None
        rows = rows[:PAGE_SIZE]
        return Page(rows, newer=Cursor.of(rows[0]) if rows else None, older=older, is_first=False)
    if before is not None:
        rows = list(
            conversations.filter(_newer_than(before)).order_by("last_activity_at", "id")[: PAGE_SIZE + 1]
        )
        if len(rows) <= PAGE_SIZE:
            # Fewer than a full page above: that is the top of the list, shown as the first page.
            return _first_page(conversations)
        rows = rows[:PAGE_SIZE][::-1]
        return Page(rows, newer=Cursor.of(rows[0]), older=Cursor.of(rows[-1]), is_first=False)
    return _first_page(conversations)

"""Keyset pagination over conversations in one of two orders.

- newest activity first (`-last_activity_at, -id`), the inbox's default;
- time left on the SLA clock (`sla_due_at` ascending, rows without a running clock last, then `id`),
  for "breaching soon".

Keyset rather than page numbers: the cost of a page does not grow with how deep it is and
there is no COUNT over the whole inbox, so the console stays fast with millions of rows. A
cursor is the (ordering value, id) of a row at a page's edge; the value may be null (no SLA clock).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import F, Q, QuerySet

PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NULL = "~"  # how a cursor writes a row's missing value (no SLA clock)


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Ordering:
    """A list order: one datetime field, then `id` in the same direction to break ties.

    With `nullable`, rows without a value come after every row with one (NULLS LAST).
    """

    field: str
    descending: bool
    nullable: bool = False

    def forward(self) -> list:
        if self.descending:
            return [F(self.field).desc(nulls_last=self.nullable or None), F("id").desc()]
        return [F(self.field).asc(nulls_last=self.nullable or None), F("id").asc()]

    def backward(self) -> list:
        """The exact reverse of `forward`, to walk up from a cursor."""
        if self.descending:
            return [F(self.field).asc(nulls_first=self.nullable or None), F("id").asc()]
        return [F(self.field).desc(nulls_first=self.nullable or None), F("id").desc()]

    def after(self, cursor: "Cursor") -> Q:
        """Rows that come after the cursor's row in this order."""
        later = "lt" if self.descending else "gt"
        if cursor.at is None:
            return Q(**{f"{self.field}__isnull": True, f"id__{later}": cursor.id})
        beyond = Q(**{f"{self.field}__{later}": cursor.at}) | Q(
            **{self.field: cursor.at, f"id__{later}": cursor.id}
        )
        if self.nullable:
            return beyond | Q(**{f"{self.field}__isnull": True})
        # Redundant, but it lets the database seek in the index instead of scanning past the OR.
        return Q(**{f"{self.field}__{later}e": cursor.at}) & beyond

    def before(self, cursor: "Cursor") -> Q:
        """Rows that come before the cursor's row in this order."""
        earlier = "gt" if self.descending else "lt"
        if cursor.at is None:
            return Q(**{f"{self.field}__isnull": False}) | Q(
                **{f"{self.field}__isnull": True, f"id__{earlier}": cursor.id}
            )
        # The first condition is redundant, and lets the database seek in the index (see `after`).
        return Q(**{f"{self.field}__{earlier}e": cursor.at}) & (
            Q(**{f"{self.field}__{earlier}": cursor.at})
            | Q(**{self.field: cursor.at, f"id__{earlier}": cursor.id})
        )

    def cursor(self, row) -> "Cursor":
        return Cursor(getattr(row, self.field), row.pk)


NEWEST_ACTIVITY = Ordering("last_activity_at", descending=True)
TIME_LEFT = Ordering("sla_due_at", descending=False, nullable=True)


@dataclass(frozen=True)
class Cursor:
    at: datetime | None
    id: int

    def encode(self) -> str:
        if self.at is None:
            return f"{_NULL}.{self.id}"
        micros = (self.at - _EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        micros, _, pk = value.partition(".")
        try:
            when = None if micros == _NULL else _EPOCH + timedelta(microseconds=int(micros))
            return cls(when, int(pk))
        except (ValueError, OverflowError) as exc:
            raise BadCursor(f"not a page cursor: {value[:40]!r}") from exc

    @classmethod
    def of(cls, conversation) -> "Cursor":
        return NEWEST_ACTIVITY.cursor(conversation)


@dataclass
class Page:
    rows: list
    newer: Cursor | None  # pass as `before` to get the page above this one
    older: Cursor | None  # pass as `after` to get the page below this one
    is_first: bool


def _first_page(conversations: QuerySet, ordering: Ordering, size: int = PAGE_SIZE) -> Page:
    rows = list(conversations.order_by(*ordering.forward())[: size + 1])
    older = ordering.cursor(rows[size - 1]) if len(rows) > size else None
    return Page(rows[:size], newer=None, older=older, is_first=True)


def page_of(
    conversations: QuerySet,
    after: Cursor | None = None,
    before: Cursor | None = None,
    ordering: Ordering = NEWEST_ACTIVITY,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of at most `size` rows, below `after` or above `before` in `ordering`."""
    if after is not None:
        rows = list(
            conversations.filter(ordering.after(after)).order_by(*ordering.forward())[: size + 1]
        )
        older = ordering.cursor(rows[size - 1]) if len(rows) > size else None
        rows = rows[:size]
        return Page(rows, newer=ordering.cursor(rows[0]) if rows else None, older=older, is_first=False)
    if before is not None:
        rows = list(
            conversations.filter(ordering.before(before)).order_by(*ordering.backward())[: size + 1]
        )
        if len(rows) <= size:
            # Fewer than a full page above: that is the top of the list, shown as the first page.
            return _first_page(conversations, ordering, size)
        rows = rows[:size][::-1]
        return Page(rows, newer=ordering.cursor(rows[0]), older=ordering.cursor(rows[-1]), is_first=False)
    return _first_page(conversations, ordering, size)

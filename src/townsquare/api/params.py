"""Types for path and query parameters, bounded so the database never sees what it cannot hold.

An id past 2**63 overflows SQLite's INTEGER, a date near year 1 or 9999 can overflow when moved to
UTC, and PostgreSQL refuses NUL in text: each would be a 500 instead of a clear 422.
"""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

MAX_ID = 2**63 - 1


def to_utc(moment: datetime) -> datetime:
    """Read a datetime without an offset as UTC; refuse one that has no UTC equivalent."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("date and time is out of range") from None


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
UtcDatetime = Annotated[datetime, AfterValidator(to_utc)]
SearchText = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]

"""The "Customer Support on Twitter" (TWCS) CSV format, streamed with per-line rejects.

Columns: tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id; dates like `Tue Oct 31 22:10:47 +0000 2017`. Quoted fields may hold
newlines, so a record can span lines. An unclosed quote must not swallow the rest of the file:
a record that spans lines and does not have the right shape is rejected at its first line, and
reading resumes at the line after it.
"""

import csv
import html
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from json.encoder import encode_basestring

from townsquare.inbox.ingest.normalized import (
    MAX_ID_LENGTH,
    MAX_TEXT_BYTES,
    InboundMessage,
    RejectError,
    check_id,
    check_text,
    parse_iso_datetime,
)
from townsquare.inbox.ingest.records import Line, LineReader, Reject, bad_line_reject, excerpt

COLUMNS = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]
REQUIRED = {"tweet_id", "author_id", "inbound", "created_at", "text"}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
INBOUND = {"true": "in", "false": "out"}
# The spellings of the real file, looked up before any stripping or lowering.
INBOUND_EXACT = {"True": "in", "False": "out", **INBOUND}


class FormatError(ValueError):
    """The file as a whole is not in this format (e.g. the header is wrong)."""


def parse_twcs_date(value: str) -> datetime:
    """Parse `Tue Oct 31 22:10:47 +0000 2017` (much faster than strptime, which matters at 100k rows/s)."""
    try:
        _weekday, month, day, clock, offset, year = value.split()
        if offset[0] not in "+-" or len(offset) != 5 or len(clock) != 8:
            raise ValueError
        moment = datetime(
            int(year), MONTHS[month], int(day), int(clock[0:2]), int(clock[3:5]), int(clock[6:8]), tzinfo=UTC
        )
        if offset != "+0000":
            shift = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
            moment = moment.replace(tzinfo=timezone(shift if offset[0] == "+" else -shift)).astimezone(UTC)
    except (ValueError, KeyError, OverflowError):
        # Exports re-saved by other tools sometimes carry ISO 8601 dates; take those too.
        try:
            return parse_iso_datetime(value)
        except RejectError:
            raise RejectError(
                f"bad date {value[:40]!r} (expected like 'Tue Oct 31 22:10:47 +0000 2017')"
            ) from None
    return moment


def tweet_id(value: str, name: str, required: bool) -> str | None:
    if value.isdigit():
        return value if len(value) <= MAX_ID_LENGTH else check_id(value, name)
    value = value.strip()
    if value.endswith(".0"):  # ids written by tools that turned the column into floats
        value = value[:-2]
    if not value:
        return check_id(None, name, required)
    if not value.isdigit():
        raise RejectError(f"{name} {value[:40]!r} is not a tweet id (digits)")
    return check_id(value, name)


def read_twcs(handle) -> Iterator[tuple[int, InboundMessage] | Reject]:
    """Yield (line number, message) for each valid row and a Reject for each bad one."""
    lines = LineReader(handle)
    first = next(lines, None)
    if first is None:
        raise FormatError("the file is empty")
    header = [name.strip().lower() for name in first.text.strip().split(",")]
    if not REQUIRED <= set(header):
        raise FormatError(
            f"not a TWCS file: the header needs {', '.join(COLUMNS)}; found {', '.join(header)[:200]}"
        )
    yield from _records(lines, header, row_encoder(header))


def row_encoder(header: list[str]) -> Callable[[list[str]], str] | None:
    """A function turning a row's fields into the JSON of `dict(zip(header, fields))`, the same
    text json.dumps(ensure_ascii=False) writes, at about half its cost; None if a column repeats."""
    if len(set(header)) != len(header):
        return None
    keys = [encode_basestring(name) for name in header]
    prefixes = ["{" + keys[0] + ":", *("," + key + ":" for key in keys[1:])]

    def encode(fields: list[str]) -> str:
        return "".join(map(str.__add__, prefixes, map(encode_basestring, fields))) + "}"

    return encode


def _records(lines: LineReader, header: list[str], encode) -> Iterator[tuple[int, InboundMessage] | Reject]:
    width = len(header)
    current: list[str] = []  # the physical lines of the record being read
    number = lines.number  # lines read before the record (the header)
    reader = csv.reader(lines.texts(current), strict=True)
    while True:
        if lines.unclean:  # forget the lines judged already (a too-long one holds 256 KB)
            for judged in [n for n in lines.unclean if n <= number]:
                del lines.unclean[judged]
        current.clear()
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if not current:
                return
            fields, error = None, f"broken quoting: {exc}"
        else:
            error = None
        first = number + 1
        number += len(current)
        if fields is not None and len(fields) == width:
            yield _checked(first, current, lines.unclean, header, fields, encode)
        elif fields == [] or (fields is not None and len(current) == 1 and not "".join(fields).strip()):
            continue  # a blank line
        elif len(current) > 1:
            # An unclosed quote swallowed the lines after it: judge the first line on its own
            # and read the others again, so valid rows after a broken one are not lost.
            lines.push_back(current[1:])
            number = first
            reader = csv.reader(lines.texts(current), strict=True)  # the old one may have hit the end
            yield _single_line(first, current[0], lines.unclean, header, encode)
        else:
            yield _unclean_reject(first, lines.unclean) or Reject(
                first, error or f"expected {width} fields, found {len(fields)}", excerpt(current[0])
            )


def _unclean_reject(number: int, unclean: dict[int, Line]) -> Reject | None:
    line = unclean.get(number)
    return bad_line_reject(line) if line is not None else None


def _single_line(number: int, text: str, unclean: dict[int, Line], header: list[str], encode):
    bad = _unclean_reject(number, unclean)
    if bad:
        return bad
    try:
        fields = next(csv.reader([text]))
    except (csv.Error, StopIteration):
        fields = None
    if fields is None or len(fields) != len(header):
        return Reject(number, "broken quoting: a quoted field is never closed", excerpt(text))
    return _checked(number, [text], unclean, header, fields, encode)


def _checked(number: int, texts: list[str], unclean, header: list[str], fields: list[str], encode):
    """(number, message) for a row of the right width, or its Reject; `texts` are its lines."""
    for offset, text in enumerate(texts):
        if unclean and number + offset in unclean:
            return Reject(number, bad_line_reject(unclean[number + offset]).reason, excerpt(texts[0]))
        if "\x00" in text:
            # Any column is kept in the raw payload, and PostgreSQL refuses NUL in text and jsonb.
            return Reject(number, "contains a NUL character", excerpt(texts[0]))
    try:
        message = _message(dict(zip(header, fields, strict=True)))
    except RejectError as exc:
        return Reject(number, str(exc), excerpt(texts[0]))
    if encode is not None:
        message.raw_json = encode(fields)
    return number, message


def _message(row: dict[str, str]) -> InboundMessage:
    """Validate one row. Each field has a fast path for the common shape (checked with str methods
    that run in C) and falls back to the full check, which gives the same answer, otherwise."""
    direction = INBOUND_EXACT.get(row["inbound"]) or INBOUND.get(row["inbound"].strip().lower())
    if direction is None:
        raise RejectError(f"inbound must be True or False, not {row['inbound'][:20]!r}")
    author = row["author_id"]
    # Letters, digits and underscores only: no space to strip, no NUL, no lone surrogate.
    if not ((author.isalnum() or author.isidentifier()) and len(author) <= MAX_ID_LENGTH):
        author = check_id(author, "author_id")
    external_id = row["tweet_id"]
    if not (external_id.isdigit() and len(external_id) <= MAX_ID_LENGTH):
        external_id = tweet_id(external_id, "tweet_id", required=True)
    text = row["text"]
    if "&" in text:
        # Twitter escapes &, < and > in tweet text; store what the customer wrote (raw keeps the original).
        text = html.unescape(text)
    if not (text.isascii() and len(text) <= MAX_TEXT_BYTES and "\x00" not in text):
        text = check_text(text)
    created_at = parse_twcs_date(row["created_at"])
    parent = row.get("in_response_to_tweet_id", "") or None  # most tweets answer none
    if parent is not None and not (parent.isdigit() and len(parent) <= MAX_ID_LENGTH):
        parent = tweet_id(parent, "in_response_to_tweet_id", required=False)
    return InboundMessage(
        external_id=external_id,
        author_id=author,
        author_handle=author if author.isdigit() else f"@{author}",
        direction=direction,
        text=text,
        created_at=created_at,
        parent_external_id=parent,
        raw=row,
    )

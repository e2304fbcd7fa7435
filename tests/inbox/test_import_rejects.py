"""Bad rows go to a reject report with their line number and reason; every valid row is stored."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.inbox.ingest.records import Reject
from townsquare.inbox.ingest.twcs import read_twcs
from townsquare.inbox.models import Channel, Message

HEADER = b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
DATE = b"Tue Oct 31 22:10:47 +0000 2017"


def row(tweet_id: bytes, text: bytes, *, author=b"555", inbound=b"True", date=DATE, parent=b"") -> bytes:
    return b",".join([tweet_id, author, inbound, date, text, b"", parent]) + b"\n"


MALFORMED = [
    (row(b"1", b"fine first"), None),
    (row(b"2", b'"this quote never closes, and swallows what follows'), "broken quoting"),
    (row(b"3", b"fine after the broken quote"), None),
    (row(b"", b"no id"), "missing tweet_id"),
    (row(b"5", b"a date nobody can read", date=b"yesterday"), "bad date"),
    (row(b"abc", b"an id that is not a number"), "is not a tweet id"),
    (row(b"7", b"inbound is neither", inbound=b"maybe"), "inbound must be True or False"),
    (row(b"8", b'"' + b"x" * 70_000 + b'"'), "over 64 KB"),
    (row(b"9", b"caf\xe9 in latin-1"), "invalid UTF-8"),
    (b"10,555,True\n", "expected 7 fields"),
    (b"13,555,True," + DATE + b",a NUL hides in a column nobody checks,14\x00,\n", "NUL character"),
    (row(b"11", b'"a quoted text, with a comma\nand a newline"'), None),
    (row(b"12", b"last one", parent=b"11"), None),
]


@pytest.fixture
def malformed_file(tmp_path):
    path = tmp_path / "malformed.csv"
    path.write_bytes(HEADER + b"".join(line for line, _ in MALFORMED))
    return path


def expected_lines():
    """Physical line number of each MALFORMED entry (the header is line 1)."""
    numbers, line = [], 2
    for data, _ in MALFORMED:
        numbers.append(line)
        line += data.count(b"\n")
    return numbers


@pytest.mark.django_db
def test_each_bad_row_is_reported_with_its_line_and_reason(malformed_file, tmp_path):
    report = tmp_path / "rejects.csv"
    out = io.StringIO()
    call_command(
        "ingest",
        str(malformed_file),
        "--format",
        "twcs",
        "--channel",
        "twitter",
        "--json",
        "--rejects",
        str(report),
        stdout=out,
    )
    summary = json.loads(out.getvalue())

    bad = [(n, reason) for n, (_, reason) in zip(expected_lines(), MALFORMED, strict=True) if reason]
    good = [d for d, reason in MALFORMED if reason is None]
    assert summary["rejected"] == len(bad)
    assert summary["stored"] == len(good)
    assert summary["read"] == len(MALFORMED)
    assert summary["reject_report"] == str(report)

    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [int(r["line"]) for r in rows] == [n for n, _ in bad]
    for r, (_, reason) in zip(rows, bad, strict=True):
        assert reason in r["reason"], (r, reason)
    assert sorted(Message.objects.values_list("external_id", flat=True)) == ["1", "11", "12", "3"]
    assert Message.objects.get(external_id="11").text == "a quoted text, with a comma\nand a newline"
    assert Channel.objects.get(name="twitter").messages_rejected == len(bad)


@pytest.mark.django_db
def test_a_clean_file_writes_no_reject_report(tmp_path):
    path = tmp_path / "clean.csv"
    path.write_bytes(HEADER + row(b"1", b"hello"))
    out = io.StringIO()
    call_command("ingest", str(path), "--format", "twcs", "--channel", "twitter", "--json", stdout=out)
    assert json.loads(out.getvalue())["reject_report"] is None


def count(items):
    good = sum(1 for item in items if not isinstance(item, Reject))
    return good, [item for item in items if isinstance(item, Reject)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=80),
            st.sampled_from([row(b"1", b"ok"), row(b"2", b'"open'), b'"', b"\xff\xfe", b"\n", b",,,,,,\n"]),
        ),
        max_size=30,
    )
)
def test_the_reader_never_crashes_and_accounts_for_every_line(chunks):
    data = HEADER + b"".join(chunks)
    items = list(read_twcs(io.BytesIO(data)))
    good, rejects = count(items)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    assert good + len(rejects) <= lines - 1
    assert all(2 <= r.line <= lines for r in rejects)
    assert [r.line for r in rejects] == sorted({r.line for r in rejects})  # in file order, once each


def test_valid_rows_after_an_unclosed_quote_are_not_lost():
    data = HEADER + row(b"1", b'"never closed') + b"".join(row(str(i).encode(), b"ok") for i in range(2, 50))
    good, rejects = count(list(read_twcs(io.BytesIO(data))))
    assert good == 48
    assert [r.line for r in rejects] == [2]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Tue Oct 31 22:10:47 +0000 2017", "2017-10-31T22:10:47+00:00"),
        ("Tue Oct 31 23:10:47 +0100 2017", "2017-10-31T22:10:47+00:00"),
        ("2017-10-31T22:10:47Z", "2017-10-31T22:10:47+00:00"),  # re-saved exports
        ("Mon Jan 01 00:30:00 +0100 0001", None),  # before year 1 in UTC
        ("Tue Foo 31 22:10:47 +0000 2017", None),
        ("Tue Oct 31 22:10:47 +0000 99999", None),
        ("2017-10-31T22:10:47", None),  # no time zone
    ],
)
def test_dates_are_read_or_rejected_never_crash(date, expected):
    data = HEADER + row(b"1", b"hello", date=date.encode())
    items = list(read_twcs(io.BytesIO(data)))
    assert len(items) == 1
    if expected is None:
        assert isinstance(items[0], Reject) and "bad date" in items[0].reason
    else:
        assert items[0][1].created_at.isoformat() == expected

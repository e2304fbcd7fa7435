"""The TWCS reader's shortcuts give the same answers as the full checks they skip."""

import gc
import html
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.inbox.ingest.normalized import RejectError, check_id, check_text
from townsquare.inbox.ingest.records import Reject
from townsquare.inbox.ingest.run_import import fewer_collections
from townsquare.inbox.ingest.twcs import COLUMNS, INBOUND, read_twcs, row_encoder, tweet_id

HEADER = ",".join(COLUMNS) + "\n"
DATE = "Tue Oct 31 22:10:47 +0000 2017"


def one_row(**values) -> Reject | tuple:
    fields = {"tweet_id": "1", "author_id": "555", "inbound": "True", "created_at": DATE, "text": "hi"}
    fields.update(values)
    line = ",".join('"' + fields.get(c, "").replace('"', '""') + '"' for c in COLUMNS) + "\n"
    items = list(read_twcs(io.BytesIO((HEADER + line).encode("utf-8", "surrogatepass"))))
    assert len(items) == 1
    return items[0]


def expected(check, value):
    try:
        return check(value)
    except RejectError as exc:
        return str(exc)


def outcome(item, attribute: str):
    return item.reason if isinstance(item, Reject) else getattr(item[1], attribute)


# No quotes, newlines or lone surrogates (the CSV line would not be valid UTF-8 or one line).
FIELD_TEXT = st.text(st.characters(exclude_characters='"\r\n', exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(FIELD_TEXT | st.sampled_from(["Uber_Support", " 42 ", "x" * 192, "_", "a\x00b", "Ⅻ", "٣"]))
def test_author_ids_are_what_the_full_check_says(author):
    want = expected(lambda value: check_id(value, "author_id"), author)
    item = one_row(author_id=author)
    if "\x00" in author:
        assert "NUL" in item.reason
    else:
        assert outcome(item, "author_id") == want


@settings(max_examples=300, deadline=None)
@given(FIELD_TEXT | st.sampled_from(["x" * 65537, "é" * 20000, "a &amp; b", "&#0;", "\t"]))
def test_texts_are_what_the_full_check_says(text):
    item = one_row(text=text)
    if "\x00" in text:
        assert "NUL" in item.reason
    else:
        assert outcome(item, "text") == expected(check_text, html.unescape(text) if "&" in text else text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_characters='"\r\n\x00', exclude_categories=["Cs"]), max_size=12))
def test_tweet_ids_and_inbound_match_the_full_checks(value):
    item = one_row(tweet_id=value)
    assert outcome(item, "external_id") == expected(lambda v: tweet_id(v, "tweet_id", True), value)
    item = one_row(in_response_to_tweet_id=value)
    want = expected(lambda v: tweet_id(v, "in_response_to_tweet_id", False), value)
    assert outcome(item, "parent_external_id") == want
    item = one_row(inbound=value)
    direction = INBOUND.get(value.strip().lower())
    assert outcome(item, "direction") == (direction or f"inbound must be True or False, not {value[:20]!r}")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(max_size=20), min_size=1, max_size=8).flatmap(
        lambda header: st.tuples(
            st.just(header), st.lists(st.text(max_size=40), min_size=len(header), max_size=len(header))
        )
    )
)
def test_the_row_encoder_writes_what_json_dumps_writes(header_and_fields):
    header, fields = header_and_fields
    encode = row_encoder(header)
    if len(set(header)) != len(header):
        assert encode is None  # dict(zip()) keeps one value per repeated column; left to json
        return
    want = json.dumps(dict(zip(header, fields, strict=True)), ensure_ascii=False, separators=(",", ":"))
    assert encode(fields) == want


def test_a_row_keeps_its_raw_payload_as_json():
    item = one_row(text='say "hi" \\ 😀 &amp;', author_id="Uber_Support")
    message = item[1]
    assert json.loads(message.raw_json) == message.raw
    assert message.raw["text"] == 'say "hi" \\ 😀 &amp;' and message.text == 'say "hi" \\ 😀 &'


def test_the_collector_is_back_to_normal_after_imports_even_overlapping_ones():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == 20_000
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == 20_000  # the other import is still running
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_lines_with_bad_bytes_are_forgotten_once_judged():
    from townsquare.inbox.ingest.records import LineReader
    from townsquare.inbox.ingest.twcs import _records

    bad = b"1,555,True," + DATE.encode() + b",caf\xe9,,\n"
    data = HEADER.encode() + bad * 50 + b"2,555,True," + DATE.encode() + b',"open\n' + bad
    lines = LineReader(io.BytesIO(data))
    header = next(lines).text.strip().split(",")
    held = []
    for item in _records(lines, header, None):
        assert isinstance(item, Reject)
        held.append(len(lines.unclean))
    assert held and max(held) <= 2

"""Townsquare's own JSONL import format: one message object per line (see normalized.py, README)."""

from collections.abc import Iterator

from townsquare.inbox.ingest.normalized import InboundMessage, RejectError, message_from_json_line
from townsquare.inbox.ingest.records import LineReader, Reject, bad_line_reject, excerpt


def read_jsonl(handle) -> Iterator[tuple[int, InboundMessage] | Reject]:
    for line in LineReader(handle):
        bad = bad_line_reject(line)
        if bad:
            yield bad
            continue
        if not line.text.strip():
            continue
        try:
            yield line.number, message_from_json_line(line.text)
        except RejectError as exc:
            yield Reject(line.number, str(exc), excerpt(line.text))

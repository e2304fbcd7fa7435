"""Importing Townsquare's JSONL format: one message object per line."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from townsquare.inbox.models import Conversation, Message

pytestmark = pytest.mark.django_db

GOOD = [
    {
        "id": "m-1",
        "author": {"id": "dana", "handle": "@dana", "name": "Dana"},
        "direction": "in",
        "text": "Mi pedido llegó roto",
        "created_at": "2026-11-20T10:00:00Z",
        "in_reply_to": None,
    },
    {
        "id": "m-2",
        "author": {"id": "brand", "handle": "@shop"},
        "direction": "out",
        "text": "Lo sentimos, Dana. ¿Nos envías el número de pedido?",
        "created_at": "2026-11-20T10:04:00+00:00",
        "in_reply_to": "m-1",
    },
    {"id": 3, "author": "farid", "text": "كيف أغير كلمة المرور؟", "created_at": "2026-11-20T11:00:00+01:00"},
]
BAD = [
    ("{not json", "invalid JSON"),
    (json.dumps({"author": "x", "text": "no id", "created_at": "2026-11-20T10:00:00Z"}), "missing id"),
    (
        json.dumps({"id": "b", "author": "x", "text": 5, "created_at": "2026-11-20T10:00:00Z"}),
        "text must be a string",
    ),
    (json.dumps({"id": "c", "author": "x", "text": "hi", "created_at": "yesterday"}), "not an ISO 8601"),
    (
        json.dumps({"id": "d", "author": "x", "text": "hi", "created_at": "2026-11-20T10:00:00"}),
        "no time zone",
    ),
    (
        json.dumps(
            {
                "id": "e",
                "author": "x",
                "text": "hi",
                "created_at": "2026-11-20T10:00:00Z",
                "direction": "sideways",
            }
        ),
        "direction must be",
    ),
    (json.dumps([1, 2]), "must be a JSON object"),
    (
        json.dumps({"id": "f", "author": "x", "text": "x" * 70_000, "created_at": "2026-11-20T10:00:00Z"}),
        "over 64 KB",
    ),
]


def test_valid_lines_are_stored_and_bad_ones_reported(tmp_path):
    path = tmp_path / "messages.jsonl"
    lines = (
        [json.dumps(m, ensure_ascii=False) for m in GOOD[:2]]
        + [b for b, _ in BAD]
        + ["", json.dumps(GOOD[2])]
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(path), "--format", "jsonl", "--channel", "shop", "--json", stdout=out)
    summary = json.loads(out.getvalue())

    assert (summary["read"], summary["stored"], summary["rejected"]) == (len(GOOD) + len(BAD), 3, len(BAD))
    report = list(csv.DictReader(open(summary["reject_report"], encoding="utf-8")))
    assert [int(r["line"]) for r in report] == list(range(3, 3 + len(BAD)))
    for r, (_, reason) in zip(report, BAD, strict=True):
        assert reason in r["reason"]

    reply = Message.objects.get(external_id="m-2")
    assert reply.parent.external_id == "m-1" and reply.conversation_id == reply.parent.conversation_id
    assert Message.objects.get(external_id="3").created_at.isoformat() == "2026-11-20T10:00:00+00:00"
    assert Conversation.objects.count() == 2
    dana = Message.objects.get(external_id="m-1").author
    assert (dana.handle, dana.display_name, dana.customer.display_name) == ("@dana", "Dana", "Dana")


def test_reimporting_jsonl_counts_every_row_as_a_duplicate(tmp_path):
    path = tmp_path / "messages.jsonl"
    path.write_text("\n".join(json.dumps(m) for m in GOOD) + "\n", encoding="utf-8")
    for _ in range(2):
        out = io.StringIO()
        call_command("ingest", str(path), "--format", "jsonl", "--channel", "shop", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["stored"], summary["duplicates"], summary["reject_report"]) == (0, 3, None)
    assert Message.objects.count() == 3

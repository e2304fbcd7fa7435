"""message_from_dict refuses, with a reason, what the database cannot store or Python cannot convert."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from townsquare.inbox.ingest.normalized import (
    MAX_DEPTH,
    RejectError,
    message_from_dict,
    message_from_json_line,
    unstorable_reason,
)
from townsquare.inbox.models import Message


def item(**changes) -> dict:
    base = {
        "id": "m-1",
        "author": {"id": "u-7", "handle": "@dana", "name": "Dana"},
        "text": "¿Dónde está mi pedido? 🙂",
        "created_at": "2026-11-20T10:15:00Z",
    }
    return {**base, **changes}


def nested(levels: int):
    value = "leaf"
    for _ in range(levels):
        value = [value]
    return value


def reason_for(obj) -> str:
    with pytest.raises(RejectError) as caught:
        message_from_dict(obj)
    return str(caught.value)


def test_a_valid_item_is_accepted_unchanged():
    message = message_from_dict(item(extra=nested(MAX_DEPTH - 1)))
    assert (message.external_id, message.author_id, message.author_name) == ("m-1", "u-7", "Dana")
    assert message.text.endswith("🙂")


@pytest.mark.parametrize(
    "created_at",
    ["0001-01-01T00:00+14:00", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-14:00"],
)
def test_a_date_with_no_utc_equivalent_is_rejected(created_at):
    assert "out of range" in reason_for(item(created_at=created_at))


def test_year_one_in_utc_is_fine():
    assert message_from_dict(item(created_at="0001-01-01T00:00Z")).created_at.year == 1


@pytest.mark.parametrize(
    ("changes", "where", "what"),
    [
        ({"text": "nul \x00 inside"}, "text", "NUL"),
        ({"text": "lone \ud800 surrogate"}, "text", "surrogate"),
        ({"id": "m-\x00"}, "id", "NUL"),
        ({"in_reply_to": "\udfff"}, "in_reply_to", "surrogate"),
        ({"author": {"id": "u-\x00"}}, "author.id", "NUL"),
        ({"author": {"id": "u-7", "handle": "@\ud83d"}}, "author.handle", "surrogate"),
        ({"author": {"id": "u-7", "name": "Da\x00na"}}, "author.name", "NUL"),
        ({"author": "u\x00"}, "author", "NUL"),
        ({"extra": {"tags": ["ok", "bad \x00"]}}, "extra.tags[1]", "NUL"),
        ({"extra": {"k\ud800": 1}}, "extra", "key"),
        ({"extra": {"weird key": "\x00"}}, "extra['weird key']", "NUL"),
    ],
)
def test_strings_the_database_refuses_are_rejected_wherever_they_are(changes, where, what):
    reason = reason_for(item(**changes))
    assert reason.startswith(f"{where} "), reason
    assert what in reason


def test_nesting_deeper_than_the_limit_is_rejected():
    assert f"nested deeper than {MAX_DEPTH}" in reason_for(item(extra=nested(MAX_DEPTH)))
    assert f"nested deeper than {MAX_DEPTH}" in reason_for(item(extra=nested(10_000)))


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_numbers_json_cannot_hold_are_rejected(number):
    assert "not a JSON number" in reason_for(item(extra={"score": number}))


def test_an_integer_id_too_long_to_store_is_rejected_not_an_overflow():
    assert "longer than" in reason_for(item(id=10**5000))


def test_unstorable_reason_is_none_for_ordinary_json():
    assert unstorable_reason({"a": [1, 2.5, None, True, "ü", {"b": "🙂"}]}) is None


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        (json.dumps(item(text="a\x00b")), "NUL"),
        (json.dumps(item(created_at="0001-01-01T00:00+14:00")), "out of range"),
        (json.dumps(item()).replace("}", ', "x": NaN}', 1), "not a JSON number"),
    ],
)
def test_a_json_line_gets_the_same_checks(line, what):
    with pytest.raises(RejectError, match=what):
        message_from_json_line(line)


@pytest.mark.django_db
def test_the_jsonl_importer_reports_unstorable_lines_and_stores_the_rest(tmp_path):
    lines = [
        json.dumps(item(id="ok-1")),
        json.dumps(item(id="nul", text="a\x00b")),
        json.dumps(item(id="sur", author={"id": "u-\ud800"})),
        json.dumps(item(id="date", created_at="0001-01-01T00:00+14:00")),
        json.dumps(item(id="deep", extra=nested(40))),
        json.dumps(item(id="ok-2")),
    ]
    path = tmp_path / "messages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(path), "--format", "jsonl", "--channel", "shop", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["stored"], summary["rejected"]) == (2, 4)
    with open(summary["reject_report"], encoding="utf-8") as report:
        reasons = {int(row["line"]): row["reason"] for row in csv.DictReader(report)}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert "NUL" in reasons[2] and "surrogate" in reasons[3]
    assert "out of range" in reasons[4] and "nested deeper" in reasons[5]
    assert set(Message.objects.values_list("external_id", flat=True)) == {"ok-1", "ok-2"}

"""Bad deliveries get a clear 400/422 listing what is wrong, and nothing valid is lost."""

import json

import pytest
from django.test import override_settings

from tests.api.signing import message, post_signed
from townsquare.inbox.models import Channel, Message


@pytest.mark.parametrize("raw", [b"not json", b"{", b"", b'{"messages": [NaN]}', b"\xff\xfe", b"[" * 100_000])
def test_a_body_that_is_not_json_is_400(client, hook, raw):
    response = post_signed(client, hook, raw)
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [[], {}, {"messages": {}}, {"messages": "m-1"}, {"message": [message(1)]}, {"messages": []}, "text", 5],
)
def test_a_body_without_a_messages_list_is_422(client, hook, body):
    response = post_signed(client, hook, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "messages"]


@override_settings(WEBHOOK_MAX_BATCH=1000)
def test_more_than_1000_messages_is_422(client, hook):
    response = post_signed(client, hook, {"messages": [message(n) for n in range(1001)]})
    assert response.status_code == 422
    assert "1001" in response.json()["errors"][0]["msg"]
    assert not Message.objects.exists()


def test_invalid_items_are_listed_and_nothing_is_stored(client, hook):
    items = [
        message(1),
        message(2, text=5),
        message(3, created_at="yesterday"),
        {"text": "no id"},
        "not an object",
        message(6, created_at="2026-11-20T10:15:00"),
        message(7, direction="sideways"),
        message(8, extra={"nested": "nul \u0000 inside"}),
        message(9, created_at="0001-01-01T00:00:00+14:00"),
    ]
    response = post_signed(client, hook, {"messages": items})
    assert response.status_code == 422
    rejected = response.json()["rejected"]
    assert [(r["index"], r["id"]) for r in rejected] == [
        (1, "m-2"),
        (2, "m-3"),
        (3, None),
        (4, None),
        (5, "m-6"),
        (6, "m-7"),
        (7, "m-8"),
        (8, "m-9"),
    ]
    reasons = [r["reason"] for r in rejected]
    assert "text must be a string" in reasons[0]
    assert "not an ISO 8601" in reasons[1]
    assert reasons[2].startswith("missing")
    assert "NUL" in reasons[6]
    assert not Message.objects.exists()
    assert Channel.objects.get(pk=hook.pk).messages_rejected == 8


def test_partial_stores_the_valid_items_and_reports_the_rest(client, hook):
    items = [message(1), message(2, text=None), message(3)]
    response = post_signed(client, hook, {"messages": items}, query="?partial=true")
    assert response.status_code == 202
    body = response.json()
    assert body["stored"] == 2
    assert body["rejected"] == [{"index": 1, "id": "m-2", "reason": "missing text"}]
    assert [m["id"] for m in body["messages"]] == ["m-1", "m-3"]
    assert set(Message.objects.values_list("external_id", flat=True)) == {"m-1", "m-3"}
    channel = Channel.objects.get(pk=hook.pk)
    assert (channel.messages_stored, channel.messages_rejected) == (2, 1)


@pytest.mark.parametrize(
    "item",
    [
        message(1, author={"id": "u-1", "name": "lone \ud800 surrogate"}),
        message(1, text="lone \udfff surrogate"),
        message(1, extra={"deep": json.loads("[" * 40 + "]" * 40)}),
    ],
)
def test_values_no_database_can_store_are_rejected_not_a_500(client, hook, item):
    response = post_signed(client, hook, {"messages": [item]})
    assert response.status_code == 422
    assert response.json()["rejected"][0]["index"] == 0


def test_unicode_and_a_large_valid_batch_are_fine(client, hook):
    items = [message(n, text=f"¿Dónde está mi pedido? 订单 {n} 🙂") for n in range(1000)]
    response = post_signed(client, hook, {"messages": items})
    assert response.status_code == 202
    assert response.json()["stored"] == 1000
    assert Message.objects.get(external_id="m-999").text.endswith("999 🙂")


def test_the_raw_payload_is_kept(client, hook):
    item = message(1, extra={"order": "A-17"})
    post_signed(client, hook, {"messages": [item]})
    assert Message.objects.get().raw == json.loads(json.dumps(item))

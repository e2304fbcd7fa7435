"""The webhook benchmark's deliveries: deterministic batches of messages, and their signatures.

The HTTP senders and the in-process baseline build the very same batches from the same numbers.
Signing is written out here rather than imported from Townsquare, so the client stays independent.
"""

import hashlib
import hmac
import json
import random
import time
from datetime import UTC, datetime, timedelta

BATCH_SIZE = 100
TEXTS = [
    "my order still hasn't arrived, can you check?",
    "the app logs me out every time I open it",
    "¿Dónde está mi pedido? Llevo dos semanas esperando.",
    "Meine Bestellung ist beschädigt angekommen.",
    "thanks, that fixed it!",
    "Ma commande n'est toujours pas arrivée 😕",
    "订单显示已发货，但物流一直没有更新。",
]
START = datetime(2026, 11, 1, tzinfo=UTC)


def sender_batches(sender: int, batches: int) -> list[list[dict]]:
    """`batches` batches for one sender; about a third of the messages reply to an earlier one."""
    rng = random.Random(1000 + sender)
    result, number = [], 0
    for _ in range(batches):
        batch = []
        for _ in range(BATCH_SIZE):
            number += 1
            external_id = f"s{sender}-m{number}"
            replying = number > 1 and rng.random() < 0.35
            batch.append(
                {
                    "id": external_id,
                    "author": {"id": f"u{rng.randint(1, 5000)}", "handle": "@customer", "name": "Customer"},
                    "direction": "out" if replying and rng.random() < 0.5 else "in",
                    "text": rng.choice(TEXTS),
                    "created_at": (START + timedelta(seconds=number * 7)).isoformat(),
                    "in_reply_to": f"s{sender}-m{rng.randint(max(1, number - 50), number - 1)}"
                    if replying
                    else None,
                }
            )
        result.append(batch)
    return result


def encode(batch: list[dict]) -> bytes:
    return json.dumps({"messages": batch}, ensure_ascii=False).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def post_signed(connection, path: str, secret: str, body: bytes) -> tuple[int, bytes, float]:
    """POST one signed delivery on an open connection; (status, answer, seconds it took)."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Townsquare-Timestamp": str(timestamp),
        "X-Townsquare-Signature": signature(secret, timestamp, body),
    }
    sent = time.perf_counter()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    answer = response.read()
    return response.status, answer, time.perf_counter() - sent

"""Baseline for the webhook bench: the same batches stored through `store_messages` in one process.

Run by bench.webhook as `python -m bench.store_inprocess SENDERS BATCHES` with TOWNSQUARE_DATA_DIR
set to a fresh, migrated data directory; prints {"messages", "seconds", "batch_seconds"} as JSON.
"""

import json
import os
import sys
import time


def main(senders: int, batches: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    from django.db import transaction

    from bench.webhook_batches import sender_batches
    from townsquare.inbox.ingest.normalized import message_from_dict
    from townsquare.inbox.ingest.store import store_messages
    from townsquare.inbox.models import Channel, ChannelKind

    channels = [
        Channel.objects.create(name=f"bench-webhook-{i}", kind=ChannelKind.WEBHOOK) for i in range(senders)
    ]
    work = [(channel, batch) for i, channel in enumerate(channels) for batch in sender_batches(i, batches)]
    # Interleaved like the concurrent senders: one batch from each sender in turn.
    work.sort(key=lambda item: int(item[1][0]["id"].split("-m")[1]))
    batch_seconds, stored = [], 0
    started = time.perf_counter()
    for channel, batch in work:
        begun = time.perf_counter()
        with transaction.atomic():
            stored += store_messages(
                channel, [message_from_dict(item) for item in batch], source="webhook"
            ).stored
        batch_seconds.append(time.perf_counter() - begun)
    return {"messages": stored, "seconds": time.perf_counter() - started, "batch_seconds": batch_seconds}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))

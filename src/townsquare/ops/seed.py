"""Demo data: three channels of messages in several languages, the staff from SCENARIOS.md and their
care set-up (teams, queues, SLA policies, canned replies: ops.care_demo).

Messages go in through the ingest service like any other source, so the demo shows what a real
import looks like (threads, customers, events). Timestamps in the file are shifted so that the
newest message is a few minutes old whenever the demo is loaded.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from townsquare.inbox.ingest.normalized import message_from_dict
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.ops.care_demo import seed_care_demo
from townsquare.ops.community_demo import seed_community_demo
from townsquare.people.models import Role, User

DEMO_MESSAGES = Path(__file__).resolve().parent / "demo" / "messages.jsonl"
DEMO_SOURCE = "demo"
NEWEST_MESSAGE_AGE = timedelta(minutes=3)

DEMO_CHANNELS = {
    "twitter-import": ChannelKind.IMPORT,
    "shop-webhook": ChannelKind.WEBHOOK,
    "community": ChannelKind.COMMUNITY,
}

# (username, first name, role, languages): the staff from SCENARIOS.md. They sign in only after an
# admin sets their password; the demo login is `admin`.
DEMO_STAFF = [
    ("alice", "Alice", Role.AGENT, ["en", "de"]),
    ("bruno", "Bruno", Role.AGENT, ["es", "en"]),
    ("carol", "Carol", Role.SUPERVISOR, ["en"]),
    ("bob", "Bob", Role.AMBASSADOR, ["en", "zh"]),
    ("eve", "Eve", Role.MODERATOR, ["en", "de"]),
    ("hiro", "Hiro", Role.SUPERVISOR, ["en", "zh"]),
]


@dataclass
class SeedResult:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    users_created: int = 0


def read_demo_lines(path: Path = DEMO_MESSAGES) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def shift_to_now(lines: list[dict], now: datetime) -> list[dict]:
    """Move every created_at by the same amount so that the newest one is NEWEST_MESSAGE_AGE before now."""
    moments = [datetime.fromisoformat(line["created_at"]) for line in lines]
    offset = (now - NEWEST_MESSAGE_AGE) - max(moments)
    return [
        {**line, "created_at": (moment + offset).isoformat()}
        for line, moment in zip(lines, moments, strict=True)
    ]


def ensure_demo_staff() -> int:
    created = 0
    for username, first_name, role, languages in DEMO_STAFF:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "role": role, "languages": languages},
        )
        if was_created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            created += 1
    return created


def seed_demo(path: Path = DEMO_MESSAGES, now: datetime | None = None) -> SeedResult:
    """Store the demo messages and staff; running it again stores nothing new."""
    now = now or timezone.now()
    result = SeedResult(users_created=ensure_demo_staff())
    # Queues before messages: conversations are routed as soon as their fast labels land.
    seed_care_demo(now.year)
    by_channel: dict[str, list[dict]] = defaultdict(list)
    for line in shift_to_now(read_demo_lines(path), now):
        by_channel[line["channel"]].append(line)
    for name, lines in by_channel.items():
        channel, _ = Channel.objects.get_or_create(
            name=name, defaults={"kind": DEMO_CHANNELS.get(name, ChannelKind.IMPORT)}
        )
        messages = [message_from_dict({k: v for k, v in line.items() if k != "channel"}) for line in lines]
        messages.sort(key=lambda message: message.created_at)
        stored = store_messages(channel, messages, source=DEMO_SOURCE)
        result.read += len(messages)
        result.stored += stored.stored
        result.duplicates += stored.duplicates
    seed_community_demo(now)
    return result

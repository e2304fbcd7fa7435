"""Fixture rows for the inbox bench: a seeded, realistic mix of conversations, messages and customers.

This is fixture data for a *read* benchmark, not an ingest test: rows are made here as plain
tuples and written with bulk SQL by bench/inbox_fixture.py, never through ingest. The mix:
six channels, seven languages, every status, kind and priority, most open work in a queue and
much of it assigned, an SLA deadline on open conversations, customers with identities on one or
more channels, triage labels on every inbound message, and the events ingest and routing write.
Bump GENERATOR_VERSION whenever the rows (or how the build leaves them) change, so cached fixtures are rebuilt.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

GENERATOR_VERSION = "2"  # 2: PostgreSQL fixtures are vacuumed after the load

# (name, kind, weight)
CHANNELS = [
    ("twitter", "import", 40),
    ("shop-webhook", "webhook", 15),
    ("support-email", "email", 15),
    ("site-chat", "livechat", 15),
    ("community", "community", 10),
    ("mastodon", "mastodon", 5),
]
LANGUAGES = {"en": 55, "es": 14, "de": 10, "fr": 6, "ar": 4, "zh": 5, "pt": 6}
KIND_WEIGHTS = {
    "question": 30,
    "problem": 30,
    "complaint": 18,
    "praise": 6,
    "suggestion": 5,
    "chatter": 7,
    "spam": 4,
}
PRIORITY_WEIGHTS = {"low": 20, "normal": 55, "high": 18, "urgent": 7}
SENTIMENT_WEIGHTS = {"negative": 40, "neutral": 45, "positive": 15}
# Lengths 1..12, mean about 4.8; bench/inbox_fixture adjusts them to the requested total.
LENGTH_WEIGHTS = [10, 12, 14, 14, 14, 12, 8, 6, 4, 3, 2, 1]
INBOUND_TEXTS = {
    "en": [
        "my order {n} still hasn't arrived, can you check?",
        "the app keeps crashing when I open settings",
        "why was I charged twice this month? card ending {n}",
        "can't log in since the update, my email is {email}",
        "please call me back on {phone}, nobody answers",
        "thanks, that fixed it!",
    ],
    "es": [
        "mi pedido {n} llegó roto",
        "¿Dónde está mi pedido? Llevo dos semanas esperando.",
        "mi teléfono es {phone}",
    ],
    "de": [
        "Meine Bestellung {n} ist nicht angekommen.",
        "Die App stürzt beim Start ab.",
        "Danke, das hat geholfen!",
    ],
    "fr": ["ma commande {n} est en retard", "l'application plante au démarrage"],
    "ar": ["طلبي {n} لم يصل بعد", "التطبيق لا يعمل"],
    "zh": ["订单{n}显示已发货，但物流一直没有更新。", "应用一打开就崩溃"],
    "pt": ["meu pedido {n} não chegou", "o aplicativo fecha sozinho"],
}
OUTBOUND_TEXTS = [
    "Sorry to hear that. Please send us a DM with your order number and we'll take a look.",
    "We can help. Which version are you on? You can find it in Settings > General > About.",
    "Thanks for reaching out. Could you try restarting the device first?",
    "Glad to hear it! Let us know if there's anything else.",
]
OPEN_STATUSES = ("new", "open", "pending")


@dataclass
class Plan:
    """What the generator needs from the database: ids of channels, queues and who works them."""

    messages: int
    conversations: int
    channel_ids: dict[str, int]
    queue_ids: dict[str, int]
    queue_agents: dict[str, list[int]]  # queue name -> user ids who may be assigned its conversations
    anchor: datetime
    seed: int = 5
    claim_pool: int = 0  # conversations kept new and unassigned in the "Bench claims" queue


@dataclass
class Chunk:
    customers: list = field(default_factory=list)
    identities: list = field(default_factory=list)
    conversations: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    events: list = field(default_factory=list)


def conversation_lengths(rng: random.Random, conversations: int, messages: int) -> list[int]:
    """Messages per conversation, drawn from LENGTH_WEIGHTS and nudged to sum to exactly `messages`."""
    if messages < conversations:
        raise ValueError(f"{messages} messages cannot fill {conversations} conversations")
    lengths = rng.choices(range(1, len(LENGTH_WEIGHTS) + 1), weights=LENGTH_WEIGHTS, k=conversations)
    scale = messages / sum(lengths)
    lengths = [max(1, round(length * scale)) for length in lengths]
    difference = messages - sum(lengths)
    while difference:
        i = rng.randrange(conversations)
        if difference > 0:
            lengths[i] += 1
            difference -= 1
        elif lengths[i] > 1:
            lengths[i] -= 1
            difference += 1
    return lengths


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Generator:
    """Yields Chunks of rows; ids are allocated here (the database is fresh), oldest conversation first."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.rng = random.Random(plan.seed)
        rng = self.rng
        self.lengths = conversation_lengths(rng, plan.conversations, plan.messages)
        # More conversations lately than a year ago: age = 365 days * u^2.
        self.ages = sorted((365 * 86400 * rng.random() ** 2 for _ in range(plan.conversations)), reverse=True)
        self.customer_count = max(1, int(plan.conversations * 0.6))
        self.identities: dict[tuple[int, int], int] = {}
        self.next_message_id = 1
        self.channel_names = [name for name, _, _ in CHANNELS]
        self.channel_weights = [weight for _, _, weight in CHANNELS]

    def chunks(self, size: int = 10_000):
        first = Chunk()
        self._customers_and_brands(first)
        chunk = first
        for index in range(self.plan.conversations):
            self._conversation(chunk, index)
            if len(chunk.conversations) >= size:
                yield chunk
                chunk = Chunk()
        if chunk.conversations or chunk is first:
            yield chunk

    def _customers_and_brands(self, chunk: Chunk) -> None:
        created = self._stamp(self.plan.anchor - timedelta(days=400))
        for customer_id in range(1, self.customer_count + 1):
            attributes = json.dumps({"tier": "gold"}) if customer_id % 17 == 0 else "{}"
            chunk.customers.append((customer_id, f"Customer {customer_id}", "", created, attributes))
        # Brand accounts first: identity ids 1..len(CHANNELS).
        for name in self.channel_names:
            channel_id = self.plan.channel_ids[name]
            identity_id = len(self.identities) + 1
            self.identities[(channel_id, 0)] = identity_id
            chunk.identities.append(
                (identity_id, channel_id, "brand", "@brand", "Brand", None, True, created)
            )

    def _identity(self, chunk: Chunk, channel_id: int, customer_id: int, when: str) -> int:
        key = (channel_id, customer_id)
        identity_id = self.identities.get(key)
        if identity_id is None:
            identity_id = len(self.identities) + 1
            self.identities[key] = identity_id
            handle = f"@cust{customer_id}"
            chunk.identities.append(
                (
                    identity_id,
                    channel_id,
                    f"u{customer_id}",
                    handle,
                    f"Customer {customer_id}",
                    customer_id,
                    False,
                    when,
                )
            )
        return identity_id

    def _labels(self) -> tuple[str, str, str, str, bool]:
        rng = self.rng
        language = _weighted(rng, LANGUAGES)
        kind = _weighted(rng, KIND_WEIGHTS)
        not_for_us = kind in ("chatter", "spam") and rng.random() < 0.85
        return language, kind, _weighted(rng, SENTIMENT_WEIGHTS), _weighted(rng, PRIORITY_WEIGHTS), not_for_us

    def _queue_for(self, channel: str, language: str, kind: str) -> str:
        if channel == "community":
            return "Community"
        if language == "es":
            return "Billing ES"
        if language == "de":
            return "Devices DE"
        if language == "en":
            return "Billing EN" if kind == "complaint" else "Devices EN"
        return "General"

    def _status(self, index: int, last_age_s: float) -> str:
        rng = self.rng
        if index >= self.plan.conversations - self.plan.claim_pool:
            return "new"
        if last_age_s < 3 * 86400:
            return rng.choices(("new", "open", "pending", "resolved"), weights=(25, 40, 15, 20))[0]
        if last_age_s < 30 * 86400:
            return rng.choices(("open", "pending", "resolved", "closed"), weights=(5, 5, 60, 30))[0]
        return rng.choices(("open", "resolved", "closed"), weights=(1, 30, 69))[0]

    def _conversation(self, chunk: Chunk, index: int) -> None:
        rng, plan = self.rng, self.plan
        conversation_id = index + 1
        channel = rng.choices(self.channel_names, weights=self.channel_weights)[0]
        channel_id = plan.channel_ids[channel]
        customer_id = rng.randint(1, self.customer_count)
        language, kind, sentiment, priority, not_for_us = self._labels()
        started = plan.anchor - timedelta(seconds=self.ages[index])
        # Gaps of a minute to six hours, squeezed so that the newest threads end before now.
        longest_gap = max(1.0, 0.9 * self.ages[index] / max(1, self.lengths[index] - 1))
        times = [started]
        for _ in range(self.lengths[index] - 1):
            times.append(times[-1] + timedelta(seconds=min(longest_gap, rng.randint(60, 6 * 3600))))
        last = times[-1]
        claimable = index >= plan.conversations - plan.claim_pool
        status = self._status(index, (plan.anchor - last).total_seconds())
        queue = "Bench claims" if claimable else self._queue_for(channel, language, kind)
        customer_identity = self._identity(chunk, channel_id, customer_id, self._stamp(started))
        brand_identity = self.identities[(channel_id, 0)]
        first_id = self.next_message_id
        first_response = last_inbound = None
        for position, moment in enumerate(times):
            inbound = position % 2 == 0 or rng.random() < 0.15
            message_id = self.next_message_id
            self.next_message_id += 1
            stamp = self._stamp(moment)
            if inbound:
                text = rng.choice(INBOUND_TEXTS[language]).format(
                    n=rng.randint(10_000, 99_999),
                    email=f"cust{customer_id}@example.com",
                    phone=f"+1 415 555 {rng.randint(1000, 9999)}",
                )
                last_inbound = moment
            else:
                text = rng.choice(OUTBOUND_TEXTS)
                first_response = first_response or moment
                last_inbound = None
            external = f"c{conversation_id}-{position}"
            parent = (f"c{conversation_id}-{position - 1}", message_id - 1) if position else (None, None)
            chunk.messages.append(
                (
                    message_id, channel_id, conversation_id, external, parent[0], parent[1],
                    "in" if inbound else "out", customer_identity if inbound else brand_identity,
                    text, stamp, self._stamp(moment + timedelta(seconds=1)), "{}",
                )
            )  # fmt: skip
            if inbound:
                chunk.labels.append(self._label_row(message_id, conversation_id, stamp, language, kind,
                                                    sentiment, priority, not_for_us))  # fmt: skip
        assignee, assigned_at, level = self._assignment(queue, status, started, claimable)
        is_open = status in OPEN_STATUSES
        sla_due = None
        if status in ("new", "open") and not claimable:
            sla_due = self._stamp(plan.anchor + timedelta(seconds=rng.randint(-2 * 3600, 24 * 3600)))
        resolved = self._stamp(last + timedelta(minutes=5)) if not is_open else None
        subject = f"Order problem ({language})" if channel == "support-email" else ""
        chunk.conversations.append(
            (
                conversation_id, channel_id, customer_id, status, subject, first_id,
                self._stamp(started), self._stamp(last), len(times), self._stamp(started), self._stamp(last),
                language, kind, sentiment, priority, not not_for_us, not_for_us, False,
                plan.queue_ids[queue], assignee, assigned_at, level, sla_due,
                self._stamp(last_inbound) if last_inbound and is_open else None,
                self._stamp(first_response) if first_response else None, resolved,
            )
        )  # fmt: skip
        chunk.events.append(("conversation.created", self._stamp(started), None, channel_id, conversation_id,
                             first_id, "{}"))  # fmt: skip
        if assignee is not None:
            data = json.dumps({"assignee_id": assignee, "queue_id": plan.queue_ids[queue], "via": "routing"})
            chunk.events.append(
                ("conversation.assigned", assigned_at, None, channel_id, conversation_id, None, data)
            )

    def _assignment(self, queue: str, status: str, started: datetime, claimable: bool):
        rng = self.rng
        share = {"new": 0.2, "open": 0.85, "pending": 0.85}.get(status, 0.9)
        agents = self.plan.queue_agents[queue]
        if claimable or not agents or rng.random() >= share:
            return None, None, ""
        level = "ambassador" if queue == "Community" else "agent"
        return rng.choice(agents), self._stamp(started + timedelta(minutes=rng.randint(1, 90))), level

    def _label_row(self, message_id, conversation_id, stamp, language, kind, sentiment, priority, not_for_us):
        rng = self.rng
        return (
            message_id, conversation_id, language, 0.95, kind, round(rng.uniform(0.5, 0.99), 3),
            not not_for_us, 0.9, sentiment, 0.8, 0.02, 0.01, "[]", priority, "[]", "[]", "",
            None, None, None, "fast", "", 1, "bench", stamp, None, not_for_us, None, None,
        )  # fmt: skip

    @staticmethod
    def _stamp(moment: datetime) -> str:
        # Django's SQLite format (UTC, naive); PostgreSQL reads it in the connection's UTC zone.
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", timespec="microseconds")

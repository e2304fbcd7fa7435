"""Event-log rows for the insights bench: a seeded year of care, drawn with numpy.

The projection reads only the event log, so the fixture is events (plus a few dozen staff,
channel and queue rows made by bench/insights_fixture.py). The mix, per conversation:
`conversation.created`, ~5 messages (inbound `message.received` with the time it was written,
outbound `message.sent`, or both as `message.received` on the import channel), triage's batched
`triage.labelled` sentiments and `conversation.labelled` roll-ups, queueing and assignment, SLA
clock starts and breaches, status changes with resolutions and reopens, CSAT answers,
escalations, peer resolutions on the community channel and a few merges; plus staff presence
changes (weekday shifts) and community topic views. First responses range from a minute to days
(log-normal); the year ends at the anchor, so it crosses both European DST changes.
Bump GENERATOR_VERSION whenever the rows change, so cached fixtures are rebuilt.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

GENERATOR_VERSION = "1"
YEAR = 365 * 86400
KINDS = (
    "conversation.created",
    "message.received",
    "message.sent",
    "triage.labelled",
    "conversation.labelled",
    "conversation.queued",
    "conversation.assigned",
    "sla.clock_started",
    "sla.breached",
    "conversation.status_changed",
    "csat.answered",
    "conversation.escalated",
    "community.peer_resolution",
    "conversation.merged",
    "agent.presence_changed",
    "community.topic_viewed",
)
K = {kind: code for code, kind in enumerate(KINDS)}
LANGUAGES = ("en", "es", "de", "fr", "pt")
LANGUAGE_P = (0.6, 0.15, 0.12, 0.06, 0.07)
CONVERSATION_KINDS = ("question", "problem", "complaint", "praise", "suggestion", "chatter", "spam")
CONVERSATION_KIND_P = (0.3, 0.3, 0.18, 0.06, 0.05, 0.07, 0.04)
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_P = (0.2, 0.55, 0.18, 0.07)
SENTIMENTS = ("negative", "neutral", "positive")
SENTIMENT_P = (0.4, 0.45, 0.15)
STATUSES = ("new", "open", "pending", "resolved", "closed")
# Inbound messages per `triage.labelled` event, conversations per `conversation.labelled` event.
LABEL_BATCH = 40
# Customers write more in the day (UTC hour weights) and less at weekends.
HOUR_WEIGHTS = np.array([1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 9, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1], float)


@dataclass
class Staff:
    channels: dict[str, tuple[int, str, float]]  # name -> (id, kind, share of conversations)
    queues: list[int]
    agents: list[int]
    ambassadors: list[int]
    supervisors: list[int]


@dataclass
class Events:
    """Columns of events sorted by time; `data(i)` is event i's JSON."""

    at: np.ndarray  # float epoch seconds
    kind: np.ndarray
    actor: np.ndarray  # -1: none
    channel: np.ndarray
    conversation: np.ndarray
    message: np.ndarray
    a: np.ndarray  # per-kind parameters (see `data`)
    b: np.ndarray
    blobs: list[str]  # prebuilt JSON of batched events; `a` indexes it

    def __len__(self) -> int:
        return len(self.at)

    def data(self, i: int) -> str:
        kind, a, b = KINDS[self.kind[i]], int(self.a[i]), float(self.b[i])
        if kind in ("triage.labelled", "conversation.labelled"):
            return self.blobs[a]
        if kind == "message.received":
            direction = "out" if a else "in"
            return json.dumps({"direction": direction, "written_at": _iso(self.at[i] - b)})
        if kind == "conversation.queued":
            return json.dumps({"queue_id": a})
        if kind == "conversation.assigned":
            return json.dumps({"assignee_id": a, "queue_id": int(b), "via": "routing"})
        if kind in ("sla.clock_started", "sla.breached"):
            metric = ("first_response", "resolution")[a]
            return json.dumps({"metric": metric, "due_at": _iso(b)})
        if kind == "conversation.status_changed":
            return json.dumps({"from": STATUSES[a], "to": STATUSES[int(b)]})
        if kind == "csat.answered":
            return json.dumps({"score": a})
        if kind == "conversation.escalated":
            return json.dumps({"to_level": "supervisor", "reason": "near_breach"})
        if kind == "community.peer_resolution":
            return json.dumps(
                {"topic": a, "answerer": int(self.actor[i]), "conversation": int(self.conversation[i])}
            )
        if kind == "conversation.merged":
            return json.dumps({"from": a, "into": int(b)})
        if kind == "agent.presence_changed":
            before, after = ("offline", "online") if a else ("online", "offline")
            return json.dumps({"user_id": int(self.actor[i]), "from": before, "to": after})
        if kind == "community.topic_viewed":
            return json.dumps({"topic": a, "viewer": f"a:{int(b):016x}", "member_id": None, "solved": True})
        return "{}"


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(float(epoch), UTC).isoformat()


class Builder:
    """Collects event columns part by part, then sorts them by time."""

    def __init__(self):
        self.parts: list[tuple] = []
        self.blobs: list[str] = []

    def add(self, kind, at, conversation=-1, message=-1, channel=-1, actor=-1, a=0, b=0.0) -> None:
        n = len(at)

        def column(value, dtype):
            return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()

        self.parts.append(
            (
                column(at, float),
                column(K[kind], np.int16),
                column(actor, np.int64),
                column(channel, np.int64),
                column(conversation, np.int64),
                column(message, np.int64),
                column(a, np.int64),
                column(b, float),
            )
        )

    def batched(self, kind: str, at: np.ndarray, payloads: list[str]) -> None:
        first = len(self.blobs)
        self.blobs.extend(payloads)
        self.add(kind, at, a=np.arange(first, first + len(payloads)))

    def build(self, until: float) -> Events:
        """Everything up to `until` (later events have not happened yet), oldest first."""
        columns = [np.concatenate(values) for values in zip(*self.parts, strict=True)]
        order = np.argsort(columns[0], kind="stable")
        order = order[columns[0][order] <= until]
        return Events(*(column[order] for column in columns), blobs=self.blobs)


def group_cumsum(values: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Running totals of `values` restarting at each group (groups of `length` consecutive items)."""
    totals = np.cumsum(values)
    before = np.concatenate([[0], totals])[np.cumsum(length) - length]
    return totals - np.repeat(before, length)


def lengths_of(rng: np.random.Generator, conversations: int, messages: int) -> np.ndarray:
    """Messages per conversation: at least one, mean messages / conversations (geometric-ish)."""
    extra = messages - conversations
    if extra < 0:
        raise ValueError(f"{messages} messages cannot fill {conversations} conversations")
    lengths = np.ones(conversations, np.int64)
    if extra:
        np.add.at(lengths, rng.integers(0, conversations, extra), 1)
    return lengths


def generate(conversations: int, messages: int, staff: Staff, anchor: float, seed: int = 7) -> Events:
    rng = np.random.default_rng(seed)
    out = Builder()
    n = conversations
    cid = np.arange(1, n + 1, dtype=np.int64)
    names = list(staff.channels)
    shares = np.array([staff.channels[name][2] for name in names])
    channel_index = rng.choice(len(names), n, p=shares / shares.sum())
    channel = np.array([staff.channels[name][0] for name in names])[channel_index]
    kinds = np.array([staff.channels[name][1] for name in names])[channel_index]
    imported = kinds == "import"
    community = kinds == "community"

    # Start: a day of the year (weekends at half weight), an hour of the day by HOUR_WEIGHTS.
    days = rng.integers(1, 365, n)
    weekday = ((anchor - days * 86400) // 86400 + 3) % 7  # 1970-01-01 was a Thursday (3)
    keep = (weekday < 5) | (rng.random(n) < 0.5)
    days = np.where(keep, days, rng.integers(1, 365, n))
    hours = rng.choice(24, n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    start = np.floor((anchor - days * 86400) / 86400) * 86400 + hours * 3600 + rng.random(n) * 3600
    out.add("conversation.created", start - 1, cid, channel=channel)

    # Messages: the first is the customer's; then mostly alternating, with some double turns.
    length = lengths_of(rng, n, messages)
    owner = np.repeat(np.arange(n), length)
    position = np.arange(messages) - np.repeat(np.cumsum(length) - length, length)
    outbound = (position % 2 == 1) ^ ((rng.random(messages) < 0.15) & (position > 0))
    # Gaps: the brand's first answer takes minutes to days (log-normal, median 40 min); others ~1 h.
    first_reply = np.clip(rng.lognormal(np.log(2400), 1.6, n), 30, 6 * 86400)
    gaps = np.clip(rng.lognormal(np.log(3600), 1.3, messages), 10, 3 * 86400)
    first_out = outbound & (group_cumsum(outbound.astype(np.int64), length) == 1)
    gaps = np.where(first_out, first_reply[owner], gaps)
    gaps[position == 0] = 0
    offsets = group_cumsum(gaps, length)
    written = start[owner] + offsets
    mid = np.arange(1, messages + 1, dtype=np.int64)
    m_channel, m_imported = channel[owner], imported[owner]
    assignee = _assignees(rng, staff, n, community)
    # Live channels: inbound arrives as it is written; outbound is sent by the assignee.
    live_in = ~m_imported & ~outbound
    out.add("message.received", written[live_in], cid[owner][live_in], mid[live_in], m_channel[live_in])
    live_out = ~m_imported & outbound
    out.add(
        "message.sent", written[live_out], cid[owner][live_out], mid[live_out], m_channel[live_out],
        actor=assignee[owner][live_out],
    )  # fmt: skip
    # Imported threads arrive shortly after they were written, carrying the author's time.
    delay = rng.uniform(30, 600, int(m_imported.sum()))
    out.add(
        "message.received", written[m_imported] + delay, cid[owner][m_imported], mid[m_imported],
        m_channel[m_imported], a=outbound[m_imported].astype(np.int64), b=delay,
    )  # fmt: skip

    _labels(rng, out, written, owner, outbound, mid, cid, start)
    last = start + np.bincount(owner, gaps, n)
    first_response = np.where(np.bincount(owner, outbound, n) > 0, start + first_reply, np.nan)
    _workflow(rng, out, staff, cid, channel, imported, community, start, last, first_response, assignee)
    _staff_and_views(rng, out, staff, anchor)
    return out.build(anchor)


def _assignees(rng, staff: Staff, n: int, community: np.ndarray) -> np.ndarray:
    agents = rng.choice(np.array(staff.agents), n)
    ambassadors = rng.choice(np.array(staff.ambassadors), n)
    return np.where(community & (rng.random(n) < 0.7), ambassadors, agents)


def _labels(rng, out: Builder, written, owner, outbound, mid, cid, start) -> None:
    """Triage labels each inbound message a few seconds after it arrives, in batches."""
    inbound = np.flatnonzero(~outbound)
    inbound = inbound[np.argsort(written[inbound], kind="stable")]
    sentiment = rng.choice(3, len(inbound), p=SENTIMENT_P)
    score = np.round(rng.uniform(0.5, 1.0, len(inbound)), 3)
    payloads, times = [], []
    for first in range(0, len(inbound), LABEL_BATCH):
        part = slice(first, first + LABEL_BATCH)
        rows = [
            [int(m), SENTIMENTS[s], float(c)]
            for m, s, c in zip(mid[inbound[part]], sentiment[part], score[part], strict=True)
        ]
        payloads.append(json.dumps({"path": "fast", "labelled": len(rows), "sentiments": rows}))
        times.append(written[inbound[part]].max() + 5)
    out.batched("triage.labelled", np.array(times), payloads)
    # The conversation roll-up once its first message is labelled.
    n = len(cid)
    order = np.argsort(start, kind="stable")
    language = rng.choice(len(LANGUAGES), n, p=LANGUAGE_P)
    kind = rng.choice(len(CONVERSATION_KINDS), n, p=CONVERSATION_KIND_P)
    priority = rng.choice(len(PRIORITIES), n, p=PRIORITY_P)
    mood = rng.choice(3, n, p=SENTIMENT_P)
    payloads, times = [], []
    for first in range(0, n, LABEL_BATCH):
        rows = {
            int(cid[i]): [
                LANGUAGES[language[i]], CONVERSATION_KINDS[kind[i]], SENTIMENTS[mood[i]],
                PRIORITIES[priority[i]], bool(kind[i] not in (5, 6)), bool(kind[i] == 6),
            ]
            for i in order[first : first + LABEL_BATCH]
        }  # fmt: skip
        payloads.append(json.dumps({"conversations": rows}))
        times.append(start[order[first : first + LABEL_BATCH]].max() + 6)
    out.batched("conversation.labelled", np.array(times), payloads)


def _workflow(
    rng, out: Builder, staff, cid, channel, imported, community, start, last, first_response, assignee
):
    n = len(cid)
    live = ~imported
    queue = rng.choice(np.array(staff.queues), n)
    out.add("conversation.queued", start[live] + 10, cid[live], channel=channel[live], a=queue[live])
    assigned = live & (rng.random(n) < 0.9)
    out.add(
        "conversation.assigned", start[assigned] + 60, cid[assigned], channel=channel[assigned],
        a=assignee[assigned], b=queue[assigned],
    )  # fmt: skip
    # SLA: a first-response clock (1 h) and a resolution clock (24 h) for conversations inviting a reply.
    clocked = live & (rng.random(n) < 0.85)
    for metric, allowed in ((0, 3600.0), (1, 86400.0)):
        due = start + allowed
        out.add(
            "sla.clock_started",
            start[clocked] + 8,
            cid[clocked],
            channel=channel[clocked],
            a=metric,
            b=due[clocked],
        )
    late_response = clocked & ~(first_response <= start + 3600)  # NaN: never answered
    out.add(
        "sla.breached", start[late_response] + 3600, cid[late_response], a=0, b=start[late_response] + 3600
    )
    # Status: opened at the first answer, resolved some time after the last message; some reopen.
    answered = live & np.isfinite(first_response)
    out.add(
        "conversation.status_changed",
        first_response[answered] + 1,
        cid[answered],
        channel=channel[answered],
        a=0,
        b=1,
    )
    resolved = answered & (rng.random(n) < 0.85)
    resolved_at = last + np.clip(rng.lognormal(np.log(4 * 3600), 1.2, n), 300, 5 * 86400)
    out.add(
        "conversation.status_changed", resolved_at[resolved], cid[resolved], channel=channel[resolved],
        actor=assignee[resolved], a=1, b=3,
    )  # fmt: skip
    late_resolution = clocked & resolved & (resolved_at > start + 86400)
    out.add(
        "sla.breached",
        start[late_resolution] + 86400,
        cid[late_resolution],
        a=1,
        b=start[late_resolution] + 86400,
    )
    reopened = resolved & (rng.random(n) < 0.08)
    again = resolved_at + rng.uniform(3600, 3 * 86400, n)
    out.add(
        "conversation.status_changed", again[reopened], cid[reopened], channel=channel[reopened], a=3, b=1
    )
    out.add(
        "conversation.status_changed",
        again[reopened] + 7200,
        cid[reopened],
        channel=channel[reopened],
        a=1,
        b=3,
    )
    closed = resolved & ~reopened & (rng.random(n) < 0.3)
    out.add("conversation.status_changed", resolved_at[closed] + 7 * 86400, cid[closed], a=3, b=4)
    csat = resolved & (rng.random(n) < 0.3)
    scores = rng.choice(np.arange(1, 6), n, p=[0.1, 0.08, 0.15, 0.3, 0.37])
    out.add(
        "csat.answered",
        resolved_at[csat] + rng.uniform(600, 86400, int(csat.sum())),
        cid[csat],
        a=scores[csat],
    )
    escalated = assigned & (rng.random(n) < 0.03)
    out.add("conversation.escalated", start[escalated] + 3000, cid[escalated], channel=channel[escalated])
    peer = community & resolved & (rng.random(n) < 0.3)
    out.add(
        "community.peer_resolution", resolved_at[peer] - 1, cid[peer], actor=assignee[peer],
        a=rng.integers(1, 5000, int(peer.sum())),
    )  # fmt: skip
    # A few duplicates merged into the conversation started just before them on the same channel.
    merged = np.flatnonzero(live & (rng.random(n) < 0.002))
    merged = merged[merged > 0]
    into = cid[merged - 1]
    out.add("conversation.merged", start[merged] + 7200, into, a=cid[merged], b=into)


def _staff_and_views(rng, out: Builder, staff: Staff, anchor: float) -> None:
    """Weekday shifts for every agent and ambassador; anonymous views of solved community topics."""
    people = np.array(staff.agents + staff.ambassadors + staff.supervisors)
    day0 = np.floor(anchor / 86400) * 86400 - YEAR
    days = np.arange(365)
    weekdays = days[((day0 / 86400 + days + 3) % 7) < 5]
    user = np.repeat(people, len(weekdays))
    day = np.tile(weekdays, len(people))
    on = day0 + day * 86400 + 8 * 3600 + rng.normal(0, 900, len(day))
    off = on + 8.5 * 3600 + rng.normal(0, 1800, len(day))
    out.add("agent.presence_changed", on, actor=user, a=1)
    out.add("agent.presence_changed", off, actor=user, a=0)
    views = 50_000
    at = anchor - rng.uniform(0, YEAR, views)
    out.add("community.topic_viewed", at, a=rng.integers(1, 5000, views), b=rng.integers(1, 2**40, views))

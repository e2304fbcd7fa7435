"""Conversations told as the events the services log, for the care section's tests.

Each conversation is written straight to the event log (events.log.record) with the kinds and data
the services record: the fold builds the facts from them exactly as it does in production.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from townsquare.events.log import record
from townsquare.insights.filters import Filters
from townsquare.insights.projection import refresh
from townsquare.insights.report import build_report

MONDAY = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 16 November 2026, 08:00 London
_ids = count(1000)


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


@dataclass
class Told:
    """What a test said about one conversation (to compute figures by hand)."""

    conversation_id: int
    first_response: float | None = None
    resolution: float | None = None
    extra: dict = field(default_factory=dict)


def converse(
    channel,
    at: datetime = MONDAY,
    *,
    reply_after: float | None = None,
    resolve_after: float | None = None,
    reopen_after: float | None = None,
    language: str = "",
    kind: str = "",
    queue_id: int | None = None,
    assignee=None,
    sla: dict | None = None,
    csat: int | None = None,
    peer: bool = False,
) -> Told:
    """One conversation: a customer message at `at`, optionally a reply, a resolution (and a reopen
    after it, which leaves the conversation open), labels, a queue, an assignee, SLA clocks
    ({"first_response": "met" | "breached" | "running"}), a CSAT answer and a peer resolution."""
    cid = next(_ids)
    common = {"channel_id": channel.pk, "conversation_id": cid}
    record("conversation.created", occurred_at=at, **common)
    record(
        "message.received",
        message_id=next(_ids),
        occurred_at=at,
        data={"direction": "in", "written_at": at.isoformat()},
        **common,
    )
    if language or kind:
        labels = {str(cid): [language, kind, "", "", True, False]}
        record("conversation.labelled", occurred_at=at, data={"conversations": labels})
    if queue_id is not None:
        record("conversation.queued", occurred_at=at, data={"queue_id": queue_id}, **common)
    if assignee is not None:
        record("conversation.assigned", occurred_at=at, data={"assignee_id": assignee.pk}, **common)
    for metric in sla or {}:
        record(
            "sla.clock_started", occurred_at=at, data={"metric": metric, "due_at": at.isoformat()}, **common
        )
    for metric, outcome in (sla or {}).items():
        if outcome == "breached":
            record("sla.breached", occurred_at=at + seconds(1), data={"metric": metric}, **common)
    if reply_after is not None:
        record("message.sent", message_id=next(_ids), occurred_at=at + seconds(reply_after), **common)
    if resolve_after is not None:
        status = {"from": "open", "to": "resolved"}
        record("conversation.status_changed", occurred_at=at + seconds(resolve_after), data=status, **common)
        if reopen_after is not None:
            status = {"from": "resolved", "to": "open"}
            record(
                "conversation.status_changed", occurred_at=at + seconds(reopen_after), data=status, **common
            )
    if peer:
        record("community.peer_resolution", occurred_at=at, **common)
    if csat is not None:
        record("csat.answered", conversation_id=cid, occurred_at=at, data={"score": csat})
    return Told(cid, reply_after, resolve_after if reopen_after is None else None)


def care(**filters) -> dict:
    """The care section as the API and pages get it (plain data)."""
    refresh()
    report = build_report(Filters(**filters), sections=["care"]).as_json()
    return report["care"]


def row(section: dict, dimension: str, key: str) -> dict:
    table = next(t for t in section["tables"] if t["dimension"] == dimension)
    return next(r for r in table["rows"] if r["key"] == key)

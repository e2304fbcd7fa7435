"""Fast-path labels for stored messages: run the pipeline, upsert MessageLabels, roll up, log."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from townsquare.care.tasks import route_after_commit
from townsquare.events.log import record
from townsquare.inbox.models import ChannelKind, Direction, Message
from townsquare.labels.corrections import corrected_fields, keep_corrections
from townsquare.labels.isolation import run_isolated
from townsquare.labels.models import MessageLabels, TriageStatus
from townsquare.labels.rollup import roll_up
from townsquare.labels.upsert import upsert
from townsquare.people.models import Identity
from townsquare.sla.clocks import start_clocks

# Columns the fast path owns; intents, fingerprint, duplicate key and groups belong to the semantic path.
FAST_COLUMNS = [
    "conversation_id",
    "language",
    "language_score",
    "kind",
    "kind_score",
    "invites_reply",
    "invites_reply_score",
    "sentiment",
    "sentiment_score",
    "spam_score",
    "promo_score",
    "urgency",
    "priority",
    "pii",
    "not_for_us",
    "status",
    "error",
    "triage_version",
    "fast_at",
]
FAILURE_COLUMNS = ["conversation_id", "status", "error", "attempts"]


@dataclass
class BatchOutcome:
    labelled: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # message id -> error

    def as_dict(self) -> dict:
        return {"labelled": len(self.labelled), "failed": len(self.failed)}


def label_fast(message_ids: list[int]) -> BatchOutcome:
    """Label the inbound messages among `message_ids` (others are ignored); see BatchOutcome."""
    from townsquare.triage.pipeline import TRIAGE_VERSION, triage_fast

    messages = list(
        Message.objects.filter(pk__in=message_ids, direction=Direction.INBOUND)
        .order_by("id")
        .values_list("id", "channel_id", "conversation_id", "text")
    )
    outcome = BatchOutcome()
    if not messages:
        return outcome
    brand_handles = brand_handles_of({channel_id for _, channel_id, _, _ in messages})
    to_brand = addressed_to_brand([message_id for message_id, _, _, _ in messages])
    by_channel = defaultdict(list)
    for message in messages:
        by_channel[message[1]].append(message)
    results = {}
    for channel_id, group in by_channel.items():
        handles = brand_handles.get(channel_id, ())
        # (text, addressed) pairs: if the batch fails, each pair is retried alone with its context.
        isolated = run_isolated(
            lambda pairs, handles=handles: triage_fast([t for t, _ in pairs], handles, [a for _, a in pairs]),
            [(m[3], to_brand[m[0]]) for m in group],
        )
        for position, labels in isolated.results.items():
            results[group[position][0]] = labels
        for position, error in isolated.errors.items():
            outcome.failed[group[position][0]] = error
    outcome.labelled = sorted(results)
    _store(messages, results, outcome.failed, TRIAGE_VERSION)
    return outcome


# Channels whose every inbound message is sent to the brand itself, not posted where others talk.
DIRECT_CHANNEL_KINDS = (ChannelKind.EMAIL, ChannelKind.LIVECHAT)


def addressed_to_brand(message_ids: list[int]) -> dict[int, bool]:
    """Per message: was it sent to the brand itself — on a direct channel (email, live chat), or
    as a reply to one of the brand's own messages?"""
    rows = Message.objects.filter(pk__in=message_ids).values_list("id", "channel__kind", "parent__direction")
    return {
        message_id: kind in DIRECT_CHANNEL_KINDS or parent_direction == Direction.OUTBOUND
        for message_id, kind, parent_direction in rows
    }


def brand_handles_of(channel_ids: set[int]) -> dict[int, list[str]]:
    handles = defaultdict(list)
    rows = Identity.objects.filter(channel_id__in=channel_ids, is_brand=True).exclude(handle="")
    for channel_id, handle in rows.values_list("channel_id", "handle"):
        handles[channel_id].append(handle)
    return handles


def _store(messages, results, failed, version: str) -> None:
    now = timezone.now()
    conversation_of = {message_id: conversation_id for message_id, _, conversation_id, _ in messages}
    existing = MessageLabels.objects.in_bulk(list(conversation_of))
    # Only a message labelled before can have been corrected: new messages skip the query.
    corrected = corrected_fields(existing) if existing else {}
    labelled_rows = []
    for message_id, labels in results.items():
        row = MessageLabels(
            message_id=message_id,
            conversation_id=conversation_of[message_id],
            language=labels.language,
            language_score=labels.language_score,
            kind=labels.kind,
            kind_score=labels.kind_score,
            invites_reply=labels.invites_reply,
            invites_reply_score=labels.invites_reply_score,
            sentiment=labels.sentiment,
            sentiment_score=labels.sentiment_score,
            spam_score=labels.spam_score,
            promo_score=labels.promo_score,
            urgency=list(labels.urgency),
            priority=labels.priority,
            pii=[{"kind": span.kind, "start": span.start, "end": span.end} for span in labels.pii],
            status=TriageStatus.FAST,
            error="",
            triage_version=version,
            fast_at=now,
        )
        keep_corrections(row, existing.get(message_id), corrected.get(message_id, set()))
        labelled_rows.append(row)
    failed_rows = [
        MessageLabels(
            message_id=message_id,
            conversation_id=conversation_of[message_id],
            status=TriageStatus.FAILED,
            error=error,
            attempts=(existing[message_id].attempts if message_id in existing else 0) + 1,
        )
        for message_id, error in failed.items()
    ]
    kinds = defaultdict(int)
    for row in labelled_rows:
        kinds[row.kind] += 1
    with transaction.atomic():
        upsert(labelled_rows, FAST_COLUMNS)
        upsert(failed_rows, FAILURE_COLUMNS)
        roll_up(conversation_of.values())
        # The roll-up says whether a reply is invited: start or cycle the SLA clocks, one batch.
        start_clocks(conversation_of.values())
        record(
            "triage.labelled",
            data={
                "path": "fast",
                "labelled": len(labelled_rows),
                "failed": len(failed_rows),
                "not_for_us": sum(row.not_for_us for row in labelled_rows),
                "kinds": dict(sorted(kinds.items())),
                "triage_version": version,
                # Word of mouth (insights) follows each customer message's sentiment.
                "sentiments": [
                    [row.message_id, row.sentiment, round(row.sentiment_score, 3)] for row in labelled_rows
                ],
            },
        )
        # Labels decide the queue: route these conversations once this commits (care.routing).
        route_after_commit(conversation_of.values())

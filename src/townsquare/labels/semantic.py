"""Semantic-path labels: embeddings give intents, a refined sentiment and duplicate groups."""

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.models import Message
from townsquare.labels.corrections import corrected_fields, keep_corrections
from townsquare.labels.duplicates import duplicate_index
from townsquare.labels.fast import BatchOutcome, addressed_to_brand, brand_handles_of
from townsquare.labels.isolation import Isolated, run_isolated
from townsquare.labels.models import MessageLabels, TriageStatus
from townsquare.labels.rollup import roll_up
from townsquare.labels.upsert import upsert

# Labels the semantic heads re-decide when their artifacts ship (None in a result: keep the fast one).
REFINED_COLUMNS = ["spam_score", "kind", "kind_score", "invites_reply", "invites_reply_score"]
SEMANTIC_COLUMNS = [
    "sentiment",
    "sentiment_score",
    "intents",
    "fingerprint",
    "duplicate_key",
    "duplicate_group",
    "duplicate_match",
    *REFINED_COLUMNS,
    "status",
    "error",
    "semantic_at",
]
FAILURE_COLUMNS = ["status", "error", "attempts"]


def label_semantic(message_ids: list[int], *, only_failed: bool = False) -> BatchOutcome:
    """Add the semantic labels to messages that have fast labels (the others wait for them)."""
    from townsquare.triage.pipeline import triage_semantic

    rows = MessageLabels.objects.filter(message_id__in=message_ids).exclude(kind="")
    if only_failed:
        rows = rows.filter(status=TriageStatus.FAILED)
    existing = rows.in_bulk()
    outcome = BatchOutcome()
    if not existing:
        return outcome
    ids = sorted(existing)
    texts, channel_of = {}, {}
    for message_id, channel_id, text in Message.objects.filter(pk__in=ids).values_list(
        "id", "channel_id", "text"
    ):
        texts[message_id], channel_of[message_id] = text, channel_id
    isolated = _triage_by_channel(triage_semantic, ids, texts, channel_of)
    done = {ids[position]: result for position, result in sorted(isolated.results.items())}
    outcome.labelled = sorted(done)
    outcome.failed = {ids[position]: error for position, error in isolated.errors.items()}
    # Grouping is CPU work (a similarity search over the index): done before the transaction, as
    # on SQLite an open write transaction would stall ingest and fast triage for all of it.
    keys = [str(message_id) for message_id in done]
    groups = duplicate_index().add_many_detailed(keys, [result.fingerprint for result in done.values()])
    with transaction.atomic():
        _store(existing, done, groups, outcome.failed)
    return outcome


def _triage_by_channel(triage_semantic, ids: list[int], texts: dict, channel_of: dict) -> Isolated:
    """triage_semantic per channel, with that channel's brand handles and whether each message was
    sent to the brand: the semantic path re-decides invites_reply with the same context as the fast
    path. Positions in the result are positions in `ids`."""
    handles_of = brand_handles_of(set(channel_of.values()))
    to_brand = addressed_to_brand(ids)
    merged = Isolated()
    by_channel: dict[int, list[int]] = {}
    for position, message_id in enumerate(ids):
        by_channel.setdefault(channel_of[message_id], []).append(position)
    for channel_id, positions in by_channel.items():
        handles = handles_of.get(channel_id, ())
        isolated = run_isolated(
            lambda pairs, handles=handles: triage_semantic(
                [t for t, _ in pairs], handles, [a for _, a in pairs]
            ),
            [(texts[ids[position]], to_brand[ids[position]]) for position in positions],
        )
        merged.results.update({positions[i]: result for i, result in isolated.results.items()})
        merged.errors.update({positions[i]: error for i, error in isolated.errors.items()})
    return merged


def _store(existing: dict[int, MessageLabels], done: dict, groups: list, failed: dict[int, str]) -> None:
    now = timezone.now()
    corrected = corrected_fields(done)
    labelled_rows = []
    for (message_id, result), (group, match) in zip(done.items(), groups, strict=True):
        old = existing[message_id]
        row = MessageLabels(
            **{f.attname: getattr(old, f.attname) for f in MessageLabels._meta.concrete_fields}
        )
        row.sentiment, row.sentiment_score = result.sentiment, result.sentiment_score
        for column in REFINED_COLUMNS:
            if (refined := getattr(result, column, None)) is not None:
                setattr(row, column, refined)
        row.intents = [[name, score] for name, score in result.intents]
        row.fingerprint = result.fingerprint.to_bytes()
        row.duplicate_key = result.fingerprint.exact_key
        row.duplicate_group, row.duplicate_match = group, match
        row.status, row.error, row.semantic_at = TriageStatus.SEMANTIC, "", now
        keep_corrections(row, old, corrected.get(message_id, set()))
        labelled_rows.append(row)
    failed_rows = []
    for message_id, error in failed.items():
        row = existing[message_id]
        row.status, row.error, row.attempts = TriageStatus.FAILED, error, row.attempts + 1
        failed_rows.append(row)
    upsert(labelled_rows, SEMANTIC_COLUMNS + ["not_for_us"])
    upsert(failed_rows, FAILURE_COLUMNS)
    roll_up({row.conversation_id for row in existing.values()})
    record(
        "triage.labelled",
        data={
            "path": "semantic",
            "labelled": len(labelled_rows),
            "failed": len(failed_rows),
            "duplicates": sum(row.duplicate_match is not None for row in labelled_rows),
        },
    )

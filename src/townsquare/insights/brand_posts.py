"""Scoring brand posts for promotion outside the fold, and bringing word of mouth up to date.

A fold stays fast (a thousand events in well under a second) only if it does no text work, so
brand posts are folded with no promotion score and scored here in batches: by the periodic
insights job, after a rebuild, and a bounded number before a fresh report. Each batch scores its
posts the way the reply guard judges replies (promo_folds.promo_scores), stores the scores and
derives those conversations' word-of-mouth summaries again. Frozen facts (closed periods) stay
as they are. The report says how many posts still wait, so nothing is hidden.
"""

from django.db import connection, transaction
from django.db.models import F

from townsquare.insights.models import Checkpoint, ConversationFact, MessageFact
from townsquare.insights.projection import CHECKPOINT
from townsquare.insights.promo_folds import marketing_threshold, promo_scores
from townsquare.insights.rows import execute_many
from townsquare.insights.wom_summary import FIELDS, summarise
from townsquare.insights.wom_timeline import read_timelines

# Posts scored per transaction: a batch holds the fold's checkpoint lock for about a second.
BATCH = 2000


def score_pending(limit: int | None = None) -> int:
    """Score up to `limit` (None: all) brand posts that have no promotion score yet, oldest
    first; returns how many were scored."""
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        scored = _score_batch(size)
        done += scored
        if scored < size:
            break
    return done


def _score_batch(size: int) -> int:
    from townsquare.inbox.models import Message

    with transaction.atomic():
        # The fold's lock: a concurrent fold must not derive these conversations from old scores.
        Checkpoint.objects.select_for_update().get_or_create(name=CHECKPOINT)
        pending = list(
            MessageFact.objects.filter(direction="out", promo_score__isnull=True, frozen=False)
            .order_by("message_id")
            .values_list("message_id", "conversation_id")[:size]
        )
        if not pending:
            return 0
        texts = dict(Message.objects.filter(pk__in=[mid for mid, _ in pending]).values_list("pk", "text"))
        # A post whose message is gone scores as an empty text (0): it must not wait for ever.
        scores = promo_scores([texts.get(mid) or "" for mid, _ in pending])
        execute_many(
            f"UPDATE {MessageFact._meta.db_table} SET promo_score = %s WHERE message_id = %s AND NOT frozen",
            [(float(score), mid) for score, (mid, _) in zip(scores, pending, strict=True)],
        )
        resummarise(sorted({cid for _, cid in pending if cid is not None}))
    return len(pending)


def resummarise(conversation_ids: list[int]) -> None:
    """Derive the word-of-mouth summary of these conversations again from their message facts."""
    if not conversation_ids:
        return
    threshold = marketing_threshold()
    timelines = read_timelines(conversation_ids)
    fields = [ConversationFact._meta.get_field(name) for name in FIELDS]
    rows = []
    for cid in conversation_ids:
        summary = summarise(timelines.get(cid, []), threshold)
        rows.append([field.get_db_prep_save(summary[field.name], connection) for field in fields] + [cid])
    # Stamped like a fold batch (FoldBatch.stamp): the stamp moves on by one, so warm frames read
    # these facts once. Callers hold the checkpoint's lock (score_pending) or run alone.
    Checkpoint.objects.filter(name=CHECKPOINT).update(events_folded=F("events_folded") + 1)
    stamp = Checkpoint.objects.filter(name=CHECKPOINT).values_list("events_folded", flat=True).first() or 0
    assignments = ", ".join(f"{name} = %s" for name in FIELDS)
    table = ConversationFact._meta.db_table
    execute_many(
        f"UPDATE {table} SET {assignments}, last_event_id = CASE WHEN last_event_id > {stamp} "
        f"THEN last_event_id ELSE {stamp} END WHERE conversation_id = %s AND NOT frozen",
        rows,
    )

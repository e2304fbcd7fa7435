"""What `townsquare run` checks every recovery interval, from the general worker's supervisor.

Each job is a safety net for work whose background task was lost (a worker died, the task
backend dropped it) or for clocks nobody else looks at. One failing job does not stop the others.
"""

import logging
import time
from datetime import timedelta

from django.db import connection, connections
from django.utils import timezone

from townsquare.tasks.config import seconds, stale_after_seconds
from townsquare.tasks.recovery import recover_stale

logger = logging.getLogger("townsquare.ops")


def presence_timeout_seconds() -> float:
    """Agents the console has not seen for this long go offline and their work is reassigned."""
    return seconds("PRESENCE_TIMEOUT_SECONDS", 15 * 60.0)


def recover_stale_tasks(live_worker_id: str) -> None:
    """Requeue tasks of workers elsewhere that stopped reporting; ours is alive, so skip it."""
    recover_stale(stale_after_seconds(), alive=(live_worker_id,))


def check_slas(live_worker_id: str) -> None:
    from townsquare.sla.monitor import check_slas as check

    check()


def sweep_presence(live_worker_id: str) -> None:
    from townsquare.care.presence import sweep_stale

    swept = sweep_stale(presence_timeout_seconds() / 60)
    if swept:
        logger.info("set offline after no heartbeat: %s", ", ".join(swept))


def send_due_webhooks(live_worker_id: str) -> None:
    from townsquare.hooks.delivering import send_due

    send_due()


# Seconds a pass of deliver_due_replies may spend delivering (each attempt is bounded by its channel's timeout).
DELIVERY_BUDGET_SECONDS = 30.0


def deliver_due_replies(live_worker_id: str) -> None:
    """Replies past their undo window (or retry time) by more than a minute: their delivery task was
    lost. Replies SENDING for longer than TOWNSQUARE_DELIVERY_TIMEOUT_SECONDS lost their worker."""
    from townsquare.replies.delivery import deliver_reply
    from townsquare.replies.delivery_config import sending_timeout_seconds
    from townsquare.replies.models import Reply, ReplyStatus
    from townsquare.replies.undelivered import recover_interrupted

    recover_interrupted(timedelta(seconds=sending_timeout_seconds()))
    late = timezone.now() - timedelta(minutes=1)
    due = Reply.objects.filter(status=ReplyStatus.SCHEDULED, send_after__lte=late)
    # Deliveries talk to the network: a channel that hangs must not hold the other checks up for
    # long, so the rest wait for the next pass.
    stop_at = time.monotonic() + DELIVERY_BUDGET_SECONDS
    for reply_id in due.order_by("send_after", "id").values_list("pk", flat=True)[:500]:
        deliver_reply(reply_id)
        if time.monotonic() > stop_at:
            break


def poll_due_channels(live_worker_id: str) -> None:
    """Channels that fetch their messages (Mastodon) and whose next poll is due: one task each."""
    from townsquare.connectors.polling import enqueue_due

    enqueue_due()


def close_guideline_votes(live_worker_id: str) -> None:
    """Open guideline votes whose discussion ended and decide the ones whose vote ended."""
    from townsquare.community.guidelines.closing import close_due_proposals

    close_due_proposals()


def escalate_unanswered_questions(live_worker_id: str) -> None:
    """Community questions nobody answered usefully in their space's hours go to the staff queue."""
    from townsquare.community.bridge.unanswered import escalate_unanswered

    escalated = escalate_unanswered()
    if escalated:
        topics = ", ".join(str(done["topic"]) for done in escalated)
        logger.info("escalated unanswered community questions: %s", topics)


# Digests are daily or weekly per member: looking once an hour is often enough.
DIGEST_EVERY = 3600.0
_last_digest_check: list[float] = []


def send_community_digests(live_worker_id: str | None = None, *, force: bool = False) -> bool:
    """Email the community's due notification digests, at most once an hour."""
    from townsquare.community.notify.digest import send_digests

    now = time.monotonic()
    if not force and _last_digest_check and now - _last_digest_check[-1] < DIGEST_EVERY:
        return False
    _last_digest_check[:] = [now]
    report = send_digests()
    if report.sent or report.failed:
        logger.info("community digests: %s sent, %s failed", report.sent, report.failed)
    return True


# Trust level 1 can be met by time alone (days since joining); once an hour is soon enough.
TRUST_REVIEW_EVERY = 3600.0
_last_trust_review: list[float] = []


def promote_trust_by_time(live_worker_id: str | None = None, *, force: bool = False) -> bool:
    """Promote members whose only missing trust rule was time since joining, at most once an hour."""
    from townsquare.community.trust import promote_by_time

    now = time.monotonic()
    if not force and _last_trust_review and now - _last_trust_review[-1] < TRUST_REVIEW_EVERY:
        return False
    _last_trust_review[:] = [now]
    promoted = promote_by_time()
    if promoted:
        logger.info("community trust level 1 by time: %s members", len(promoted))
    return True


# Topics without an embedding (a bulk import, a lost task) are not found by meaning: hourly is enough.
EMBED_MISSING_EVERY = 3600.0
_last_embed_check: list[float] = []


def embed_missing_topics(live_worker_id: str | None = None, *, force: bool = False) -> bool:
    """Enqueue embedding for community topics that have none, at most once an hour."""
    from townsquare.community.search.tasks import enqueue_missing_embeddings

    now = time.monotonic()
    if not force and _last_embed_check and now - _last_embed_check[-1] < EMBED_MISSING_EVERY:
        return False
    _last_embed_check[:] = [now]
    enqueued = enqueue_missing_embeddings()
    if enqueued:
        logger.info("community topics to embed: %s", enqueued)
    return True


# Events the insights job folds per pass (projection.CHUNK each): a large import catches up over a
# few passes instead of holding the other checks up.
INSIGHTS_CHUNKS_PER_PASS = 40
# Brand posts scored for promotion per pass (about 0.35 ms each): a large import is scored over passes.
PROMO_SCORES_PER_PASS = 20_000


def refresh_insights(live_worker_id: str | None = None) -> None:
    """Fold new events into the insights projection, so reports stay current without folding."""
    from townsquare.insights.brand_posts import score_pending
    from townsquare.insights.projection import refresh

    result = refresh(max_chunks=INSIGHTS_CHUNKS_PER_PASS)
    if result.events:
        logger.info("insights folded %s events (%s conversations)", result.events, result.conversations)
    scored = score_pending(limit=PROMO_SCORES_PER_PASS)
    if scored:
        logger.info("insights scored %s brand posts for promotion", scored)


# Insights close each month some days after it ends (TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS); hourly is enough.
CLOSE_PERIODS_EVERY = 3600.0
_last_period_check: list[float] = []


def close_insights_periods(live_worker_id: str | None = None, *, force: bool = False) -> bool:
    """Close the insights months that are due, at most once an hour."""
    from townsquare.insights.periods import close_due_periods

    now = time.monotonic()
    if not force and _last_period_check and now - _last_period_check[-1] < CLOSE_PERIODS_EVERY:
        return False
    _last_period_check[:] = [now]
    closed = close_due_periods()
    if closed:
        logger.info("insights periods closed: %s", ", ".join(f"{p.start:%Y-%m-%d}" for p in closed))
    return True


# SQLite has no autovacuum to keep planner statistics: without them it picks the wrong index for
# the inbox list (seconds instead of milliseconds at a million messages). A bounded ANALYZE samples
# each index, so it costs milliseconds however large the tables are.
ANALYZE_EVERY = 3600.0
ANALYZE_ROWS_PER_INDEX = 1000
_last_analyzed: list[float] = []


def refresh_sqlite_statistics(live_worker_id: str | None = None, *, force: bool = False) -> bool:
    """Run a bounded ANALYZE on SQLite at most once an hour (PostgreSQL's autovacuum does its own)."""
    if connection.vendor != "sqlite":
        return False
    now = time.monotonic()
    if not force and _last_analyzed and now - _last_analyzed[-1] < ANALYZE_EVERY:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYZE_ROWS_PER_INDEX}")
        cursor.execute("ANALYZE")
    _last_analyzed[:] = [now]
    return True


JOBS = (
    recover_stale_tasks,
    check_slas,
    sweep_presence,
    send_due_webhooks,
    deliver_due_replies,
    poll_due_channels,
    escalate_unanswered_questions,
    close_guideline_votes,
    send_community_digests,
    promote_trust_by_time,
    embed_missing_topics,
    refresh_insights,
    close_insights_periods,
    refresh_sqlite_statistics,
)


def run_periodic_checks(live_worker_id: str) -> None:
    try:
        for job in JOBS:
            try:
                job(live_worker_id)
            except Exception:
                logger.exception("periodic check %s failed", job.__name__)
    finally:
        # The supervisor's thread opened its own connection; don't leave it open between calls.
        connections.close_all()

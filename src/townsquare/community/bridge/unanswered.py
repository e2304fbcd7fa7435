"""Unanswered questions become staff work: nobody in the community is left without an answer.

A question with no accepted answer and no answer scored above zero, `Space.unanswered_after_hours`
after it was asked, is escalated: its care conversation climbs to the agent rung (whoever held it
below lets go), goes to a queue staff serve, `Topic.escalated_at` is set and
`community.question_escalated` is written. Exactly once: the claim is a conditional UPDATE on
`escalated_at IS NULL` (and still unanswered), so two sweeping workers never both fire, and a
question answered a second before the sweep is left alone.

The sweep runs from `townsquare run`'s periodic checks and as `townsquare community-escalate`; it
reads the partial index `topic_unanswered` (live open questions, oldest first) in one query.
"""

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from townsquare.care.escalation import _step as escalation_step
from townsquare.care.escalation import current_level, rank
from townsquare.community.bridge.intake import ingest_topic
from townsquare.community.bridge.staff_queue import queue_for_staff
from townsquare.community.events import record_community
from townsquare.community.models import Post, PostKind, Space, Topic, TopicKind, Visibility
from townsquare.community.privileges import BRAND_ROLES
from townsquare.inbox.models import Conversation, ConversationStatus
from townsquare.people.models import User
from townsquare.replies.status import change_status

logger = logging.getLogger("townsquare.community")
STAFF_LEVEL = "agent"
BATCH = 200


def reason_for(hours: int) -> str:
    return f"unanswered in community for {hours} h"


def _useful_answer():
    """An answer that shows the question is being helped: visible and scored above zero."""
    return Post.objects.filter(
        topic=OuterRef("pk"), kind=PostKind.ANSWER, visibility=Visibility.VISIBLE, score__gt=0
    )


def _open_questions():
    """Still-unanswered questions, for the claim (by primary key; the sweep's search is `_due_sql`)."""
    return (
        Topic.objects.filter(kind=TopicKind.QUESTION, accepted_post__isnull=True, escalated_at__isnull=True)
        .filter(visibility=Visibility.VISIBLE, is_closed=False, external_id__isnull=True)
        .filter(published_from__isnull=True)
        .exclude(Exists(_useful_answer()))
    )


def _due_sql(vendor: str, spaces: int) -> str:
    """Due questions, oldest first, each space with its own cutoff (a CASE over the space ids).

    Raw SQL, because SQLite uses a partial index only when the query repeats its condition with
    literal values (Django would bind `kind` as a parameter), and its statistics prefer the
    accepted-post foreign key index unless told.
    """
    topic, post, user = Topic._meta.db_table, Post._meta.db_table, User._meta.db_table
    indexed = " INDEXED BY topic_unanswered" if vendor == "sqlite" else ""
    brand = ", ".join(f"'{role}'" for role in sorted(BRAND_ROLES))
    cutoffs = " ".join(["WHEN %s THEN %s"] * spaces)
    return (
        f"SELECT t.id FROM {topic} t{indexed}"
        f" WHERE t.accepted_post_id IS NULL AND t.escalated_at IS NULL AND t.external_id IS NULL"
        f" AND t.kind = '{TopicKind.QUESTION}' AND t.created_at <= %s"
        f" AND t.created_at <= CASE t.space_id {cutoffs} END"
        " AND t.visibility = %s AND t.is_closed = %s AND t.published_from_id IS NULL"
        f" AND EXISTS (SELECT 1 FROM {user} u WHERE u.id = t.author_id AND u.role NOT IN ({brand}))"
        f" AND NOT EXISTS (SELECT 1 FROM {post} p WHERE p.topic_id = t.id AND p.kind = %s"
        " AND p.visibility = %s AND p.score > 0)"
        " ORDER BY t.created_at, t.id LIMIT %s"
    )


def due_topics(now: datetime, *, limit: int = BATCH) -> list[int]:
    """Questions due for escalation at `now`, oldest first, at most `limit`: one query."""
    adapt = connection.ops.adapt_datetimefield_value
    cutoffs = [
        (pk, adapt(now - timedelta(hours=hours)))
        for pk, hours in Space.objects.values_list("pk", "unanswered_after_hours")
    ]
    if not cutoffs:
        return []
    params = [max(cutoff for _, cutoff in cutoffs)]  # bounds the index range for the planner
    for space_id, cutoff in cutoffs:
        params += [space_id, cutoff]
    params += [Visibility.VISIBLE, False, PostKind.ANSWER, Visibility.VISIBLE, limit]
    with connection.cursor() as cursor:
        cursor.execute(_due_sql(connection.vendor, len(cutoffs)), params)
        return [row[0] for row in cursor.fetchall()]


def escalate_topic(topic_id: int, *, now: datetime | None = None) -> dict | None:
    """Escalate one due question; None when it is not (or no longer) due at `now`."""
    now = now or timezone.now()
    with transaction.atomic():
        topic = Topic.objects.select_related("space").filter(pk=topic_id).first()
        if topic is None:
            return None
        hours = topic.space.unanswered_after_hours
        claimed = (
            _open_questions()
            .filter(pk=topic_id, created_at__lte=now - timedelta(hours=hours))
            .update(escalated_at=now)
        )
        if not claimed:
            return None
        topic.refresh_from_db()
        conversation_id = topic.conversation_id or ingest_topic(topic)
        outcome = {"level": None, "queue": None}
        if conversation_id is not None:
            outcome = _to_staff(conversation_id, reason_for(hours))
        data = {
            "topic": topic.pk,
            "space": topic.space_id,
            "hours": hours,
            "asked_at": topic.created_at.isoformat(),
            "conversation": conversation_id,
            "to_level": outcome["level"],
            "queue": outcome["queue"],
        }
        record_community(
            "community.question_escalated", actor=None, conversation_id=conversation_id, data=data
        )
    return data


def _to_staff(conversation_id: int, reason: str) -> dict:
    """The care side of an escalation: reopen if resolved, climb to the agent rung, queue for staff."""
    conversation = Conversation.objects.select_related("channel", "assignee").get(pk=conversation_id)
    if conversation.status == ConversationStatus.CLOSED:
        return {"level": current_level(conversation), "queue": conversation.queue_id}
    if conversation.status == ConversationStatus.RESOLVED:
        # Resolved in care, still open in the community: the public question needs its answer.
        change_status(None, conversation, ConversationStatus.OPEN, reason=reason)
    level = current_level(conversation)
    if rank(level) < rank(STAFF_LEVEL):
        # A system step with its own reason (the ladder's automatic reasons are per message signals).
        level = escalation_step(conversation, actor=None, reason=reason, to_level=STAFF_LEVEL, automatic=True)
    queue = queue_for_staff(conversation_id)
    if queue is None:
        queue_id = Conversation.objects.filter(pk=conversation_id).values_list("queue_id", flat=True).get()
    else:
        queue_id = queue.pk
    return {"level": level, "queue": queue_id}


def escalate_unanswered(*, now: datetime | None = None, limit: int = BATCH) -> list[dict]:
    """The sweep: escalate every question due at `now` (up to `limit`); returns what was escalated."""
    now = now or timezone.now()
    escalated = []
    for topic_id in due_topics(now, limit=limit):
        try:
            done = escalate_topic(topic_id, now=now)
        except Exception:
            # One broken question must not keep the others waiting; the next sweep retries it.
            logger.exception("escalating unanswered topic %s failed", topic_id)
            continue
        if done is not None:
            escalated.append(done)
    return escalated

"""Delivering a scheduled reply through its channel's connector once the undo window has passed.

1. Claim: SCHEDULED and due → SENDING (a conditional update, so an undo, a second worker or the
   periodic check cannot also take it), attempts + 1.
2. Send: `connector_for(channel).send(outgoing)` outside any transaction (it talks to the network).
   The channel is the one the customer last wrote on: a conversation may span channels.
3. Delivered: the reply is stored as the outbound message under the remote side's id and marked sent
   (replies/delivered.py). Not delivered: retried later with backoff, or failed with the reason
   (replies/undelivered.py). The channel's connector health follows each attempt.
"""

import logging

from django.db.models import F
from django.utils import timezone

from townsquare.connectors.base import ConfigInvalid, PermanentError, TransientError
from townsquare.connectors.health import record_failure, record_success
from townsquare.connectors.registry import connector_for
from townsquare.connectors.secrets import SecretsUnreadable
from townsquare.replies.delivered import DEFAULT_BRAND_AUTHOR, store_delivered
from townsquare.replies.models import Reply, ReplyStatus
from townsquare.replies.outgoing import plan_delivery
from townsquare.replies.undelivered import fail, mark_bounced, retry_later

logger = logging.getLogger(__name__)
RETRYING = "retrying"

__all__ = ["DEFAULT_BRAND_AUTHOR", "RETRYING", "deliver_reply", "mark_bounced"]


def deliver_reply(reply_id: int) -> str:
    """Deliver the reply if it is scheduled and due; returns what became of it (sent, failed, retrying…)."""
    reply = _claim(reply_id)
    if reply is None:
        return _why_not_delivered(reply_id)
    try:
        planned = plan_delivery(reply)
    except PermanentError as exc:
        fail(reply.pk, str(exc))
        return ReplyStatus.FAILED
    channel_id = planned.channel.pk
    try:
        connector = connector_for(planned.channel)
    except (LookupError, SecretsUnreadable) as exc:  # no connector for the kind, secrets under an old key
        record_failure(channel_id, f"delivering reply {reply.pk}: {exc}")
        fail(reply.pk, str(exc))
        return ReplyStatus.FAILED
    try:
        sent = connector.send(planned.outgoing)
    except TransientError as exc:
        record_failure(channel_id, f"delivering reply {reply.pk}: {exc}")
        return retry_later(reply, str(exc), retry_after=exc.retry_after)
    except (TimeoutError, OSError) as exc:
        record_failure(channel_id, f"delivering reply {reply.pk}: {exc}")
        return retry_later(reply, f"{type(exc).__name__}: {exc}")
    except (PermanentError, ConfigInvalid) as exc:
        record_failure(channel_id, f"delivering reply {reply.pk}: {exc}")
        fail(reply.pk, str(exc))
        return ReplyStatus.FAILED
    except Exception as exc:
        # A bug in a connector: no retry would help, and the reply must not stay "sending".
        logger.exception("Connector of channel %s failed on reply %s", channel_id, reply.pk)
        fail(reply.pk, f"{type(exc).__name__}: {exc}")
        return ReplyStatus.FAILED
    record_success(channel_id)
    if store_delivered(reply, planned, sent) is None:
        return _why_not_delivered(reply_id)
    return ReplyStatus.SENT


def _claim(reply_id: int) -> Reply | None:
    now = timezone.now()
    claimed = Reply.objects.filter(pk=reply_id, status=ReplyStatus.SCHEDULED, send_after__lte=now).update(
        status=ReplyStatus.SENDING, sending_since=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return Reply.objects.select_related("conversation", "author").get(pk=reply_id)


def _why_not_delivered(reply_id: int) -> str:
    reply = Reply.objects.filter(pk=reply_id).only("status").first()
    if reply is None:
        return "missing"
    if reply.status == ReplyStatus.SCHEDULED:
        return "not due"
    return reply.status

"""Automatic messages make no work: labelled "not for us" at once instead of being triaged.

Ingest skips triage for them (`InboundMessage.auto_reply`), so they get their label here, in the
same transaction: a conversation an out-of-office reply started lands in "Not for us", and a
thread it joined keeps its other labels (the roll-up counts every inbound message's labels).
"""

from django.utils import timezone

from townsquare.labels.models import MessageLabels, TriageStatus
from townsquare.labels.rollup import roll_up

TRIAGE_VERSION = "auto-reply"


def mark_no_work(message_id: int, conversation_id: int | None) -> None:
    MessageLabels.objects.update_or_create(
        message_id=message_id,
        defaults={
            "conversation_id": conversation_id,
            "kind": "chatter",
            "kind_score": 1.0,
            "invites_reply": False,
            "not_for_us": True,
            "status": TriageStatus.FAST,
            "triage_version": TRIAGE_VERSION,
            "fast_at": timezone.now(),
        },
    )
    roll_up([conversation_id])

"""Corrections people make to triage labels: the one way to record them, and reading them back
as training feedback.

`training_feedback()` is what a future `townsquare triage-train --feedback` will read: it
yields (message text, field, corrected value) for the latest correction of each field of each
message. Nothing trains on it yet.
"""

from collections.abc import Iterator
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.models import Message
from townsquare.inbox.visibility import Forbidden, visible_messages
from townsquare.labels.corrections import corrected_fields, is_not_for_us
from townsquare.labels.models import FeedbackField, MessageLabels, TriageFeedback
from townsquare.labels.rollup import roll_up
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role
from townsquare.triage.labels import KINDS, SENTIMENTS

MAX_INTENT_LENGTH = 100


class InvalidCorrection(ValueError):
    """The field or value cannot be recorded; views answer 400 with the message."""


def check_may_correct(user, message: Message) -> None:
    """Staff console roles correct any message; ambassadors only community-channel messages."""
    role = getattr(user, "role", None)
    if role not in STAFF_CONSOLE_ROLES and role != Role.AMBASSADOR:
        raise Forbidden("your role may not correct triage labels")
    if not visible_messages(user).filter(pk=message.pk).exists():
        raise Forbidden("you may not correct labels of this message")


def clean_value(field: str, value):
    """The value as stored, or InvalidCorrection saying what is accepted."""
    if field in (FeedbackField.NOT_FOR_US, FeedbackField.INVITES_REPLY):
        if not isinstance(value, bool):
            raise InvalidCorrection(f"{field} must be true or false")
        return value
    if not isinstance(value, str) or not value.strip():
        raise InvalidCorrection(f"{field} must be a non-empty string")
    value = value.strip()
    if field == FeedbackField.KIND and value not in KINDS:
        raise InvalidCorrection(f"kind must be one of {', '.join(KINDS)}")
    if field == FeedbackField.SENTIMENT and value not in SENTIMENTS:
        raise InvalidCorrection(f"sentiment must be one of {', '.join(SENTIMENTS)}")
    if field == FeedbackField.LANGUAGE and not (value.isascii() and value.isalpha() and 2 <= len(value) <= 8):
        raise InvalidCorrection("language must be an ISO 639 code such as en or pt")
    if field == FeedbackField.LANGUAGE:
        return value.lower()
    if field == FeedbackField.INTENT and len(value) > MAX_INTENT_LENGTH:
        raise InvalidCorrection(f"intent must be at most {MAX_INTENT_LENGTH} characters")
    return value


def correct(message: Message, user, field: str, new_value) -> TriageFeedback:
    """Record a person's correction of one label of `message` and apply it.

    Updates the message's labels (re-triage keeps the corrected field from now on), the
    conversation roll-up, writes the `triage.corrected` event; all in one transaction.
    Raises Forbidden (role or message not allowed) or InvalidCorrection (field or value).
    """
    if field not in FeedbackField.values:
        raise InvalidCorrection(f"field must be one of {', '.join(FeedbackField.values)}")
    check_may_correct(user, message)
    new_value = clean_value(field, new_value)
    with transaction.atomic():
        labels = MessageLabels.objects.select_for_update().filter(message_id=message.pk).first()
        if labels is None or not labels.kind:
            raise InvalidCorrection("this message has no triage labels yet")
        old_value = apply(
            labels, field, new_value, already=corrected_fields([message.pk]).get(message.pk, set())
        )
        labels.reviewed_by = user
        labels.reviewed_at = timezone.now()
        labels.save()
        feedback = TriageFeedback.objects.create(
            message=message, user=user, field=field, old_value=old_value, new_value=new_value
        )
        record(
            "triage.corrected",
            actor=user,
            channel_id=message.channel_id,
            conversation_id=message.conversation_id,
            message_id=message.pk,
            data={"field": field, "old_value": old_value, "new_value": new_value},
        )
        roll_up([message.conversation_id])
    return feedback


def apply(labels: MessageLabels, field: str, value, *, already: set[str]):
    """Set the corrected field on `labels` and return its previous value."""
    if field == FeedbackField.INTENT:
        old = labels.intents[0][0] if labels.intents else None
        others = [pair for pair in labels.intents if pair[0] != value]
        labels.intents = [[value, 1.0], *others][:3]
        return old
    old = getattr(labels, field)
    setattr(labels, field, value)
    score_column = f"{field}_score"
    if hasattr(labels, score_column):
        setattr(labels, score_column, 1.0)  # a person is sure
    if field in (FeedbackField.KIND, FeedbackField.INVITES_REPLY) and FeedbackField.NOT_FOR_US not in already:
        # Moving a message to a kind that is for us brings it back, unless someone decided otherwise.
        labels.not_for_us = is_not_for_us(labels.kind, labels.invites_reply)
    return old


def training_feedback(since: datetime | None = None) -> Iterator[tuple[str, str, object]]:
    """(message text, field, corrected value): the latest correction of each field of each message
    made at or after `since`, in the order those corrections were made."""
    rows = TriageFeedback.objects.order_by("created_at", "id")
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    latest: dict[tuple[int, str], tuple[str, str, object]] = {}
    for message_id, text, field, value in rows.values_list(
        "message_id", "message__text", "field", "new_value"
    ):
        latest.pop((message_id, field), None)  # re-inserted last: dicts keep insertion order
        latest[(message_id, field)] = (text, field, value)
    yield from latest.values()

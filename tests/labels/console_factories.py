"""Triage labels for console and API tests, written straight to the tables (no background worker)."""

from django.utils import timezone

from townsquare.labels.corrections import is_not_for_us
from townsquare.labels.models import MessageLabels
from townsquare.labels.rollup import roll_up
from townsquare.people.tokens import create_token

DEFAULTS = {
    "language": "en",
    "language_score": 0.97,
    "kind": "question",
    "kind_score": 0.91,
    "invites_reply": True,
    "invites_reply_score": 0.83,
    "sentiment": "neutral",
    "sentiment_score": 0.7,
    "spam_score": 0.01,
    "promo_score": 0.02,
    "priority": "normal",
    "status": "fast",
    "triage_version": "test",
}


def labelled(message, **fields) -> MessageLabels:
    """Store labels for `message` (question, English, neutral unless told) and roll up its conversation."""
    values = {**DEFAULTS, **fields}
    values.setdefault("not_for_us", is_not_for_us(values["kind"], values["invites_reply"]))
    labels = MessageLabels.objects.create(
        message=message, conversation_id=message.conversation_id, fast_at=timezone.now(), **values
    )
    roll_up([message.conversation_id])
    return labels


def first_inbound(conversation):
    return conversation.messages.filter(direction="in").order_by("created_at", "id").first()


def token_headers(user) -> dict:
    """Headers carrying a fresh personal API token for `user`."""
    _, plaintext = create_token(user, "tests")
    return {"Authorization": f"Bearer {plaintext}"}

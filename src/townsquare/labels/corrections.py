"""What people corrected: those fields are theirs, and re-running triage leaves them alone."""

from collections.abc import Iterable

from townsquare.labels.models import MessageLabels, TriageFeedback

# Feedback field -> the MessageLabels columns a re-run must keep.
KEPT_COLUMNS = {
    "kind": ("kind", "kind_score"),
    "not_for_us": ("not_for_us",),
    "invites_reply": ("invites_reply", "invites_reply_score"),
    "sentiment": ("sentiment", "sentiment_score"),
    "language": ("language", "language_score"),
    "intent": ("intents",),
}


def is_not_for_us(kind: str, invites_reply: bool) -> bool:
    """Spam, or chatter that does not invite a reply."""
    return kind == "spam" or (kind == "chatter" and not invites_reply)


def corrected_fields(message_ids: Iterable[int]) -> dict[int, set[str]]:
    """Feedback fields people corrected, per message that has any."""
    corrected: dict[int, set[str]] = {}
    rows = TriageFeedback.objects.filter(message_id__in=list(message_ids)).values_list("message_id", "field")
    for message_id, field in rows:
        corrected.setdefault(message_id, set()).add(field)
    return corrected


def keep_corrections(new: MessageLabels, old: MessageLabels | None, fields: set[str]) -> None:
    """Copy the corrected columns of `old` into `new` and derive not_for_us unless it was corrected."""
    if old is not None:
        for field in fields:
            for column in KEPT_COLUMNS.get(field, ()):
                setattr(new, column, getattr(old, column))
    if "not_for_us" not in fields or old is None:
        new.not_for_us = is_not_for_us(new.kind, new.invites_reply)

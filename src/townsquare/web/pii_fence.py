"""The PII fence: which roles may read personal data in message text, and what the others are shown.

Staff roles (admin, supervisor, agent) answer customers and need the order number or email in
front of them; the console highlights it. Ambassadors are customers who help other customers:
they see `[email]`, `[phone]`, `[card]`… instead. The console and the API both go through here.

Stored spans (`MessageLabels.pii`) are offsets into the cleaned text that triage saw, so the
text is cleaned the same way before masking (and before highlighting for staff). While triage is pending or has failed, the spans
are computed on the fly: an ambassador never reads unmasked text because a worker is behind.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from townsquare.people.models import STAFF_CONSOLE_ROLES
from townsquare.triage.labels import PiiSpan
from townsquare.triage.pii import find_pii, mask
from townsquare.triage.text import clean


@dataclass(frozen=True)
class Segment:
    """A run of message text; `pii_kind` names the personal data it holds, if any."""

    text: str
    pii_kind: str | None = None


def sees_pii(user) -> bool:
    return bool(user and user.is_authenticated and user.role in STAFF_CONSOLE_ROLES)


def stored_labels(message):
    """The message's MessageLabels row, or None before triage stored one."""
    try:
        return message.labels
    except ObjectDoesNotExist:
        return None


def pii_spans(message, text: str) -> tuple:
    """PII spans in `text` (the message's cleaned text): stored ones when triage succeeded, else found now."""
    labels = stored_labels(message)
    if labels is not None and labels.status != "failed":
        spans = tuple(PiiSpan(span["kind"], span["start"], span["end"]) for span in labels.pii or ())
        # Offsets that do not fit the text (it was edited after triage) are not trusted.
        if all(0 <= span.start < span.end <= len(text) for span in spans):
            return spans
    return tuple(find_pii(text))


def shown_text(user, message) -> str:
    """The message text this user may read: as stored for staff, masked for everyone else."""
    if sees_pii(user):
        return message.text
    text = clean(message.text, limit=None)
    return mask(text, pii_spans(message, text))


def shown_segments(user, message) -> list[Segment]:
    """The text as segments for the console: PII marked for staff, one masked segment for others."""
    if not sees_pii(user):
        return [Segment(shown_text(user, message))]
    text = clean(message.text, limit=None)
    segments, position = [], 0
    for span in sorted(pii_spans(message, text), key=lambda span: span.start):
        if span.start < position:
            continue  # overlapping spans: the first one already covers this text
        if span.start > position:
            segments.append(Segment(text[position : span.start]))
        segments.append(Segment(text[span.start : span.end], span.kind))
        position = span.end
    if position < len(text) or not segments:
        segments.append(Segment(text[position:]))
    return segments


def shown_free_text(user, text: str) -> str:
    """Text with no stored spans (a subject, a list excerpt) as this user may read it."""
    if sees_pii(user) or not text:
        return text
    return mask(clean(text, limit=None))


def fence_list_rows(user, conversations) -> None:
    """Mask the subject and first-message excerpt of list rows for users who may not read PII."""
    if sees_pii(user):
        return
    for conversation in conversations:
        conversation.subject = shown_free_text(user, conversation.subject)
        conversation.excerpt = shown_free_text(user, getattr(conversation, "excerpt", "") or "")

"""Triage label chips, shared by the list rows (list_rows.py) and the conversation page (`{% label_chips %}`)."""

from functools import lru_cache
from html import escape  # django.utils.html.escape without its lazy-string wrapper (hot in the list)

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from townsquare.triage.labels import UNDETERMINED


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """`de` → `German`; codes Django does not know stay as they are."""
    if not code:
        return ""
    if code == UNDETERMINED:
        return "Undetermined"
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def label_chips(labels) -> SafeString:
    """Chips for a conversation roll-up or one message's labels: the text says it all, colour only helps."""
    chips = []
    if labels.language:
        chips.append(
            f'<li class="chip chip-language" title="Language: {escape(language_name(labels.language))}">'
            f'<span class="visually-hidden">Language: </span>{escape(labels.language.upper())}</li>'
        )
    if labels.kind:
        chips.append(
            f'<li class="chip chip-kind chip-kind-{escape(labels.kind)}" data-testid="kind-chip">'
            f'<span class="visually-hidden">Kind: </span>{escape(capfirst(labels.kind))}</li>'
        )
    if labels.sentiment:
        chips.append(
            f'<li class="chip chip-sentiment-{escape(labels.sentiment)}">'
            f'<span class="visually-hidden">Sentiment: </span>{escape(capfirst(labels.sentiment))}</li>'
        )
    if labels.priority:
        chips.append(
            f'<li class="chip chip-priority-{escape(labels.priority)}">'
            f'<span class="visually-hidden">Priority: </span>{escape(capfirst(labels.priority))} priority</li>'
        )
    if getattr(labels, "triage_pending", False):
        chips.append('<li class="chip chip-pending">Triage pending</li>')
    return mark_safe(f'<ul class="chips" aria-label="Triage labels">{"".join(chips)}</ul>')  # noqa: S308 - escaped above

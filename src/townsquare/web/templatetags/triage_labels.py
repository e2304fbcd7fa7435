"""Display helpers for triage labels: language names, scores, and why a conversation is not for us."""

from django import template

from townsquare.web.chips import label_chips, language_name

register = template.Library()
# Spam and promo scores below this are noise; above it the console shows them next to the message.
NOTABLE_SCORE = 0.5


register.filter("language_name", language_name)
register.simple_tag(label_chips, name="label_chips")


@register.filter
def percent(score: float | None) -> str:
    return "" if score is None else f"{round(score * 100)}%"


@register.filter
def notable(score: float | None) -> bool:
    return score is not None and score >= NOTABLE_SCORE


@register.filter
def not_for_us_reason(conversation) -> str:
    """Why a conversation is out of the inbox, in words an agent can check against the messages."""
    if conversation.kind == "spam":
        return "Spam"
    if conversation.kind == "chatter":
        return "Chatter that does not invite a reply"
    return "Marked not for us by a person"

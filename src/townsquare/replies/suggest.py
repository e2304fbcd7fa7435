"""Suggested canned replies for a conversation: a simple ranking an agent can read.

Score = 2 when a version exists in the conversation's language, plus 1 for each word of the
conversation's kind and top intent ("card_arrival" → card, arrival) found in the canned reply's
title, shortcut or text. Ties go to the shortcut's alphabetical order.
"""

import re
from dataclasses import dataclass

from townsquare.inbox.models import Direction
from townsquare.inbox.page_reads import loaded_thread, newest_inbound
from townsquare.labels.models import MessageLabels
from townsquare.replies.canned import FALLBACK_LANGUAGE, RenderedCanned, all_canned, render_version
from townsquare.replies.models import CannedReply
from townsquare.replies.variables import variable_values
from townsquare.web.pii_fence import stored_labels

WORD = re.compile(r"[^\W_]{3,}")
LANGUAGE_MATCH = 2


@dataclass(frozen=True)
class Suggestion:
    rendered: RenderedCanned
    score: int
    reasons: list[str]


def conversation_keywords(conversation) -> set[str]:
    """The kind and the top intent's words of the newest labelled inbound message."""
    words = set(WORD.findall((conversation.kind or "").lower()))
    thread = loaded_thread(conversation)
    if thread is not None:
        labels = next(
            (
                (row.kind, row.intents)
                for row in map(stored_labels, newest_inbound(thread))
                if row is not None and row.conversation_id == conversation.pk
            ),
            None,
        )
    else:
        labels = (
            MessageLabels.objects.filter(
                conversation_id=conversation.pk, message__direction=Direction.INBOUND
            )
            .order_by("-message__created_at")
            .values_list("kind", "intents")
            .first()
        )
    if labels is not None:
        kind, intents = labels
        words |= set(WORD.findall((kind or "").lower()))
        if intents and isinstance(intents[0], list | tuple) and intents[0]:
            words |= set(WORD.findall(str(intents[0][0]).replace("_", " ").lower()))
    return words


def suggest_canned(conversation, agent, limit: int = 5) -> list[Suggestion]:
    language = conversation.language or FALLBACK_LANGUAGE
    by_shortcut: dict[str, dict[str, CannedReply]] = {}
    for canned in all_canned(conversation):
        by_shortcut.setdefault(canned.shortcut, {})[canned.language] = canned
    keywords = conversation_keywords(conversation)
    values = variable_values(conversation, agent)
    ranked = []
    for shortcut, versions in by_shortcut.items():
        chosen = versions.get(language) or versions.get(FALLBACK_LANGUAGE)
        if chosen is None:
            continue  # only in languages this customer may not read
        score, reasons = 0, []
        if chosen.language == language:
            score += LANGUAGE_MATCH
            reasons.append(f"written in {language}")
        found = sorted(keywords & set(WORD.findall(f"{chosen.title} {shortcut} {chosen.text}".lower())))
        if found:
            score += len(found)
            reasons.append("mentions " + ", ".join(found))
        ranked.append((-score, shortcut, chosen, reasons))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [
        Suggestion(render_version(chosen, values), -negative, reasons)
        for negative, _, chosen, reasons in ranked[:limit]
    ]

"""What in a conversation calls for a higher rung of the ladder: a request for a person, a sentiment spiral.

Pure functions over text and labels, so they are tested without a database.
"""

import re

# A customer asking for a person (not a bot, not a volunteer) in the languages triage knows best.
# Phrases, not single words: "agent" alone is too common ("my agent said…").
_HUMAN_PATTERNS = [
    # English
    r"\b(talk|speak|chat)\s+(to|with)\s+(a|an|some|one|your)?\s*(real\s+)?(human|person|people|agent|someone|representative|rep)\b",
    r"\b(real|actual|live)\s+(human|person|agent)\b",
    r"\bget\s+me\s+(an?\s+)?(human|person|agent|someone)\b",
    # German
    r"\bmit\s+einem\s+(echten\s+)?(menschen|mitarbeiter|berater|mitarbeitenden)\b",
    r"\b(echten?|richtigen?)\s+(menschen|mitarbeiter)\b",
    # Spanish
    r"\bhablar\s+con\s+(una\s+persona|un\s+(agente|humano|asesor|representante)|alguien)\b",
    r"\b(persona|agente)\s+real\b",
    # French
    r"\bparler\s+(à|a|avec)\s+(un\s+(humain|conseiller|agent)|une\s+personne|quelqu'un)\b",
    # Portuguese
    r"\bfalar\s+com\s+(um\s+(humano|atendente|agente)|uma\s+pessoa|algu[eé]m)\b",
    # Italian
    r"\bparlare\s+con\s+(un\s+(operatore|umano)|una\s+persona|qualcuno)\b",
    # Chinese: "transfer to a human", "human support", "a real person"
    r"(转人工|人工客服|真人客服|找人工|要人工|真人)",
    # Arabic: "speak with an employee / a person"
    r"(التحدث|أتحدث|اتكلم|أكلم)\s+(مع\s+)?(موظف|شخص|إنسان)",
]
# Asking for someone above the person already helping.
_MANAGER_PATTERNS = [
    r"\b(talk|speak)\s+(to|with)\s+(a|your|the)?\s*(manager|supervisor)\b",
    r"\b(escalate|escalation)\b",
    r"\b(vorgesetzten|vorgesetzte|teamleiter|teamleiterin)\b",
    r"\b(supervisor|gerente|encargado|superior)\b.*\b(hablar|quiero)\b|\b(hablar|quiero)\b.*\b(supervisor|gerente|encargado)\b",
    r"\b(responsable|superviseur|manager)\b.*\bparler\b|\bparler\b.*\b(responsable|superviseur|manager)\b",
    r"(找你们经理|主管|经理)",
]

_HUMAN = re.compile("|".join(f"(?:{p})" for p in _HUMAN_PATTERNS), re.IGNORECASE)
_MANAGER = re.compile("|".join(f"(?:{p})" for p in _MANAGER_PATTERNS), re.IGNORECASE)

# Three negative customer messages in a row: the conversation is getting worse, not better.
SPIRAL_LENGTH = 3


def asks_for_human(text: str) -> bool:
    return bool(_HUMAN.search(text or ""))


def asks_for_manager(text: str) -> bool:
    return bool(_MANAGER.search(text or ""))


def is_sentiment_spiral(recent_sentiments: list[str]) -> bool:
    """True when the latest SPIRAL_LENGTH inbound messages (newest last) are all negative."""
    if len(recent_sentiments) < SPIRAL_LENGTH:
        return False
    return all(sentiment == "negative" for sentiment in recent_sentiments[-SPIRAL_LENGTH:])

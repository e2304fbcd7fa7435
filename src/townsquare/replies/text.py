"""Checks on text people write in the console (replies, notes, canned replies)."""

from townsquare.inbox.ingest.normalized import text_problem

MAX_TEXT_CHARACTERS = 10_000


class BadText(ValueError):
    """Empty, too long or unstorable text (API 422, console form error)."""


def checked_text(text, *, what: str = "text", limit: int = MAX_TEXT_CHARACTERS) -> str:
    if not isinstance(text, str):
        raise BadText(f"the {what} must be text")
    text = text.strip()
    if not text:
        raise BadText(f"the {what} is empty")
    if len(text) > limit:
        raise BadText(f"the {what} is longer than {limit} characters")
    problem = text_problem(text)
    if problem:
        raise BadText(f"the {what} {problem}")
    return text

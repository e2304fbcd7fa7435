"""Checks on what members type into proposals and comments: a clear reason instead of a bad row."""

from townsquare.community.errors import CommunityError

TITLE_LIMIT = 200
RULE_TEXT_LIMIT = 10_000
RATIONALE_LIMIT = 10_000
COMMENT_LIMIT = 10_000


def checked(value, *, field: str, minimum: int = 1, limit: int) -> str:
    if not isinstance(value, str):
        raise CommunityError(f"{field} must be text")
    value = value.replace("\x00", "").strip()
    if len(value) < minimum:
        raise CommunityError(f"{field} must have at least {minimum} characters")
    if len(value) > limit:
        raise CommunityError(f"{field} may have at most {limit} characters")
    return value

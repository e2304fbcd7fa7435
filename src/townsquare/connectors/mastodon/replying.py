"""What a reply status looks like: its visibility, the mention of the customer, its length.

A reply has the visibility of the status it answers, so a conversation never becomes more public
than the customer made it: public → public, unlisted → unlisted, followers-only → followers-only,
and a direct message is answered directly. A status whose visibility is unknown is answered
directly too: never more public than we can be sure of.
"""

import re

from townsquare.connectors.base import Outgoing, PermanentError
from townsquare.connectors.mastodon.mapping import VISIBILITIES

DEFAULT_MAX_CHARACTERS = 500
# Mastodon counts every link as 23 characters and a mention by its local part (@user, not the domain).
URL_LENGTH = 23
URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w/])@(\w+(?:[.\-]+\w+)*)@[\w.\-]+\w", re.UNICODE)


def reply_visibility(parent_raw: dict) -> str:
    visibility = parent_raw.get("visibility") if isinstance(parent_raw, dict) else None
    return visibility if visibility in VISIBILITIES else "direct"


def answered_handle(outgoing: Outgoing) -> str:
    account = outgoing.parent_raw.get("account") if isinstance(outgoing.parent_raw, dict) else None
    handle = account.get("acct") if isinstance(account, dict) else ""
    handle = (handle or outgoing.recipient_handle or "").strip()
    if handle and not handle.startswith("@"):
        handle = f"@{handle}"
    return handle


def mentions(text: str, handle: str) -> bool:
    """Whether the text already mentions `handle` in full (@user@host: a bare @user may be someone else)."""
    if not handle:
        return True
    pattern = rf"(?<![\w/@]){re.escape(handle)}(?![\w@.\-]*\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def status_text(outgoing: Outgoing) -> str:
    """The reply's text, starting with the customer's handle unless it already names them."""
    text = outgoing.text.strip()
    handle = answered_handle(outgoing)
    if handle and not mentions(text, handle):
        text = f"{handle} {text}"
    return text


def counted_length(text: str) -> int:
    """The length Mastodon checks against its limit."""
    counted = URL.sub("x" * URL_LENGTH, text)
    counted = MENTION.sub(lambda match: f"@{match.group(1)}", counted)
    return len(counted)


def check_length(text: str, limit: int) -> None:
    length = counted_length(text)
    if length > limit:
        raise PermanentError(
            f"the reply is {length} characters as Mastodon counts them (with the mention); "
            f"the instance allows {limit}: shorten it"
        )

"""Reply addresses that name a conversation: "support+c42-1a2b3c4d5e@shop.example".

Replies go out with such a Reply-To, so an answer finds its conversation even when the customer's
client dropped every threading header, or when it answers a chat by email. The token is a short
HMAC of the conversation id under SECRET_KEY: nobody can guess one to write into another
customer's conversation. Lowercase hex, because mail servers may lowercase local parts.
"""

import re

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "townsquare.email.reply-token"
SIGNATURE_LENGTH = 10
_TOKEN = re.compile(r"\+c(\d{1,18})-([0-9a-f]{" + str(SIGNATURE_LENGTH) + "})$")


def signature(conversation_id: int) -> str:
    return salted_hmac(SALT, str(conversation_id), algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def reply_address(channel, conversation_id: int) -> str:
    """The channel's address with the conversation's token in its local part."""
    address = str((channel.settings or {}).get("address") or "").strip()
    if "@" not in address:
        raise ValueError(f"channel {channel.name!r} has no email address set")
    local, domain = address.rsplit("@", 1)
    local = local.split("+", 1)[0]
    return f"{local}+c{conversation_id}-{signature(conversation_id)}@{domain}"


def conversation_from_address(channel, address: str) -> int | None:
    """The conversation id a reply address names, when its token is genuine; else None."""
    local = (address or "").strip().strip("<>").rsplit("@", 1)[0].lower()
    found = _TOKEN.search(local)
    if found is None:
        return None
    conversation_id = int(found.group(1))
    if not constant_time_compare(found.group(2), signature(conversation_id)):
        return None
    return conversation_id

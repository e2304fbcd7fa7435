"""Sending email from a channel over SMTP, with the headers that keep the customer's thread together.

`send_email` is the one way mail leaves an email channel: agent replies (EmailConnector.send), the
live chat's offline answers, automatic mail. The Message-ID is chosen by the caller when it must be
stable (a retried reply keeps its Message-ID, so a customer never sees two different copies).
"""

import re
import smtplib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from townsquare.connectors.base import PermanentError
from townsquare.connectors.email.smtp_config import smtp_config, valid_address
from townsquare.connectors.email.smtp_session import as_connector_error, smtp_session

# References keep the thread's first message and the newest ones (RFC 5322 §3.6.4 allows trimming);
# clients that trim to ten still find the thread, and the header stays short.
MAX_REFERENCES = 20
MAX_SUBJECT = 250
MESSAGE_ID = re.compile(r"^[^\s<>@]+@[^\s<>@]+$")


def bare_id(value) -> str | None:
    """A Message-ID without angle brackets, or None when it is not one (no header injection)."""
    if not isinstance(value, str):
        return None
    value = value.strip().removeprefix("<").removesuffix(">").strip()
    return value if MESSAGE_ID.match(value) and len(value) <= 500 else None


def trimmed_references(references, in_reply_to: str | None) -> list[str]:
    """The thread's ids, oldest first, each once, ending with the message answered; at most MAX_REFERENCES."""
    ids: list[str] = []
    for value in [*references, in_reply_to]:
        bare = bare_id(value)
        if bare and bare not in ids:
            ids.append(bare)
    if len(ids) > MAX_REFERENCES:
        ids = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
    return ids


def one_line(text: str, limit: int) -> str:
    return " ".join(str(text or "").replace("\x00", "").split())[:limit]


def send_email(
    channel,
    *,
    to: str,
    subject: str,
    text: str,
    in_reply_to: str | None = None,
    references=(),
    message_id: str | None = None,
    reply_to: str | None = None,
    auto_submitted: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> str:
    """Send one plain-text email through the channel's SMTP server; returns its Message-ID (no brackets).

    Raises TransientError (worth retrying) or PermanentError (with the server's reason), and
    ConfigInvalid when the channel's SMTP settings are unusable.
    """
    from townsquare.connectors.secrets import channel_secrets

    config = smtp_config(dict(channel.settings or {}), channel_secrets(channel))
    recipient = valid_address(to)
    if recipient is None:
        raise PermanentError(f"{str(to)[:100]!r} is not an email address to send to")
    message_id = bare_id(message_id) or make_msgid(domain=config.domain)[1:-1]
    message = EmailMessage(policy=SMTP)
    message["From"] = config.sender
    message["To"] = recipient
    message["Subject"] = one_line(subject, MAX_SUBJECT) or "(no subject)"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = f"<{message_id}>"
    parent = bare_id(in_reply_to)
    if parent:
        message["In-Reply-To"] = f"<{parent}>"
    thread = trimmed_references(references, parent)
    if thread:
        message["References"] = " ".join(f"<{ref}>" for ref in thread)
    message["Reply-To"] = valid_address(reply_to) or config.from_address
    if auto_submitted:
        message["Auto-Submitted"] = one_line(auto_submitted, 40)
    for name, value in (extra_headers or {}).items():
        message[name] = one_line(value, 200)
    message.set_content(text.replace("\x00", ""))
    with smtp_session(config) as client:
        try:
            client.send_message(message, from_addr=config.from_address, to_addrs=[recipient])
        except (smtplib.SMTPException, OSError) as exc:
            raise as_connector_error(exc, config) from exc
    return message_id

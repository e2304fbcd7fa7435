"""Raw RFC 5322 bytes -> ParsedEmail: headers, the text a person wrote, attachments.

The stdlib parser (`policy.default`) reads the message; headers it cannot read fall back to
plain RFC 2047 decoding, bodies are decoded by `decoding` (any charset, never fails). What
cannot be a customer's email raises `Malformed` with the reason shown to people: no headers,
a multipart without its boundary, a text body that is not valid base64, over the size limit.
A missing sender is not decided here: a bounce may come from nobody (see autoreply.py).
"""

import email
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import errors, policy
from email.message import EmailMessage

from townsquare.connectors.email.decoding import clean_text, decode_bytes, decode_header_value
from townsquare.connectors.email.html_text import html_to_text

# Defects that leave no reliable way to find the parts of a multipart message.
BROKEN_STRUCTURE = (
    errors.NoBoundaryInMultipartDefect,
    errors.StartBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
)
BROKEN_BASE64 = (errors.InvalidBase64CharactersDefect, errors.InvalidBase64LengthDefect)
# Headers read with the modern parser (words in any charset, addresses); others are read raw.
PARSED_HEADERS = {"subject", "from", "sender", "to", "cc", "reply-to", "delivered-to", "x-original-to"}
_UNFOLD = re.compile(r"\r?\n[ \t]+")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")  # RFC 5322 field name, then a colon


class Malformed(ValueError):  # noqa: N818  (reads as "raise Malformed(reason)")
    """Not a message we can store; `summary` names what could be read (sender, subject)."""

    def __init__(self, reason: str, summary: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.summary = summary


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ParsedEmail:
    message: EmailMessage = field(repr=False)
    message_id: str  # without angle brackets; "" when the message has none
    in_reply_to: str
    references: list[str]
    from_name: str
    from_address: str  # lowercased; "" when there is no usable sender
    to: list[str]
    cc: list[str]
    delivered_to: list[str]
    reply_to: str  # where the customer wants answers ("" : to the sender)
    subject: str
    date: datetime
    text: str  # the whole body as text (quotes and signature still in)
    html: bool  # the text came from an HTML part
    attachments: list[Attachment]
    thread_index: str = ""  # Outlook's Thread-Index, base64

    def header(self, name: str) -> str:
        return header_text(self.message, name)

    def summary(self) -> str:
        return email_summary(self.from_address, self.subject, self.message_id)


def parse_email(raw: bytes, *, received_at: datetime, max_bytes: int) -> ParsedEmail:
    """Parse `raw`; raise Malformed saying why it cannot be a message."""
    try:
        return _parse(raw, received_at, max_bytes)
    except RecursionError:
        raise Malformed("MIME parts are nested too deeply") from None


def _parse(raw: bytes, received_at: datetime, max_bytes: int) -> ParsedEmail:
    if len(raw) > max_bytes:
        raise Malformed(f"the message is {len(raw):,} bytes, over the limit of {max_bytes:,} bytes")
    if not raw.strip():
        raise Malformed("the message is empty")
    if not _HEADER_LINE.match(raw.lstrip(b"\r\n")):
        raise Malformed("not an email message: it does not start with a header")
    message = email.message_from_bytes(raw, policy=policy.default)
    from_name, from_address = sender(message)
    subject = header_text(message, "Subject")
    message_id = first_message_id(header_text(message, "Message-ID"))
    summary = email_summary(from_address, subject, message_id)
    broken = [d for part in message.walk() for d in part.defects if isinstance(d, BROKEN_STRUCTURE)]
    if broken:
        raise Malformed(f"broken MIME structure: {_describe(broken[0])}", summary)
    body, attachments = _body_and_attachments(message, summary)
    text, is_html = body
    return ParsedEmail(
        message=message,
        message_id=message_id,
        in_reply_to=first_message_id(header_text(message, "In-Reply-To")),
        references=message_ids(header_text(message, "References")),
        from_name=from_name,
        from_address=from_address,
        to=addresses(message, "To"),
        cc=addresses(message, "Cc"),
        delivered_to=addresses(message, "Delivered-To") + addresses(message, "X-Original-To"),
        reply_to=next(iter(addresses(message, "Reply-To")), ""),
        subject=subject,
        date=written_at(header_text(message, "Date"), received_at),
        text=text,
        html=is_html,
        attachments=attachments,
        thread_index=header_text(message, "Thread-Index").strip(),
    )


def header_text(message: EmailMessage, name: str) -> str:
    """One header as text ("" when absent), even when the modern parser chokes on it.

    Only headers people write words in go through the modern parser (RFC 2047 words, addresses);
    ids and flags are read raw: parsing a References header of 200 ids cost most of a message's time.
    """
    if name.lower() in PARSED_HEADERS:
        try:
            value = message.get(name)
            return "" if value is None else clean_text(str(value)).strip()
        except Exception:  # noqa: BLE001, S110  (malformed headers raise many kinds of errors: read it raw)
            pass
    for key, raw_value in message.raw_items():
        if key.lower() == name.lower():
            return decode_header_value(_UNFOLD.sub(" ", str(raw_value))).strip()
    return ""


def sender(message: EmailMessage) -> tuple[str, str]:
    """(display name, lowercased address) of From, falling back to Sender; ("", "") without one."""
    for name in ("From", "Sender"):
        found = _addresses(message, name)
        if found:
            return found[0]
    return "", ""


def addresses(message: EmailMessage, name: str) -> list[str]:
    return [address for _, address in _addresses(message, name)]


def _addresses(message: EmailMessage, name: str) -> list[tuple[str, str]]:
    found = []
    try:
        values = message.get_all(name) or []
        for value in values:
            for item in getattr(value, "addresses", ()):
                found.append((clean_text(item.display_name or ""), clean_text(item.addr_spec or "")))
    except Exception:  # noqa: BLE001
        found = []
    if not found:
        value = header_text(message, name)
        found = email.utils.getaddresses([value]) if value else []
    return [(display.strip(), address.strip().lower()) for display, address in found if "@" in address]


def first_message_id(value: str) -> str:
    ids = message_ids(value)
    if ids:
        return ids[0]
    bare = value.strip().strip("<>").strip()
    return bare if bare and " " not in bare and len(bare) <= 180 else ""


def message_ids(value: str) -> list[str]:
    """The <…> ids in a References / In-Reply-To header, in order, without brackets."""
    return [found for found in _MESSAGE_ID.findall(value or "") if len(found) <= 180]


def written_at(value: str, received_at: datetime) -> datetime:
    """The Date header in UTC; the received time when it is missing, unreadable or in the future."""
    try:
        moment = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        moment = None
    if moment is None:
        return received_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return received_at if moment > received_at + timedelta(days=1) or moment.year < 1980 else moment


def email_summary(from_address: str, subject: str, message_id: str) -> str:
    parts = [f"from {from_address or 'unknown sender'}"]
    if subject:
        parts.append(f"subject {subject[:200]!r}")
    if message_id:
        parts.append(f"Message-ID <{message_id[:180]}>")
    return ", ".join(parts)[:500]


def _describe(defect: errors.MessageDefect) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(defect).__name__.removesuffix("Defect")).lower()
    return words


def _body_and_attachments(message: EmailMessage, summary: str) -> tuple[tuple[str, bool], list[Attachment]]:
    body_part = _body_part(message)
    attachments = []
    for part in _leaves(message):
        if part is body_part:
            continue
        if part.get_content_maintype() == "text" and not _is_attachment(part) and body_part is not None:
            # A second text body (an alternative or a later text part) is not an attachment.
            continue
        attachments.append(_attachment(part, len(attachments) + 1))
    if body_part is None:
        return ("", False), attachments
    return (_part_text(body_part, summary), body_part.get_content_subtype() == "html"), attachments


def _leaves(part):
    """The non-multipart parts, in order; a forwarded message (message/rfc822) is one leaf."""
    if part.get_content_type() == "message/rfc822":
        yield part
    elif part.is_multipart():
        for child in part.iter_parts():
            yield from _leaves(child)
    else:
        yield part


def _body_part(message: EmailMessage):
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        part = None
    if part is not None and not _is_attachment(part):
        return part
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html") and not _is_attachment(part):
            return part
    return None


def _is_attachment(part) -> bool:
    try:
        return part.get_content_disposition() == "attachment"
    except Exception:  # noqa: BLE001
        return False


def _part_text(part, summary: str) -> str:
    data = part.get_payload(decode=True) or b""
    if any(isinstance(d, BROKEN_BASE64) for d in part.defects):
        raise Malformed("the text body is not valid base64", summary)
    text = decode_bytes(data, part.get_param("charset"))
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def _attachment(part, number: int) -> Attachment:
    try:
        filename = part.get_filename() or ""
    except Exception:  # noqa: BLE001
        filename = ""
    filename = clean_text(decode_header_value(filename)).replace("/", "_").replace("\\", "_").strip()
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        try:
            data = inner[0].as_bytes() if isinstance(inner, list) and inner else b""
        except Exception:  # noqa: BLE001  (a broken forwarded message: keep what it was sent as)
            data = (
                inner[0].as_string().encode("utf-8", "replace") if isinstance(inner, list) and inner else b""
            )
        filename = filename or f"forwarded-{number}.eml"
    else:
        data = part.get_payload(decode=True) or b""
    return Attachment(
        filename=(filename or f"attachment-{number}")[:200],
        content_type=part.get_content_type(),
        data=data,
        inline=part.get_content_disposition() == "inline",
    )

"""Mastodon notifications → normalized inbound messages.

A status's `content` is HTML written by a remote server: it is turned into plain text with a
parser (never shown as HTML), keeping line breaks, link targets and mentions. A content warning
(`spoiler_text`) is kept in front of the text, so the agent sees what the author hid behind it.
The raw payload keeps what a reply needs: the status id, its visibility and the author's handle.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from townsquare.inbox.ingest.normalized import (
    InboundMessage,
    RejectError,
    check_id,
    check_text,
    parse_iso_datetime,
    unstorable_reason,
)

VISIBILITIES = ("public", "unlisted", "private", "direct")
# Elements whose content is never text (a remote server should not send them; be safe anyway).
SKIPPED_ELEMENTS = {"script", "style", "template", "head", "title"}
BLOCK_ELEMENTS = {"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
MAX_MEDIA = 20


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of a status's HTML content: paragraphs as blank lines, <br> as line breaks."""
    if not html:
        return ""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\r\n", "\n").replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def qualified_handle(acct: str, instance_host: str, account_url: str = "") -> str:
    """`user@other` → `@user@other`; `user` (an account on the brand's own instance) → `@user@host`,
    with the host of the account's profile URL (the instance's public name) when there is one."""
    acct = (acct or "").strip().lstrip("@")
    if not acct:
        return ""
    if "@" in acct:
        return f"@{acct}"
    host = urlsplit(account_url).hostname if isinstance(account_url, str) and account_url else None
    return f"@{acct}@{host or instance_host}"


def _media(status: dict) -> list[dict]:
    media = []
    for item in (status.get("media_attachments") or [])[:MAX_MEDIA]:
        if isinstance(item, dict):
            media.append(
                {
                    key: item.get(key)
                    for key in ("id", "type", "url", "remote_url", "preview_url", "description")
                    if item.get(key) is not None
                }
            )
    return media


def _media_lines(media: list[dict]) -> list[str]:
    lines = []
    for item in media:
        url = item.get("url") or item.get("remote_url") or ""
        description = f" — {item['description']}" if item.get("description") else ""
        lines.append(f"[{item.get('type') or 'attachment'}{description}] {url}".rstrip())
    return lines


def message_text(status: dict, media: list[dict]) -> str:
    body = html_to_text(status.get("content") or "")
    spoiler = (status.get("spoiler_text") or "").strip()
    parts = [f"CW: {spoiler}"] if spoiler else []
    if body:
        parts.append(body)
    lines = _media_lines(media)
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join(parts) or "(empty post)"


def notification_to_message(notification: dict, instance_host: str) -> InboundMessage:
    """One `mention` notification as an inbound message; RejectError says what is unusable."""
    if not isinstance(notification, dict):
        raise RejectError("a notification must be a JSON object")
    status = notification.get("status")
    if not isinstance(status, dict):
        raise RejectError("the notification has no status")
    account = status.get("account") or notification.get("account")
    if not isinstance(account, dict):
        raise RejectError("the status has no account")
    reason = unstorable_reason(status)
    if reason:
        raise RejectError(f"status {reason}")
    visibility = status.get("visibility")
    if visibility not in VISIBILITIES:
        raise RejectError(f"unknown visibility {visibility!r:.40}")
    media = _media(status)
    handle = qualified_handle(
        str(account.get("acct") or account.get("username") or ""), instance_host, account.get("url") or ""
    )
    raw = {
        "notification_id": str(notification.get("id") or ""),
        "status_id": str(status.get("id") or ""),
        "url": status.get("url") or status.get("uri") or "",
        "uri": status.get("uri") or "",
        "visibility": visibility,
        "spoiler_text": status.get("spoiler_text") or "",
        "sensitive": bool(status.get("sensitive")),
        "language": status.get("language") or "",
        "in_reply_to_id": status.get("in_reply_to_id"),
        "in_reply_to_account_id": status.get("in_reply_to_account_id"),
        "account": {
            "id": str(account.get("id") or ""),
            "acct": handle,
            "display_name": account.get("display_name") or "",
            "url": account.get("url") or "",
        },
        "mentions": [m.get("acct") for m in status.get("mentions") or [] if isinstance(m, dict)],
        "media": media,
        "content_html": status.get("content") or "",
    }
    return InboundMessage(
        external_id=check_id(status.get("id"), "status id"),
        author_id=check_id(account.get("id"), "account id"),
        author_handle=handle[:200],
        author_name=str(account.get("display_name") or account.get("username") or "")[:200],
        text=check_text(message_text(status, media)),
        created_at=parse_iso_datetime(status.get("created_at")),
        parent_external_id=check_id(status.get("in_reply_to_id"), "in_reply_to_id", required=False),
        raw=raw,
    )

"""Files a chat visitor sends: type by content (magic bytes), size limits, stored once per content."""

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townsquare.livechat.frames import attachment_frame
from townsquare.livechat.ingest import Ingested, store_chat_message
from townsquare.livechat.limits import limit
from townsquare.livechat.models import ChatAttachment, ChatSession

DEFAULT_UPLOAD_TYPES = ("png", "jpeg", "gif", "webp", "pdf", "txt")
# Short name -> content type; a channel's `upload_types` may use either.
CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "txt": "text/plain",
}
ALIASES = {"jpg": "jpeg", "text": "txt"}
CHUNK = 64 * 1024
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


class UploadRejected(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Uploaded:
    ingested: Ingested
    attachment: dict


def allowed_types(channel_settings: dict) -> list[str]:
    """The channel's allowed kinds as content types (unknown names are ignored)."""
    configured = channel_settings.get("upload_types") or list(DEFAULT_UPLOAD_TYPES)
    if isinstance(configured, str):
        configured = configured.replace(",", " ").split()
    found = []
    for item in configured:
        if not isinstance(item, str):
            continue
        item = item.strip().lower()
        short = ALIASES.get(item, item)
        content_type = CONTENT_TYPES.get(short) or (item if item in CONTENT_TYPES.values() else None)
        if content_type and content_type not in found:
            found.append(content_type)
    return found


def max_upload_bytes(channel_settings: dict) -> int:
    ceiling = limit("LIVECHAT_MAX_UPLOAD_BYTES")
    configured = channel_settings.get("max_upload_bytes")
    if isinstance(configured, int) and not isinstance(configured, bool) and 0 < configured < ceiling:
        return configured
    return ceiling


def sniff(head: bytes, read_all) -> str | None:
    """The content type the bytes really are, whatever the browser declared."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if _is_text(read_all()):
        return "text/plain"
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch in "\n\r\t" or unicodedata.category(ch) != "Cc" for ch in text[:CHUNK])


def readable_size(size: int) -> str:
    """10485760 -> "10 MB", 2048 -> "2 KB", 500 -> "500 bytes" (whole units, rounded down)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def clean_name(name: str) -> str:
    return UNSAFE_NAME.sub("_", os.path.basename(name or "").strip())[:200] or "file"


def save_upload(session: ChatSession, upload, *, client_id: str, text: str) -> Uploaded:
    """Check, keep and announce one file: a chat message "📎 name" with the attachment linked."""
    channel_settings = session.channel.settings or {}
    largest = max_upload_bytes(channel_settings)
    if upload.size > largest:
        raise UploadRejected(413, f"the file is over the {readable_size(largest)} limit")
    if upload.size == 0:
        raise UploadRejected(400, "the file is empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head, lambda: _read_all(upload))
    if content_type is None or content_type not in allowed_types(channel_settings):
        raise UploadRejected(415, "this kind of file is not accepted here")
    digest, relative = _keep(upload)
    name = clean_name(upload.name)
    with transaction.atomic():
        message_text = f"📎 {name}" + (f"\n{text}" if text else "")
        ingested = store_chat_message(
            session.pk, message_text, client_id, raw_extra={"attachment": {"name": name, "sha256": digest}}
        )
        attachment = ChatAttachment.objects.filter(message_id=ingested.message_id).first()
        if attachment is None:
            attachment = ChatAttachment.objects.create(
                session=session,
                message_id=ingested.message_id,
                path=relative,
                original_name=name,
                content_type=content_type,
                size=upload.size,
                sha256=digest,
            )
        frame = attachment_frame(attachment, session.channel_id)
        if ingested.stored is not None:
            ingested.stored.attachments = [frame]
    return Uploaded(ingested, frame)


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _keep(upload) -> tuple[str, str]:
    """Write the file under DATA_DIR/uploads/livechat/<yyyy>/<mm>/<sha256> (once per content)."""
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        sha.update(chunk)
    digest = sha.hexdigest()
    now = timezone.now()
    relative = f"uploads/livechat/{now:%Y}/{now:%m}/{digest}"
    target = Path(settings.DATA_DIR) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        upload.seek(0)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            for chunk in upload.chunks(CHUNK):
                handle.write(chunk)
        os.replace(handle.name, target)
    return digest, relative


def attachment_path(attachment: ChatAttachment) -> Path:
    root = (Path(settings.DATA_DIR) / "uploads" / "livechat").resolve()
    path = (Path(settings.DATA_DIR) / attachment.path).resolve()
    if root not in path.parents:
        raise FileNotFoundError(attachment.path)
    return path

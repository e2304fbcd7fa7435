"""Email attachments on disk: DATA_DIR/uploads/email/<sha256>, named by their content.

Content addressing makes a re-delivered message (or the same file sent twice) cost no extra
space, and a name never comes from the sender, so no path can escape the folder.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings

from townsquare.connectors.email.parse import Attachment

FOLDER = Path("uploads") / "email"


def save_attachments(attachments: list[Attachment]) -> list[dict]:
    """Write each attachment's bytes once; return the metadata kept in the message's raw payload."""
    folder = Path(settings.DATA_DIR) / FOLDER
    saved = []
    for attachment in attachments:
        digest = attachment.sha256
        target = folder / digest
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, attachment.data)
        saved.append(
            {
                "name": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": digest,
                "path": str(FOLDER / digest),
                "inline": attachment.inline,
            }
        )
    return saved


def _write_atomically(target: Path, data: bytes) -> None:
    """Readers never see half a file: write a temporary file, then rename it into place."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Mail that cannot be stored is kept byte for byte with the reason, for people to inspect."""

import hashlib

from django.db import transaction

from townsquare.connectors.models import RejectedInbound
from townsquare.events.log import record
from townsquare.inbox.ingest.store import count_rejected


def reject_email(
    channel, raw: bytes, reason: str, summary: str = "", *, size: int | None = None
) -> RejectedInbound:
    """Keep `raw` as a RejectedInbound row, count it on the channel, write `email.rejected`.
    `size`: the message's real size when only its start is kept (an oversized one)."""
    digest = hashlib.sha256(raw).hexdigest()
    size = len(raw) if size is None else size
    with transaction.atomic():
        rejected = RejectedInbound.objects.create(
            channel=channel,
            reason=reason[:2000],
            summary=summary[:500],
            raw=raw,
            size=size,
            sha256=digest,
        )
        if channel is not None:
            count_rejected(channel, 1)
        record(
            "email.rejected",
            channel_id=getattr(channel, "pk", None),
            data={"rejected_id": rejected.pk, "reason": reason[:500], "size": size, "sha256": digest},
        )
    return rejected

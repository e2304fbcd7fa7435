"""Handing rejected input (kept byte for byte) back to an admin as a download."""

from django.http import HttpResponse

from townsquare.connectors.models import RejectedInbound
from townsquare.inbox.models import ChannelKind


def raw_download(rejected: RejectedInbound) -> HttpResponse:
    """The bytes as they came, as an attachment: never rendered inline by the browser."""
    response = HttpResponse(bytes(rejected.raw), content_type="application/octet-stream")
    suffix = ".eml" if rejected.channel is not None and rejected.channel.kind == ChannelKind.EMAIL else ".bin"
    response["Content-Disposition"] = f'attachment; filename="rejected-{rejected.pk}{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response

"""Asking an email customer for their CSAT score: the survey link goes to them by email, in their thread.

Automatic mail: `Auto-Submitted: auto-generated` (RFC 3834), so the customer's out-of-office never
answers it and Townsquare's own inbound path would not make work of an echo either.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac

from townsquare.connectors.base import ConfigInvalid, PermanentError
from townsquare.connectors.email.outbound import bare_id, send_email
from townsquare.connectors.email.smtp_config import smtp_config, valid_address
from townsquare.connectors.secrets import channel_secrets
from townsquare.events.log import record
from townsquare.inbox.models import ChannelKind, Direction, Message
from townsquare.replies.csat import survey_path
from townsquare.replies.models import CsatSurvey
from townsquare.tasks import reliable_task

logger = logging.getLogger(__name__)
SURVEY_TEXT = (
    "Hello{name},\n\nyour request is resolved. How did we do? One click tells us (1 to 5):\n\n{link}\n\n"
    "Thank you!\n"
)


def customers_last_email(conversation_id: int) -> Message | None:
    """The newest message the customer wrote by email in this conversation."""
    return (
        Message.objects.filter(
            conversation_id=conversation_id, direction=Direction.INBOUND, channel__kind=ChannelKind.EMAIL
        )
        .select_related("channel", "author")
        .order_by("-created_at", "-id")
        .first()
    )


def email_survey_after_commit(survey: CsatSurvey) -> None:
    """Call where the survey is requested: customers who wrote by email get it by email."""
    if Message.objects.filter(
        conversation_id=survey.conversation_id, direction=Direction.INBOUND, channel__kind=ChannelKind.EMAIL
    ).exists():
        transaction.on_commit(lambda: send_survey_email_task.enqueue(survey.pk))


# A refused address or unusable settings will not get better; a busy server will.
@reliable_task(max_attempts=4, give_up_on=(PermanentError, ConfigInvalid))
def send_survey_email_task(survey_id: int) -> str:
    return send_survey_email(survey_id)


def send_survey_email(survey_id: int) -> str:
    """Send the survey link; raises TransientError so the task retries, returns why nothing was sent."""
    survey = CsatSurvey.objects.filter(pk=survey_id, answered_at__isnull=True).first()
    last = customers_last_email(survey.conversation_id) if survey else None
    if last is None:
        return "nothing to send"
    raw = last.raw if isinstance(last.raw, dict) else {}
    to = valid_address(raw.get("reply_to") or "") or valid_address(
        last.author.email or last.author.external_id
    )
    if to is None or not last.channel.settings.get("smtp_host"):
        return "no address or no SMTP server"
    domain = smtp_config(last.channel.settings, channel_secrets(last.channel)).domain
    stamp = f"{survey.pk}.{survey.requested_at.timestamp():.0f}"
    digest = salted_hmac("townsquare.csat.message-id", stamp, algorithm="sha256").hexdigest()[:12]
    name = f" {last.author.display_name.split()[0]}" if last.author.display_name.strip() else ""
    subject = " ".join(str(raw.get("subject") or "").split())
    message_id = send_email(
        last.channel,
        to=to,
        subject=f"How did we do? {subject}".strip() if subject else "How did we do?",
        text=SURVEY_TEXT.format(name=name, link=settings.SITE_URL.rstrip("/") + survey_path(survey)),
        in_reply_to=bare_id(raw.get("message_id")) or bare_id(last.external_id),
        references=[ref for ref in raw.get("references") or [] if isinstance(ref, str)],
        message_id=f"townsquare-csat-{stamp}.{digest}@{domain}",
        reply_to=_reply_address(last.channel, survey.conversation_id),
        auto_submitted="auto-generated",
    )
    record(
        "csat.emailed",
        channel_id=last.channel_id,
        conversation_id=survey.conversation_id,
        data={"survey_id": survey.pk, "message_id": message_id},
    )
    return "sent"


def _reply_address(channel, conversation_id: int) -> str | None:
    """An answer to the survey mail comes back to the conversation even if the client drops headers."""
    from townsquare.connectors.email.reply_token import reply_address

    try:
        return reply_address(channel, conversation_id)
    except ValueError:
        return None

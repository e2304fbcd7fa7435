"""Email channels: inbound by SMTP/LMTP or `townsquare ingest-email`, replies by SMTP."""

import smtplib

from django.utils import timezone
from django.utils.crypto import salted_hmac

from townsquare.connectors.base import (
    ConfigInvalid,
    Connector,
    ConnectorError,
    HealthReport,
    Outgoing,
    PermanentError,
    Sent,
    Setting,
)
from townsquare.connectors.email.outbound import bare_id, send_email
from townsquare.connectors.email.smtp_config import SECURITY_CHOICES, smtp_config, valid_address
from townsquare.connectors.email.smtp_session import as_connector_error, smtp_session
from townsquare.connectors.registry import register

# Inbound (connectors/email/inbound.py): mail to the address, an alias, or address+anything@ lands here.
INBOUND_SETTINGS = (
    Setting(
        "address",
        "Address",
        required=True,
        kind="email",
        help="where customers write, e.g. support@shop.example",
    ),
    Setting(
        "aliases", "Other addresses", kind="list", default=[], help="more addresses delivered to this channel"
    ),
    Setting("max_bytes", "Largest message (bytes)", kind="int", help="bigger mail is refused; default 25 MB"),
)
OUTBOUND_SETTINGS = (
    Setting("from_address", "From address", kind="email", help="replies come from it (default: the address)"),
    Setting("from_name", "From name", help="shown to customers, e.g. “Acme Support”"),
    Setting("smtp_host", "SMTP server", help="host name of the server that sends replies"),
    Setting("smtp_port", "SMTP port", kind="int", help="default 587 for starttls, 465 for ssl, 25 for none"),
    Setting("smtp_security", "SMTP security", default="starttls", help=" | ".join(SECURITY_CHOICES)),
    Setting("smtp_username", "SMTP user name", help="leave empty when the server takes mail without login"),
    Setting("smtp_password", "SMTP password", secret=True, kind="password"),
    Setting("smtp_timeout", "SMTP timeout (seconds)", kind="int", default=30),
)


def reply_subject(subject: str) -> str:
    """ "Re: " + the customer's subject, never "Re: Re:" (any case, also "RE:" and "Re[2]:")."""
    subject = " ".join((subject or "").split())
    lowered = subject.lower()
    if lowered.startswith("re:") or lowered.startswith("re["):
        return subject
    return f"Re: {subject}" if subject else "Re: your message"


@register("email")
class EmailConnector(Connector):
    kind = "email"
    label = "Email"
    can_send = True
    settings_schema = INBOUND_SETTINGS + OUTBOUND_SETTINGS

    def validate(self) -> None:
        super().validate()
        if self.settings.get("smtp_host"):
            smtp_config(self.settings, self.secrets)  # raises ConfigInvalid naming the bad settings
        self._refuse_addresses_taken()

    def _refuse_addresses_taken(self) -> None:
        """Mail to an address reaches one channel only: another channel's address is refused here,
        not silently routed to the older channel."""
        from townsquare.connectors.email.recipients import address_book, addresses_in, normalized

        book = address_book()
        taken = [a for a in addresses_in(self.settings) if a in book and book[a].pk != self.channel.pk]
        if taken:
            owner = book[taken[0]]
            field = "address" if taken[0] == normalized(self.settings.get("address") or "") else "aliases"
            raise ConfigInvalid(
                f"{taken[0]} already reaches the email channel {owner.name!r}",
                {field: f"{taken[0]} is taken by the channel {owner.name!r}"},
            )

    def send(self, outgoing: Outgoing) -> Sent:
        raw = outgoing.parent_raw or {}
        to = self._recipient(outgoing, raw)
        subject = reply_subject(str(raw.get("subject") or self._conversation_subject(outgoing)))
        message_id = send_email(
            self.channel,
            to=to,
            subject=subject,
            text=outgoing.text,
            in_reply_to=bare_id(raw.get("message_id")) or bare_id(outgoing.parent_external_id),
            references=_references(raw.get("references")),
            message_id=self._message_id(outgoing),
            reply_to=self._reply_address(outgoing.conversation_id),
            extra_headers={"X-Townsquare-Reply": str(outgoing.reply_id)},
        )
        return Sent(external_id=message_id, raw={"message_id": message_id, "to": to, "subject": subject})

    def check(self) -> HealthReport:
        """Connect, EHLO, STARTTLS and log in as configured, then NOOP: what a delivery would need."""
        try:
            config = smtp_config(self.settings, self.secrets)
            with smtp_session(config) as client:
                try:
                    code, said = client.noop()
                except (smtplib.SMTPException, OSError) as exc:
                    raise as_connector_error(exc, config) from exc
                if code != 250:
                    raise as_connector_error(smtplib.SMTPResponseException(code, said), config)
        except ConnectorError as exc:
            return HealthReport(ok=False, detail=str(exc), checked_at=timezone.now())
        login = f" and the login as {config.username}" if config.username else ""
        return HealthReport(
            ok=True,
            detail=f"{config.host}:{config.port} ({config.security}) accepted the connection{login}",
            checked_at=timezone.now(),
        )

    def _recipient(self, outgoing: Outgoing, raw: dict) -> str:
        # The customer's Reply-To wins, as in any mail client; then the address they wrote from.
        for candidate in (raw.get("reply_to"), outgoing.recipient_email, outgoing.recipient_external_id):
            address = valid_address(candidate) if candidate else None
            if address:
                return address
        raise PermanentError("the customer has no email address to answer")

    def _message_id(self, outgoing: Outgoing) -> str:
        """Stable per reply (a retry sends the same Message-ID), unguessable, on the sender's domain."""
        domain = smtp_config(self.settings, self.secrets).domain
        key = outgoing.idempotency_key or f"townsquare-reply-{outgoing.reply_id}"
        digest = salted_hmac("townsquare.email.message-id", f"{self.channel.pk}:{key}", algorithm="sha256")
        digest = digest.hexdigest()[:12]
        return f"{key}.{digest}@{domain}"

    def _reply_address(self, conversation_id: int) -> str | None:
        try:
            from townsquare.connectors.email.reply_token import reply_address
        except ImportError:
            return None
        try:
            return reply_address(self.channel, conversation_id)
        except (LookupError, ValueError, ConfigInvalid):
            return None

    def _conversation_subject(self, outgoing: Outgoing) -> str:
        from townsquare.inbox.models import Conversation

        found = Conversation.objects.filter(pk=outgoing.conversation_id).values_list("subject", flat=True)
        return found.first() or ""


def _references(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("><", "> <").split()
    if not isinstance(value, list | tuple):
        return []
    return [ref for ref in value if isinstance(ref, str)]

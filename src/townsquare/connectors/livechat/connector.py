"""Live chat channels: the widget's WebSocket brings messages in; replies go to the open session.

A delivered reply is stored as the outbound message and published to the chat's sockets
(`realtime.publish.message_stored`, after commit). When the visitor has no socket open and left
an email (offline form, or the host site's signed identity), the reply also goes by email through
the email channel named in `offline_email_channel`.
"""

from townsquare.connectors.base import (
    ConfigInvalid,
    Connector,
    HealthReport,
    Outgoing,
    PermanentError,
    Sent,
    Setting,
)
from townsquare.connectors.registry import register

AGENTS_ONLINE_MODES = ("always", "never", "auto")


@register("livechat")
class LiveChatConnector(Connector):
    kind = "livechat"
    label = "Live chat"
    can_send = True
    settings_schema = (
        Setting(
            "allowed_origins",
            "Allowed origins",
            kind="list",
            default=[],
            help="sites that may embed the chat, e.g. https://shop.example (* for any); this server always may",
        ),
        Setting("greeting", "Greeting", default="Hi! How can we help?", help="the first line visitors see"),
        Setting(
            "offline_email_channel",
            "Email channel for offline answers",
            help="name of the email channel that sends answers to visitors who left",
        ),
        Setting(
            "max_upload_bytes",
            "Largest upload (bytes)",
            kind="int",
            default=10 * 1024 * 1024,
            help="at most TOWNSQUARE_LIVECHAT_MAX_UPLOAD_BYTES",
        ),
        Setting(
            "upload_types",
            "Accepted files",
            kind="list",
            default=["png", "jpeg", "gif", "webp", "pdf", "txt"],
            help="png, jpeg, gif, webp, pdf, txt (checked by content, not by name)",
        ),
        Setting(
            "agents_online_mode",
            "Agents online",
            default="always",
            help="always | never (offline form only) | auto (while someone has the console open)",
        ),
    )

    def validate(self) -> None:
        super().validate()
        problems = {}
        mode = self.settings.get("agents_online_mode") or "always"
        if mode not in AGENTS_ONLINE_MODES:
            problems["agents_online_mode"] = f"one of {', '.join(AGENTS_ONLINE_MODES)}"
        problems.update(_origin_problems(self.settings.get("allowed_origins")))
        size = self.settings.get("max_upload_bytes")
        if size not in (None, "") and (isinstance(size, bool) or not isinstance(size, int) or size <= 0):
            problems["max_upload_bytes"] = "a positive number of bytes"
        types = self.settings.get("upload_types")
        if types not in (None, "", []):
            from townsquare.livechat.uploads import allowed_types

            if not allowed_types({"upload_types": types}):
                problems["upload_types"] = "none of png, jpeg, gif, webp, pdf, txt"
        offline = self.settings.get("offline_email_channel")
        if offline and self._email_channel(offline) is None:
            problems["offline_email_channel"] = f"no email channel named {offline!r}"
        if problems:
            raise ConfigInvalid("some settings are not valid", problems)

    def send(self, outgoing: Outgoing) -> Sent:
        sent = Sent(external_id=f"townsquare-reply-{outgoing.reply_id}", raw={"via": "socket"})
        session = self._latest_session(outgoing.conversation_id)
        from townsquare.livechat.presence import session_online

        if session is None or session_online(session) or not session.email:
            return sent
        message_id = self._send_by_email(outgoing, session.email)
        sent.raw = {"via": "email", "email_message_id": message_id}
        return sent

    def check(self) -> HealthReport:
        offline = self.settings.get("offline_email_channel")
        if not offline:
            return HealthReport(ok=True, detail="chat works; visitors who leave get no email answers")
        channel = self._email_channel(offline)
        if channel is None:
            return HealthReport(ok=False, detail=f"no email channel named {offline!r} for offline answers")
        from townsquare.connectors.registry import connector_for

        report = connector_for(channel).check()
        return HealthReport(ok=report.ok, detail=f"offline answers by {channel.name}: {report.detail}")

    def _latest_session(self, conversation_id: int):
        from townsquare.livechat.models import ChatSession

        return ChatSession.objects.filter(conversation_id=conversation_id).order_by("-last_seen_at").first()

    def _email_channel(self, name: str):
        from townsquare.inbox.models import Channel, ChannelKind

        return Channel.objects.filter(name=name, kind=ChannelKind.EMAIL, is_active=True).first()

    def _send_by_email(self, outgoing: Outgoing, address: str) -> str:
        name = self.settings.get("offline_email_channel")
        channel = self._email_channel(name) if name else None
        if channel is None:
            raise PermanentError(
                "the visitor left the chat and this live chat channel has no email channel for offline "
                "answers: set 'offline_email_channel' on the channel"
            )
        from townsquare.connectors.email.outbound import send_email

        try:
            message_id = _message_id(channel, outgoing)
        except ConfigInvalid as exc:
            raise PermanentError(
                f"the email channel {channel.name} cannot send offline answers: {exc}"
            ) from None
        return send_email(
            channel,
            to=address,
            subject=f"Re: your chat with {self.channel.name}",
            text=outgoing.text,
            message_id=message_id,
            reply_to=_reply_address(channel, outgoing.conversation_id),
            extra_headers={"X-Townsquare-Reply": str(outgoing.reply_id)},
        )


def _message_id(email_channel, outgoing: Outgoing) -> str:
    """Stable per reply, so a retried delivery sends the same Message-ID."""
    from django.utils.crypto import salted_hmac

    from townsquare.connectors.email.smtp_config import smtp_config
    from townsquare.connectors.secrets import channel_secrets

    domain = smtp_config(dict(email_channel.settings or {}), channel_secrets(email_channel)).domain
    key = outgoing.idempotency_key or f"townsquare-reply-{outgoing.reply_id}"
    digest = salted_hmac(
        "townsquare.livechat.message-id", f"{email_channel.pk}:{key}", algorithm="sha256"
    ).hexdigest()[:12]
    return f"{key}.chat.{digest}@{domain}"


def _reply_address(email_channel, conversation_id: int) -> str | None:
    """The email channel's reply token address, so the visitor's answer joins the chat's conversation."""
    from townsquare.connectors.email.reply_token import reply_address

    try:
        return reply_address(email_channel, conversation_id) or None
    except (LookupError, ValueError, ConfigInvalid):
        return None


def _origin_problems(value) -> dict[str, str]:
    if value in (None, "", []):
        return {}
    from townsquare.livechat.origins import allowed_origins, normalize_origin

    items = allowed_origins({"allowed_origins": value})
    if isinstance(value, list) and len(items) != len(value):
        return {"allowed_origins": "a list of origins such as https://shop.example"}
    bad = [item for item in items if item != "*" and not normalize_origin(item)]
    if bad:
        return {"allowed_origins": f"not an origin: {bad[0][:80]} (use https://host[:port])"}
    return {}

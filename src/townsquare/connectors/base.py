"""The interface every connector implements.

A connector is built for one channel (`Connector(channel, settings, secrets)`), so it never
reads configuration itself. It may:
- `poll()`: fetch what is new since `cursor` (polling channels, e.g. Mastodon);
- `send(outgoing)`: deliver a reply, return what the remote side calls it;
- `check()`: test the connection (the console's "Test connection" button).

Inbound messages always go through the ingest service (`inbox.ingest.store.store_messages`);
push channels (email, live chat) call it from their listener or consumer, not through `poll`.

Errors: `TransientError` means "try again later" (a delivery is retried with backoff),
`PermanentError` means no retry can help (the reply is marked failed at once with the reason).
"""

from dataclasses import dataclass, field
from datetime import datetime

from townsquare.inbox.ingest.normalized import InboundMessage


class ConnectorError(Exception):
    """Something the connector could not do; the message is shown to people as is."""


class TransientError(ConnectorError):
    """Worth retrying: a timeout, a 5xx, a rate limit. `retry_after` in seconds when known."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(ConnectorError):
    """No retry can help: a rejected recipient, revoked credentials, a deleted remote post."""


class ConfigInvalid(ConnectorError):
    """The channel's settings are unusable; `fields` maps a setting's name to what is wrong with it."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.fields = fields or {}


@dataclass(frozen=True)
class Setting:
    """One configurable setting of a connector, for the console form and the API."""

    name: str
    label: str
    secret: bool = False  # stored encrypted; never shown again, only "set" or "not set"
    required: bool = False
    default: str | int | bool | list | None = None
    help: str = ""
    kind: str = "text"  # text | int | bool | list | email | url | password


@dataclass
class Outgoing:
    """A reply to deliver: the text, and the message it answers with its raw payload."""

    reply_id: int
    conversation_id: int
    text: str
    # The message being answered (the newest inbound one), or None for a conversation without one.
    parent_message_id: int | None
    parent_external_id: str | None
    parent_raw: dict = field(default_factory=dict)
    # The customer's identity on this channel: external id, handle, email.
    recipient_external_id: str = ""
    recipient_handle: str = ""
    recipient_email: str = ""
    author_name: str = ""
    # Stable per reply: a retried delivery sends the same key (Mastodon Idempotency-Key, email Message-ID).
    idempotency_key: str = ""


@dataclass
class Sent:
    """What a delivered reply is called on the remote side; becomes the outbound message's external id."""

    external_id: str
    raw: dict = field(default_factory=dict)


@dataclass
class PollResult:
    messages: list[InboundMessage]
    # The new cursor, saved in the same transaction as the stored messages.
    cursor: dict
    # Seconds until the next poll is allowed (a rate limit's reset), when the remote side said so.
    wait_seconds: float | None = None


@dataclass
class HealthReport:
    ok: bool
    detail: str
    checked_at: datetime | None = None


class Connector:
    """Base class: subclasses set `kind`, `settings_schema` and override what they support."""

    kind: str = ""
    label: str = ""
    settings_schema: tuple[Setting, ...] = ()
    can_poll: bool = False
    can_send: bool = False

    def __init__(self, channel, settings: dict, secrets: dict):
        self.channel = channel
        self.settings = settings
        self.secrets = secrets

    def validate(self) -> None:
        """Raise ConfigInvalid when a required setting is missing or malformed."""
        missing = {
            s.name: "required"
            for s in self.settings_schema
            if s.required and self._value(s) in (None, "", [])
        }
        if missing:
            raise ConfigInvalid("some required settings are missing", missing)

    def _value(self, setting: Setting):
        source = self.secrets if setting.secret else self.settings
        return source.get(setting.name, setting.default)

    def poll(self, cursor: dict) -> PollResult:
        raise ConnectorError(f"{self.label or self.kind} channels are not polled")

    def send(self, outgoing: Outgoing) -> Sent:
        raise PermanentError(f"{self.label or self.kind} channels cannot send replies")

    def check(self) -> HealthReport:
        return HealthReport(ok=True, detail="nothing to check for this kind of channel")

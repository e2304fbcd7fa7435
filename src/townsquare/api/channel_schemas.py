"""Shapes of the channel configuration API: connector kinds, a channel's configuration and health,
its rejected input. Secrets appear only as the names of those that are set."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from townsquare.connectors.base import Connector


class SettingOut(Schema):
    name: str
    label: str
    kind: str = Field(description="text, int, bool, list, email, url or password")
    secret: bool = Field(description="stored encrypted; never shown again, only whether it is set")
    required: bool
    default: Any = None
    help: str


class ConnectorOut(Schema):
    kind: str
    label: str
    can_poll: bool
    can_send: bool
    settings: list[SettingOut]


class HealthOut(Schema):
    status: str = Field(description="unknown, ok or failing")
    last_checked_at: datetime | None
    last_ok_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    consecutive_failures: int
    next_poll_at: datetime | None
    rejected_kept: int = Field(description="rejected input kept for inspection")
    rejected_recent: int = Field(description="of which received in the last 7 days")


class ChannelConfigOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    is_active: bool
    created_at: datetime
    messages_stored: int
    messages_duplicate: int
    messages_rejected: int
    health: HealthOut
    settings: dict[str, Any] | None = Field(None, description="admins only")
    secrets_set: list[str] | None = Field(
        None, description="admins only: names of the secrets that hold a value"
    )


class ChannelPatchIn(Schema):
    settings: dict[str, Any] | None = Field(
        None, description="values by setting name; null or empty removes a setting (back to its default)"
    )
    secrets: dict[str, str | None] | None = Field(
        None, description="new secret values by name; null or empty clears one; others are kept"
    )
    is_active: bool | None = None


class ConfigErrorOut(Schema):
    detail: str
    fields: dict[str, str] = Field(description="what is wrong with each setting, by name")


class TestResultOut(Schema):
    ok: bool
    detail: str
    checked_at: datetime | None


class RejectedOut(Schema):
    id: int
    received_at: datetime
    reason: str
    summary: str
    size: int
    sha256: str


class RejectedPage(Schema):
    items: list[RejectedOut]
    next_cursor: str | None


def connector_out(cls: type[Connector], kind: str) -> dict:
    return {
        "kind": kind,
        "label": cls.label or kind,
        "can_poll": cls.can_poll,
        "can_send": cls.can_send,
        "settings": [
            {
                "name": s.name,
                "label": s.label,
                "kind": s.kind,
                "secret": s.secret,
                "required": s.required,
                # A secret's default is never echoed either.
                "default": None if s.secret else s.default,
                "help": s.help,
            }
            for s in cls.settings_schema
        ],
    }


def health_out(overview) -> dict:
    return {
        "status": overview.health,
        "last_checked_at": overview.last_checked_at,
        "last_ok_at": overview.last_ok_at,
        "last_error": overview.last_error,
        "last_error_at": overview.last_error_at,
        "consecutive_failures": overview.consecutive_failures,
        "next_poll_at": overview.next_poll_at,
        "rejected_kept": overview.rejected_kept,
        "rejected_recent": overview.rejected_recent,
    }

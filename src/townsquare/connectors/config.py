"""Configuring a channel's connector: settings, sealed secrets, testing the connection, on/off.

The console, the API and `townsquare channel-config` all call these; each checks the actor's
role itself and writes its event in the same transaction as the change. Events name the keys
that changed, never their values, so a secret never reaches the event log.
"""

import logging
import threading

from django.conf import settings as django_settings
from django.db import connections, transaction
from django.utils import timezone

from townsquare.connectors import health
from townsquare.connectors.base import ConfigInvalid, Connector, ConnectorError, HealthReport, Setting
from townsquare.connectors.models import ConnectorState
from townsquare.connectors.overview import ChannelOverview, channel_overview, channel_overviews
from townsquare.connectors.registry import connector_class
from townsquare.connectors.secrets import SecretsUnreadable, channel_secrets, seal, unseal
from townsquare.connectors.setting_values import BadValue, clean_value
from townsquare.events.log import record
from townsquare.inbox.channels import OPERATOR, require_admin
from townsquare.inbox.models import Channel
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.models import Role

__all__ = [
    "ChannelOverview",
    "channel_overview",
    "channel_overviews",
    "configure_channel",
    "secret_names_set",
    "set_channel_active",
    "test_connection",
]

logger = logging.getLogger(__name__)

DEFAULT_TEST_TIMEOUT_SECONDS = 15
MAX_DETAIL_LENGTH = 500


def require_manager(user) -> None:
    """Admins and supervisors (and the operator at the command line) may test connections."""
    if user is OPERATOR:
        return
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    if user.role not in {Role.ADMIN, Role.SUPERVISOR}:
        raise Forbidden("only an admin or a supervisor can do this")


def _schema(channel: Channel) -> dict[str, Setting]:
    try:
        cls = connector_class(channel.kind)
    except LookupError as exc:
        raise ConfigInvalid(str(exc)) from None
    return {setting.name: setting for setting in cls.settings_schema}


def _merge(current: dict, changes: dict | None, schema: dict[str, Setting], *, secret: bool, errors: dict):
    """`current` with `changes` applied: a None or empty value removes the key."""
    if changes is None:
        return dict(current)
    if not isinstance(changes, dict):
        errors["secrets" if secret else "settings"] = "must be an object"
        return dict(current)
    merged = dict(current)
    for name, value in changes.items():
        setting = schema.get(name)
        if setting is None:
            errors[str(name)[:100]] = "unknown setting for this kind of channel"
        elif setting.secret != secret:
            errors[name] = "is a secret: send it with the secrets" if setting.secret else "is not a secret"
        else:
            try:
                cleaned = clean_value(setting, value)
            except BadValue as exc:
                errors[name] = str(exc)
                continue
            if cleaned is None:
                merged.pop(name, None)
            else:
                merged[name] = cleaned
    return merged


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def configure_channel(actor, channel: Channel, *, settings: dict | None = None, secrets: dict | None = None):
    """Apply settings and secrets (merged with what is stored) after the connector validates them.

    Raises ConfigInvalid(fields={name: reason}) and changes nothing when any value is refused.
    """
    require_admin(actor)
    schema = _schema(channel)
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        state, _ = ConnectorState.objects.select_for_update().get_or_create(channel_id=channel.pk)
        try:
            old_secrets = unseal(state.sealed_secrets)
        except SecretsUnreadable:
            if not secrets:
                raise ConfigInvalid(
                    "the stored secrets cannot be read with this installation's key: set them again",
                    {name: "set it again" for name, s in schema.items() if s.secret},
                ) from None
            old_secrets = {}  # replacing every secret is how an admin recovers from a lost key
        errors: dict[str, str] = {}
        old_settings = dict(channel.settings or {})
        new_settings = _merge(old_settings, settings, schema, secret=False, errors=errors)
        new_secrets = _merge(old_secrets, secrets, schema, secret=True, errors=errors)
        if errors:
            raise ConfigInvalid("some settings cannot be saved", errors)
        _validate(connector_class(channel.kind)(channel, new_settings, new_secrets))
        changed_settings = _changed(old_settings, new_settings)
        changed_secrets = _changed(old_secrets, new_secrets)
        if not changed_settings and not changed_secrets:
            return channel
        channel.settings = new_settings
        channel.save(update_fields=["settings"])
        state.sealed_secrets = seal(new_secrets)
        state.updated_at = timezone.now()
        # New settings (a fixed token, another server) are tried on the next poll, not after the
        # backoff the old settings' failures earned.
        state.next_poll_at = None
        state.save(update_fields=["sealed_secrets", "updated_at", "next_poll_at"])
        data = {"settings": changed_settings, "secrets": changed_secrets}
        record("channel.configured", actor=actor, channel_id=channel.pk, data={**data, **_via(actor)})
    return channel


def _validate(connector: Connector) -> None:
    """The connector's own checks; one that trips over a value it did not expect still says no."""
    try:
        connector.validate()
    except ConfigInvalid:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        logger.warning("the %s connector could not check its settings", connector.kind, exc_info=True)
        raise ConfigInvalid(
            f"the {connector.label or connector.kind} connector cannot use these settings: {exc}"
        ) from None


def secret_names_set(channel: Channel) -> list[str]:
    """The names of the channel's secrets that hold a value (never the values)."""
    try:
        return sorted(channel_secrets(channel))
    except SecretsUnreadable:
        return []


def secrets_readable(channel: Channel) -> bool:
    try:
        channel_secrets(channel)
    except SecretsUnreadable:
        return False
    return True


def set_channel_active(actor, channel: Channel, active: bool) -> bool:
    """Switch a channel on or off (inactive channels take no input); True when it changed."""
    require_admin(actor)
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if channel.is_active == active:
            return False
        channel.is_active = active
        channel.save(update_fields=["is_active"])
        kind = "channel.enabled" if active else "channel.disabled"
        record(kind, actor=actor, channel_id=channel.pk, data=_via(actor))
    return True


def test_connection(actor, channel: Channel) -> HealthReport:
    """Run the connector's check (bounded by a timeout) and record the channel's health.

    Never raises for a failure on the remote side: the report says what went wrong.
    """
    require_manager(actor)
    report = _run_check(channel)
    if report.checked_at is None:
        report.checked_at = timezone.now()
    report.detail = (report.detail or ("working" if report.ok else "failing"))[:MAX_DETAIL_LENGTH]
    with transaction.atomic():
        if report.ok:
            health.record_success(channel.pk, actor=actor)
        else:
            health.record_failure(channel.pk, report.detail, actor=actor)
        record(
            "channel.tested",
            actor=actor,
            channel_id=channel.pk,
            data={"ok": report.ok, "detail": report.detail, **_via(actor)},
        )
    return report


test_connection.__test__ = False  # a service named test_*, not a test for pytest to collect


def _run_check(channel: Channel) -> HealthReport:
    try:
        connector = connector_class(channel.kind)(
            channel, dict(channel.settings or {}), channel_secrets(channel)
        )
        _validate(connector)
    except ConfigInvalid as exc:
        fields = ", ".join(f"{name}: {why}" for name, why in exc.fields.items())
        return HealthReport(ok=False, detail=f"{exc}{' (' + fields + ')' if fields else ''}")
    except (LookupError, SecretsUnreadable) as exc:
        return HealthReport(ok=False, detail=str(exc))
    return _check_with_timeout(connector, _timeout())


def _timeout() -> float:
    return float(getattr(django_settings, "CHANNEL_TEST_TIMEOUT", DEFAULT_TEST_TIMEOUT_SECONDS))


def _check_with_timeout(connector: Connector, timeout: float) -> HealthReport:
    """connector.check() in a daemon thread, so a remote side that never answers cannot hang a page."""
    outcome: list[HealthReport] = []

    def run() -> None:
        try:
            outcome.append(connector.check())
        except Exception as exc:  # a check may fail in any way; the person testing sees why
            logger.info("connection test of channel %s failed", connector.channel.pk, exc_info=True)
            outcome.append(HealthReport(ok=False, detail=_describe(exc)))
        finally:
            connections.close_all()  # this thread's own database connections, if the check opened any

    worker = threading.Thread(target=run, name=f"channel-test-{connector.channel.pk}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return HealthReport(ok=False, detail=f"no answer within {timeout:g} s")
    report = outcome[0]
    if not isinstance(report, HealthReport):
        return HealthReport(ok=False, detail="the connector's check gave no report")
    return report


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    if isinstance(exc, ConnectorError):  # written for people already
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _via(actor) -> dict:
    return {"via": "cli"} if actor is OPERATOR else {}

"""Channel services: create a channel and rotate its webhook secret (admins only).

Views and API handlers call these; each checks the actor's permission itself and writes its
event in the same transaction as the change.
"""

from django.db import IntegrityError, transaction

from townsquare.events.log import record
from townsquare.inbox.models import Channel, ChannelKind, new_channel_secret
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.models import Role

MAX_NAME_LENGTH = Channel._meta.get_field("name").max_length


class ChannelError(ValueError):
    """A channel change that cannot be made as asked; the message says why."""


class ChannelNameTaken(ChannelError):
    pass


class Operator:
    """Whoever runs the `townsquare` command on the server: they already hold the keys (the
    database, the secret key), so the CLI acts as them without a user account; events say "cli"."""

    pk = None

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = Operator()


def require_admin(user) -> None:
    if user is OPERATOR:
        return
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    if user.role != Role.ADMIN:
        raise Forbidden("only an admin can do this")


def clean_name(name) -> str:
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise ChannelError("a channel needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise ChannelError(f"a channel name is at most {MAX_NAME_LENGTH} characters")
    return name


def create_channel(
    actor, name: str, kind: str, settings: dict | None = None, *, is_active: bool = True
) -> tuple[Channel, str]:
    """Make a channel; returns it and its webhook signing secret, which callers show only once."""
    require_admin(actor)
    name = clean_name(name)
    if kind not in ChannelKind.values:
        raise ChannelError(f"kind must be one of {', '.join(ChannelKind.values)}, not {kind!r:.40}")
    if settings is not None and not isinstance(settings, dict):
        raise ChannelError("settings must be an object")
    try:
        with transaction.atomic():
            channel = Channel.objects.create(
                name=name, kind=kind, settings=settings or {}, is_active=is_active
            )
            record(
                "channel.created",
                actor=actor,
                channel_id=channel.pk,
                data={"name": name, "kind": kind, **_via(actor)},
            )
    except IntegrityError:
        # The unique name is the only constraint a new row can break.
        raise ChannelNameTaken(f"a channel named {name!r} already exists") from None
    return channel, channel.secret


def rotate_secret(actor, channel: Channel) -> str:
    """Give the channel a new signing secret; the old one stops working at once."""
    require_admin(actor)
    with transaction.atomic():
        channel.secret = new_channel_secret()
        channel.save(update_fields=["secret"])
        record("channel.secret_rotated", actor=actor, channel_id=channel.pk, data=_via(actor))
    return channel.secret


def _via(actor) -> dict:
    return {"via": "cli"} if actor is OPERATOR else {}


def import_channel(name: str) -> Channel:
    """The channel a file import goes to, created as an import channel if it is new.

    Called from the `ingest` command, whose user already has shell access to the installation
    (like `createsuperuser`), so there is no actor to check; the event says it came from the CLI.
    """
    name = clean_name(name)
    channel = Channel.objects.filter(name=name).first()
    if channel is not None:
        return channel
    try:
        with transaction.atomic():
            channel = Channel.objects.create(name=name, kind=ChannelKind.IMPORT)
            record(
                "channel.created", channel_id=channel.pk, data={"name": name, "kind": "import", "via": "cli"}
            )
    except IntegrityError:  # another importer created it first
        channel = Channel.objects.get(name=name)
    return channel

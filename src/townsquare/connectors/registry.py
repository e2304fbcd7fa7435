"""Which connector class serves which channel kind, and building one for a channel."""

from townsquare.connectors.base import Connector

_CONNECTORS: dict[str, type[Connector]] = {}


def register(*kinds: str):
    """Class decorator: `@register("email")` makes the class the connector of that channel kind."""

    def wrap(cls: type[Connector]) -> type[Connector]:
        for kind in kinds:
            if kind in _CONNECTORS and _CONNECTORS[kind] is not cls:
                raise ValueError(
                    f"channel kind {kind!r} already has a connector ({_CONNECTORS[kind].__name__})"
                )
            _CONNECTORS[kind] = cls
        return cls

    return wrap


def connector_class(kind: str) -> type[Connector]:
    try:
        return _CONNECTORS[kind]
    except KeyError:
        raise LookupError(f"no connector for channel kind {kind!r}") from None


def registered_kinds() -> list[str]:
    return sorted(_CONNECTORS)


def connector_for(channel) -> Connector:
    """The channel's connector with its settings and decrypted secrets."""
    from townsquare.connectors.secrets import channel_secrets

    cls = connector_class(channel.kind)
    return cls(channel, dict(channel.settings or {}), channel_secrets(channel))

"""Checking what an admin types for an endpoint: the URL, the kinds, the description."""

from urllib.parse import urlsplit

from townsquare.hooks.models import ALL_KINDS, MAX_URL_LENGTH, WebhookKind

MAX_DESCRIPTION = 200


class HookInputError(ValueError):
    """An endpoint cannot be saved as given; the message says why (API: 422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def clean_url(url) -> str:
    if not isinstance(url, str) or not url.strip():
        raise HookInputError("url", "a webhook needs a URL")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise HookInputError("url", f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise HookInputError("url", "the URL must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number or out of range
    except ValueError as exc:
        raise HookInputError("url", f"the URL cannot be read: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise HookInputError("url", "the URL must start with http:// or https://")
    if not parts.hostname:
        raise HookInputError("url", "the URL needs a host name")
    if parts.username is not None or parts.password is not None:
        raise HookInputError(
            "url", "the URL must not carry a user name or password; receivers check the signature"
        )
    if port == 0:
        raise HookInputError("url", "the URL's port must be between 1 and 65535")
    if parts.fragment:
        raise HookInputError("url", "the URL must not have a #fragment (it is never sent)")
    return url


def clean_kinds(kinds) -> list[str]:
    if isinstance(kinds, str) or not isinstance(kinds, list | tuple) or not kinds:
        raise HookInputError("kinds", f"choose at least one event: {', '.join(allowed_kinds())}")
    cleaned = []
    for kind in kinds:
        if kind not in allowed_kinds():
            raise HookInputError(
                "kinds", f"{str(kind)[:40]!r} is not an event; choose from {', '.join(allowed_kinds())}"
            )
        if kind not in cleaned:
            cleaned.append(str(kind))
    return [ALL_KINDS] if ALL_KINDS in cleaned else cleaned


def clean_description(description) -> str:
    if description is None:
        return ""
    if not isinstance(description, str):
        raise HookInputError("description", "the description must be text")
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise HookInputError("description", f"the description is longer than {MAX_DESCRIPTION} characters")
    if "\x00" in description:
        raise HookInputError("description", "the description must not contain NUL characters")
    return description


def allowed_kinds() -> list[str]:
    return [*WebhookKind.values, ALL_KINDS]

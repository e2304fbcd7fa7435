"""Which web pages may open a channel's chat: the Origin header against the channel's allowed origins."""

from urllib.parse import urlsplit


def normalize_origin(value: str) -> str:
    """ "HTTPS://Shop.example:443/" -> "https://shop.example"; "" when it is not an origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    default_port = 443 if parts.scheme == "https" else 80
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    suffix = f":{port}" if port and port != default_port else ""
    return f"{parts.scheme}://{host}{suffix}"


def allowed_origins(channel_settings: dict) -> list[str]:
    configured = channel_settings.get("allowed_origins") or []
    if isinstance(configured, str):
        configured = [item for item in configured.replace(",", " ").split() if item]
    return [item.strip() for item in configured if isinstance(item, str) and item.strip()]


def origin_allowed(origin: str | None, host: str | None, channel_settings: dict) -> bool:
    """No Origin (not a browser) or the server's own host is always allowed; "*" allows every page."""
    if not origin:
        return True
    normalized = normalize_origin(origin)
    if not normalized:
        return False
    if host and urlsplit(normalized).netloc == host.strip().lower():
        return True
    for allowed in allowed_origins(channel_settings):
        if allowed == "*" or normalize_origin(allowed) == normalized:
            return True
    return False

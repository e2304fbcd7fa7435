"""Live chat limits. Each has an environment variable (read at start-up) and a Django setting of
the same name without the prefix (tests override those); the README lists them."""

from django.conf import settings

from townsquare.envvars import env_int

DEFAULTS = {
    # Longest chat message, in characters.
    "LIVECHAT_MAX_TEXT": env_int("TOWNSQUARE_LIVECHAT_MAX_TEXT", 4000),
    # Per session (all its sockets in this process): messages per window, then `rate_limited` errors.
    "LIVECHAT_MESSAGES_PER_WINDOW": env_int("TOWNSQUARE_LIVECHAT_MESSAGES_PER_WINDOW", 20),
    # Per socket: frames of any kind per window, then the socket is closed with 4429.
    "LIVECHAT_FRAMES_PER_WINDOW": env_int("TOWNSQUARE_LIVECHAT_FRAMES_PER_WINDOW", 60),
    "LIVECHAT_RATE_WINDOW_SECONDS": env_int("TOWNSQUARE_LIVECHAT_RATE_WINDOW_SECONDS", 10),
    # Bad frames a socket may send before it is closed with 4400.
    "LIVECHAT_MAX_BAD_FRAMES": env_int("TOWNSQUARE_LIVECHAT_MAX_BAD_FRAMES", 5),
    # Open chat sockets per IP address in one web process (0: no limit).
    "LIVECHAT_SOCKETS_PER_IP": env_int("TOWNSQUARE_LIVECHAT_SOCKETS_PER_IP", 20),
    # New sessions per IP address per hour (0: no limit); resuming a session is not counted.
    "LIVECHAT_SESSIONS_PER_IP_HOUR": env_int("TOWNSQUARE_LIVECHAT_SESSIONS_PER_IP_HOUR", 30),
    # Uploads per session per hour, offline messages per IP address per hour.
    "LIVECHAT_UPLOADS_PER_SESSION_HOUR": env_int("TOWNSQUARE_LIVECHAT_UPLOADS_PER_SESSION_HOUR", 20),
    "LIVECHAT_OFFLINE_PER_IP_HOUR": env_int("TOWNSQUARE_LIVECHAT_OFFLINE_PER_IP_HOUR", 10),
    # Largest upload for every channel; a channel's `max_upload_bytes` may only lower it.
    "LIVECHAT_MAX_UPLOAD_BYTES": env_int("TOWNSQUARE_LIVECHAT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
    # A session whose socket was seen this recently counts as online (replies go to the socket).
    "LIVECHAT_PRESENCE_SECONDS": env_int("TOWNSQUARE_LIVECHAT_PRESENCE_SECONDS", 60),
}


def limit(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])

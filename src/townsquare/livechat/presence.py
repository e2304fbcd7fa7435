"""Whether agents are there to chat (the widget offers the offline form when not), and whether a
visitor's chat socket is open (a reply then goes to the socket; otherwise by email, if we can)."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from townsquare.livechat.limits import limit

AGENTS_SEEN_KEY = "livechat:agents-seen"
# The console marks agents seen at least this often while one has it open.
AGENTS_SEEN_SECONDS = 300
MODES = ("always", "never", "auto")


def mark_agents_seen() -> None:
    """The live console calls this when a staff member's socket connects (and now and then)."""
    cache.set(AGENTS_SEEN_KEY, timezone.now().timestamp(), AGENTS_SEEN_SECONDS)


def agents_online(channel) -> bool:
    """`agents_online_mode`: always (default), never (offline form only), auto (the console is open)."""
    mode = (channel.settings or {}).get("agents_online_mode") or "always"
    if mode == "never":
        return False
    if mode == "auto":
        return cache.get(AGENTS_SEEN_KEY) is not None or _drafting_recently()
    return True


def _drafting_recently() -> bool:
    from townsquare.replies.models import ReplyPresence

    since = timezone.now() - timedelta(seconds=AGENTS_SEEN_SECONDS)
    return ReplyPresence.objects.filter(last_seen__gte=since).exists()


def session_online(session) -> bool:
    """The visitor's socket was seen within LIVECHAT_PRESENCE_SECONDS (pings refresh it)."""
    if session.ended_at is not None:
        return False
    fresh = timezone.now() - timedelta(seconds=limit("LIVECHAT_PRESENCE_SECONDS"))
    return session.last_seen_at >= fresh

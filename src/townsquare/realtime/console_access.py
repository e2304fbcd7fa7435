"""Who may keep a console socket open, and which conversations its events may name.

A socket outlives the request that opened it, so the sign-in behind it is checked again now and
then (signed out, session past its age or idle limit, role changed, deactivated), and which
conversations the user may see is cached per socket for a few seconds: at 200 messages a second
an agent's socket should not ask the database 200 times a second.
"""

import random
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY

from townsquare.inbox.visibility import can_use_console, visible_conversations
from townsquare.people.models import Role, User
from townsquare.security import sessions, twofactor

# WebSocket close codes the console socket uses (the browser falls back to polling on them).
CLOSE_SIGNED_OUT = 4401
CLOSE_NO_CONSOLE = 4403

# How long a "may see conversation N" answer is trusted, and how many a socket keeps.
VISIBILITY_TTL_SECONDS = 5.0
VISIBILITY_CACHE_SIZE = 5_000


def refusal(user) -> int | None:
    """The close code for a user who may not open a console socket, or None when they may."""
    if user is None or not user.is_authenticated:
        return CLOSE_SIGNED_OUT
    if not can_use_console(user):
        return CLOSE_NO_CONSOLE
    return None


def session_refusal(session_key: str | None, user_id: int) -> int | None:
    """Reload the session and the user behind a socket: the close code when it may not go on.

    Same rules as a page view (security.middleware): signed out or expired → 4401; deactivated,
    a role without the console, or a second factor required and not passed → 4403.
    """
    if not session_key:
        return CLOSE_SIGNED_OUT
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if str(store.get(SESSION_KEY)) != str(user_id):
        return CLOSE_SIGNED_OUT
    if sessions.expiry_reason(store, time.time()) is not None:
        return CLOSE_SIGNED_OUT
    user = User.objects.filter(pk=user_id).first()
    if user is None or not can_use_console(user):
        return CLOSE_NO_CONSOLE
    if twofactor.is_required(user) and not sessions.passed_second_factor(store):
        return CLOSE_NO_CONSOLE
    return None


class VisibilityCache:
    """Per-socket answers to "may this user see conversation N?", each trusted for a few seconds."""

    def __init__(self, user, ttl: float = VISIBILITY_TTL_SECONDS, size: int = VISIBILITY_CACHE_SIZE):
        self.user = user
        self.ttl = ttl
        self.size = size
        self._answers: dict[int, tuple[bool, float]] = {}

    @property
    def sees_everything(self) -> bool:
        return self.user.role == Role.ADMIN

    def cached(self, conversation_id: int) -> bool | None:
        """The cached answer, or None when there is none or it is too old."""
        if self.sees_everything:
            return True
        answer = self._answers.get(conversation_id)
        if answer is None or answer[1] < time.monotonic():
            return None
        return answer[0]

    def ask(self, conversation_id: int) -> bool:
        """Ask the database (sync: call through database_sync_to_async) and remember the answer."""
        visible = visible_conversations(self.user).filter(pk=conversation_id).exists()
        self.remember(conversation_id, visible)
        return visible

    def remember(self, conversation_id: int, visible: bool) -> None:
        if len(self._answers) >= self.size:
            self._answers.clear()  # rare: a socket that saw thousands of conversations in a few seconds
        # Each answer lives a random half to all of the TTL: answers cached in one burst would
        # otherwise all expire together, and the re-asks queue up as a latency spike every TTL.
        self._answers[conversation_id] = (visible, time.monotonic() + self.ttl * random.uniform(0.5, 1.0))

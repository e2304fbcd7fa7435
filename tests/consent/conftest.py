"""Dana and her conversation, shared with the guard tests."""

from tests.guard.conftest import dana, dana_conversation  # noqa: F401

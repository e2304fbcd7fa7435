"""Dana, her conversation and API bearer headers, shared with the guard tests."""

from tests.guard.conftest import bearer, dana, dana_conversation  # noqa: F401

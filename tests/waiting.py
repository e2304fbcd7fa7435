"""Waiting for something another thread or process does, without a fixed sleep."""

import time


def wait_until(condition, timeout: float = 60.0, every: float = 0.02):
    """Return condition()'s first truthy value; fail the test if none comes within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {condition.__name__}")

"""The console log handler follows sys.stderr instead of keeping the stream it was built with."""

import io
import logging
import sys

import pytest
from django.conf import settings

from townsquare.ops.log_stream import CurrentStderrHandler


def test_settings_log_to_the_current_stderr():
    assert settings.LOGGING["handlers"]["console"]["class"] == "townsquare.ops.log_stream.CurrentStderrHandler"


def test_records_go_to_stderr_as_it_is_now_even_after_the_old_one_closed(monkeypatch):
    logger = logging.getLogger("townsquare.tests.log_stream")
    logger.propagate = False
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    handler = CurrentStderrHandler()
    logger.addHandler(handler)
    try:
        logger.warning("one")
        first.close()
        second = io.StringIO()
        monkeypatch.setattr(sys, "stderr", second)
        errors = []
        monkeypatch.setattr(handler, "handleError", errors.append)
        logger.warning("two")
    finally:
        logger.removeHandler(handler)
    assert errors == []
    assert second.getvalue() == "two\n"


def test_the_stream_cannot_be_pinned():
    with pytest.raises(AttributeError):
        CurrentStderrHandler().setStream(io.StringIO())

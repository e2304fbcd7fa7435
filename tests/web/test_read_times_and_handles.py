"""How the console writes times and handles, so that Alice reads them at a glance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.web.conftest import T0
from townsquare.web.templatetags.console import at_handle, unless_repeats, when


@pytest.mark.parametrize(
    ("handle", "shown"),
    [("dana", "@dana"), ("@dana", "@dana"), ("dana@example.org", "dana@example.org"), ("", "")],
)
def test_handles_get_one_at_sign(handle, shown):
    assert at_handle(handle) == shown


def test_recent_activity_is_relative_and_old_activity_is_a_date():
    assert when(timezone.now() - timedelta(hours=3, minutes=10)) == "3\xa0hours ago"
    assert when(T0) == "1 May 2024"
    assert when(None) == ""


@pytest.mark.parametrize(
    ("excerpt", "subject", "shown"),
    [
        ("My blender arrived broken", "Broken blender", "My blender arrived broken"),
        ("My blender arrived broken, order 12", "My blender arrived broken", ""),
        ("My blender", "My blender arrived broken", ""),
        (None, "Broken blender", ""),
    ],
)
def test_excerpt_under_a_subject_is_shown_only_when_it_adds_something(excerpt, subject, shown):
    assert unless_repeats(excerpt, subject) == shown

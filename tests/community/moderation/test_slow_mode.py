"""Eve slows a heated space down: members wait between posts there."""

import pytest

from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.models import ModerationAction
from townsquare.community.moderation.slow_mode import set_slow_mode
from townsquare.community.posting import answer

pytestmark = pytest.mark.django_db


def test_eve_sets_slow_mode_and_posting_waits(question, members, eve, devices_space):
    set_slow_mode(eve, devices_space.pk, 600, reason="Heated thread about the recall")
    devices_space.refresh_from_db()
    assert devices_space.slow_mode_seconds == 600
    answer(members["bob"], question, "Here is the recall page from the maker.")
    with pytest.raises(CommunityError, match="slow mode"):
        answer(members["bob"], question, "And one more thing about the recall.")
    entry = ModerationAction.objects.get()
    assert (
        entry.space == devices_space and entry.data["seconds"] == 600 and entry.data["previous_seconds"] == 0
    )
    with pytest.raises(Conflict):
        set_slow_mode(eve, devices_space.pk, 600, reason="Heated thread about the recall")
    for bad in (-1, 86_401, "60", True):
        with pytest.raises(CommunityError, match="whole number"):
            set_slow_mode(eve, devices_space.pk, bad, reason="Heated thread about the recall")
    set_slow_mode(eve, devices_space.pk, 0, reason="Calm again")
    answer(members["bob"], question, "And one more thing about the recall.")

"""Eve disagrees with the flags that hid an answer: it comes back and the flags do not count."""

import pytest

from tests.community.conftest import at_trust_level
from townsquare.community.errors import Conflict
from townsquare.community.members import member_of
from townsquare.community.models import Flag, Topic, Visibility
from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.flags import flag
from townsquare.community.moderation.queue import flagged
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def test_eve_dismisses_flags_that_hid_an_answer(bobs_answer, question, members, eve, alice):
    trusted = at_trust_level(alice, 3)
    flag(members["dana"], post_id=bobs_answer.pk, reason="spam")
    flag(trusted, post_id=bobs_answer.pk, reason="spam")
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.HIDDEN
    (item,) = flagged()
    assert item.target.post == bobs_answer and len(item.flags) == 2 and item.hidden
    assert item.reasons == [("Spam or advertising", 2)]
    moderate(eve, "dismiss_flags", post_id=bobs_answer.pk, reason="It is the maker's manual, not spam")
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.VISIBLE
    assert Topic.objects.get(pk=question.pk).answer_count == 1
    assert set(Flag.objects.values_list("status", flat=True)) == {"dismissed"}
    assert member_of(members["dana"]).__class__.objects.get(user=members["dana"]).flags_upheld == 0
    event = Event.objects.filter(kind="community.moderated").latest("id")
    assert event.data["action"] == "dismiss_flags" and event.data["restored"] is True
    assert len(event.data["dismissed_flags"]) == 2
    assert flagged() == []
    with pytest.raises(Conflict, match="no open flags"):
        moderate(eve, "dismiss_flags", post_id=bobs_answer.pk, reason="It is the maker's manual")

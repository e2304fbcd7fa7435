"""Who may moderate: moderator roles and trust level 4 act on posts; only moderator roles suspend."""

import pytest

from tests.community.conftest import at_trust_level
from townsquare.community.errors import NotAllowed
from townsquare.community.models import ModerationAction, Visibility
from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.slow_mode import set_slow_mode
from townsquare.community.moderation.suspensions import suspend
from townsquare.people.models import User

pytestmark = pytest.mark.django_db
REASON = "Advert for another shop"


@pytest.mark.parametrize("persona", ["farid", "dana", "bob", "alice"])
def test_members_below_trust_level_4_and_agents_cannot_moderate(persona, request, bobs_answer, members):
    user = members.get(persona) or request.getfixturevalue(persona)
    with pytest.raises(NotAllowed, match="moderators"):
        moderate(user, "hide", post_id=bobs_answer.pk, reason=REASON)
    with pytest.raises(NotAllowed):
        suspend(user, members["farid"].pk, days=1, reason=REASON)
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("persona", ["eve", "carol", "grace"])
def test_moderator_roles_moderate(persona, request, bobs_answer, question, members, devices_space):
    user = request.getfixturevalue(persona)
    moderate(user, "hide", post_id=bobs_answer.pk, reason=REASON)
    suspend(user, members["farid"].pk, days=1, reason=REASON)
    set_slow_mode(user, devices_space.pk, 60, reason="Heated thread about the recall")
    assert ModerationAction.objects.filter(moderator=user).count() == 3


def test_a_trust_level_4_leader_moderates_posts_but_does_not_suspend(bobs_answer, question, members):
    dana = at_trust_level(members["dana"], 4)
    moderate(dana, "hide", post_id=bobs_answer.pk, reason=REASON)
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.HIDDEN
    assert ModerationAction.objects.get().data["by"] == "community leader (trust level 4)"
    with pytest.raises(NotAllowed, match="only moderators, supervisors and admins"):
        suspend(dana, members["farid"].pk, days=1, reason=REASON)
    with pytest.raises(NotAllowed, match="only moderators, supervisors and admins"):
        set_slow_mode(dana, question.space_id, 60, reason=REASON)


def test_a_suspended_leader_cannot_moderate(bobs_answer, members, eve):
    dana = at_trust_level(members["dana"], 4)
    suspend(eve, dana.pk, days=2, reason="Abusive messages to members")
    dana = User.objects.get(pk=dana.pk)  # as her next request loads her
    with pytest.raises(NotAllowed):
        moderate(dana, "hide", post_id=bobs_answer.pk, reason=REASON)

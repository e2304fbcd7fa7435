"""The demo community tells journey 6: a peer answer accepted, a Spanish thread, the founding rules,
and a question nobody answered that already waits for staff."""

import pytest

from townsquare.community.models import Guideline, Member, Topic
from townsquare.ops.community_demo import seed_community_demo
from townsquare.ops.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_community_through_the_services():
    seed_demo()
    topics = Topic.objects.all()
    assert topics.count() == 4
    assert topics.filter(accepted_post__isnull=False).count() == 2
    assert set(topics.values_list("language", flat=True)) >= {"en", "es"}
    stale = topics.get(title__contains="E4")
    assert stale.escalated_at is not None and stale.conversation.escalation_level in {"agent", "supervisor"}
    assert Guideline.objects.filter(is_active=True).count() >= 4
    bob = Member.objects.get(user__username="bob")
    assert bob.reputation >= 15 and bob.accepted_answers == 1
    assert seed_community_demo() == 0  # a second run adds nothing

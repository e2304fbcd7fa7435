"""The community starts with founding rules, adopted as version 1 of each, with nothing to vote on."""

from townsquare.community.guidelines.seeding import FOUNDING_RULES, seed_guidelines
from townsquare.community.models import Guideline, GuidelineRevision
from townsquare.events.models import Event


def test_seeding_writes_numbered_rules_each_with_a_founding_revision(db):
    rules = seed_guidelines()
    assert [(r.number, r.title) for r in rules] == [
        (1, "Be kind"),
        (2, "Stay on topic"),
        (3, "No personal data"),
        (4, "Disclose your affiliation"),
    ]
    revisions = GuidelineRevision.objects.order_by("guideline__number")
    assert [(r.version, r.proposal_id, r.repealed) for r in revisions] == [(1, None, False)] * 4
    assert Event.objects.filter(kind="community.guideline_adopted", data__change="founding").count() == 4


def test_seeding_twice_changes_nothing(db):
    seed_guidelines()
    seed_guidelines()
    assert Guideline.objects.count() == len(FOUNDING_RULES)
    assert GuidelineRevision.objects.count() == len(FOUNDING_RULES)

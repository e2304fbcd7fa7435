"""The founding rules a new community starts with, adopted as revision 1 of each rule.

Members change them afterwards through proposals; the founding text stays in each rule's history.
"""

from django.db import transaction
from django.utils import timezone

from townsquare.community.events import record_community
from townsquare.community.models import Guideline, GuidelineRevision

FOUNDING_RULES = [
    (
        "Be kind",
        "Treat everyone here as you would like to be treated. Criticise ideas, not people. "
        "No insults, harassment or pile-ons.",
    ),
    (
        "Stay on topic",
        "Post in the space the question belongs to, and keep answers about the question asked. "
        "Start a new topic for a new question.",
    ),
    (
        "No personal data",
        "Never post order numbers, email addresses, phone numbers, card numbers or addresses — "
        "yours or anyone else's. Staff will ask for them privately when they need them.",
    ),
    (
        "Disclose your affiliation",
        "If you work for the brand, a reseller or a competitor, or are paid to post, say so when "
        "you recommend a product. Sales pitches belong in the spaces that allow promotion.",
    ),
]


def seed_guidelines() -> list[Guideline]:
    """Write the founding rules if the community has none yet (idempotent); returns the rules."""
    with transaction.atomic():
        if Guideline.objects.exists():
            return list(Guideline.objects.all())
        now = timezone.now()
        created = []
        for number, (title, text) in enumerate(FOUNDING_RULES, start=1):
            guideline = Guideline.objects.create(number=number, title=title, text=text, adopted_at=now)
            GuidelineRevision.objects.create(
                guideline=guideline, version=1, title=title, text=text, adopted_at=now
            )
            record_community(
                "community.guideline_adopted",
                data={
                    "guideline": guideline.pk,
                    "number": number,
                    "version": 1,
                    "change": "founding",
                    "proposal": None,
                },
            )
            created.append(guideline)
        return created

"""What an adopted proposal changes: a new rule, a new version of a rule, or a repealed rule.

Every adopted change is a new GuidelineRevision, so a rule's history shows each version members
adopted, when, and the proposal (with its tally) that adopted it.
"""

from django.db.models import Max

from townsquare.community.events import record_community
from townsquare.community.models import Guideline, GuidelineRevision, Proposal, ProposalKind


def _new_rule(proposal: Proposal, now) -> Guideline:
    # Numbers are never reused: moderation actions cite them, and a repealed rule keeps its number.
    number = (Guideline.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    return Guideline.objects.create(number=number, title=proposal.title, text=proposal.text, adopted_at=now)


def adopt(proposal: Proposal, *, tally: dict, now) -> GuidelineRevision:
    """Write the change `proposal` was adopted for. Call inside the transaction that decided it."""
    if proposal.kind == ProposalKind.ADD:
        guideline = _new_rule(proposal, now)
        version = 1
    else:
        guideline = Guideline.objects.select_for_update().get(pk=proposal.guideline_id)
        version = (guideline.revisions.aggregate(top=Max("version"))["top"] or 0) + 1
        if proposal.kind == ProposalKind.AMEND:
            guideline.title, guideline.text = proposal.title, proposal.text
        else:
            guideline.is_active = False
        guideline.adopted_at = now
        guideline.save(update_fields=["title", "text", "is_active", "adopted_at"])
    repealed = proposal.kind == ProposalKind.REPEAL
    revision = GuidelineRevision.objects.create(
        guideline=guideline,
        version=version,
        title=guideline.title,
        text="" if repealed else guideline.text,
        repealed=repealed,
        proposal=proposal,
        adopted_at=now,
    )
    record_community(
        "community.guideline_adopted",
        data={
            "guideline": guideline.pk,
            "number": guideline.number,
            "version": version,
            "change": proposal.kind,
            **tally,
        },
    )
    return revision

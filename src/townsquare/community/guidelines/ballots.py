"""Votes on a proposal: one per member, changeable while the vote is open.

The proposal's running tally moves with each vote (for the page's progress bar); closing counts
the vote rows again, so the decided tally never depends on the running one.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townsquare.community import privileges
from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.events import record_community
from townsquare.community.guidelines import rules
from townsquare.community.models import Proposal, ProposalStatus, ProposalVote, VoteChoice

COLUMN = {VoteChoice.YES: "yes_votes", VoteChoice.NO: "no_votes", VoteChoice.ABSTAIN: "abstain_votes"}


def cast_vote(user, proposal: Proposal, choice: str, *, now=None) -> ProposalVote:
    """Record `user`'s yes/no/abstain on `proposal`, replacing their earlier vote if they had one."""
    privileges.require(user, "vote_guidelines")
    if choice not in VoteChoice.values:
        raise CommunityError(f"choice must be one of {', '.join(VoteChoice.values)}")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ProposalStatus.VOTING:
            raise Conflict(
                f"proposal {locked.pk} is {locked.get_status_display().lower()}, not open for votes"
            )
        if locked.voting_closes_at is not None and locked.voting_closes_at <= now:
            raise Conflict(f"voting on proposal {locked.pk} has ended; the result is being counted")
        existing = ProposalVote.objects.filter(proposal=locked, user=user).first()
        previous = existing.choice if existing else None
        if previous == choice:
            return existing
        change = {COLUMN[choice]: F(COLUMN[choice]) + 1}
        if existing:
            change[COLUMN[previous]] = F(COLUMN[previous]) - 1
            existing.choice, existing.created_at = choice, now
            existing.save(update_fields=["choice", "created_at"])
            vote = existing
        else:
            vote = ProposalVote.objects.create(proposal=locked, user=user, choice=choice, created_at=now)
        Proposal.objects.filter(pk=locked.pk).update(**change)
        rules.mark_active(user, now)
        record_community(
            "community.proposal_voted",
            actor=user,
            data={"proposal": locked.pk, "previous": previous, "choice": choice},
        )
        return vote

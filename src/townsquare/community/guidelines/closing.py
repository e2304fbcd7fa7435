"""Opening and closing votes on time: the periodic check, and moderators opening a vote early.

Every transition is a conditional UPDATE on the proposal's status (`… WHERE status = 'voting'`),
so when two closers run at once (two hosts' periodic checks, or one and the command) exactly one
of them decides the proposal and writes its events; the other finds nothing left to do.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from townsquare.community import privileges
from townsquare.community.errors import Conflict, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.guidelines import rules
from townsquare.community.guidelines.adoption import adopt
from townsquare.community.models import Proposal, ProposalStatus, ProposalVote

logger = logging.getLogger("townsquare.community")
BATCH = 200


def open_voting(proposal: Proposal, *, actor=None, now=None) -> bool:
    """Move a proposal from discussion to voting and fix its quorum; False if it had moved already."""
    now = now or timezone.now()
    quorum = rules.quorum_for(rules.active_voters(now))
    closes_at = now + timedelta(days=rules.VOTING_DAYS)
    with transaction.atomic():
        changed = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.DISCUSSION).update(
            status=ProposalStatus.VOTING, voting_opens_at=now, voting_closes_at=closes_at, quorum=quorum
        )
        if not changed:
            return False
        record_community(
            "community.proposal_voting_opened",
            actor=actor,
            data={
                "proposal": proposal.pk,
                "quorum": quorum,
                "threshold": proposal.threshold,
                "voting_closes_at": closes_at.isoformat(),
                "early": actor is not None,
            },
        )
        return True


def open_voting_early(user, proposal: Proposal, *, now=None) -> Proposal:
    """A moderator ends the discussion now (the proposal is clear, or the discussion has run dry)."""
    if not privileges.is_moderator(user):
        raise NotAllowed("only moderators can open the vote before the discussion period ends")
    if not open_voting(proposal, actor=user, now=now):
        current = Proposal.objects.get(pk=proposal.pk)
        raise Conflict(f"proposal {current.pk} is {current.get_status_display().lower()}, not in discussion")
    return Proposal.objects.get(pk=proposal.pk)


def count_votes(proposal_id: int) -> rules.Tally:
    counts = dict(
        ProposalVote.objects.filter(proposal_id=proposal_id)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return rules.Tally(yes=counts.get("yes", 0), no=counts.get("no", 0), abstain=counts.get("abstain", 0))


def close_proposal(proposal: Proposal, *, now=None) -> str | None:
    """Decide a proposal whose vote has ended; its outcome, or None if another closer decided it."""
    now = now or timezone.now()
    with transaction.atomic():
        # The lock keeps late votes out while we count; the conditional UPDATE below is what makes
        # a second closer (which may have read the row before ours committed) do nothing.
        locked = (
            Proposal.objects.select_for_update()
            .filter(pk=proposal.pk, status=ProposalStatus.VOTING, voting_closes_at__lte=now)
            .first()
        )
        if locked is None:
            return None
        tally = count_votes(locked.pk)
        result = rules.outcome(tally, locked.quorum, rules.as_fraction(locked.threshold))
        changed = Proposal.objects.filter(pk=locked.pk, status=ProposalStatus.VOTING).update(
            status=result,
            decided_at=now,
            yes_votes=tally.yes,
            no_votes=tally.no,
            abstain_votes=tally.abstain,
        )
        if not changed:
            return None
        summary = {
            "proposal": locked.pk,
            "kind": locked.kind,
            "outcome": result,
            **tally.as_dict(),
            "quorum": locked.quorum,
            "threshold": locked.threshold,
            "proposer": locked.proposer_id,
        }
        record_community("community.proposal_closed", data=summary)
        if result == ProposalStatus.ADOPTED:
            locked.status = result
            locked.decided_at = now
            adopt(locked, tally=summary, now=now)
        return result


@dataclass
class ClosingReport:
    opened: list[int] = field(default_factory=list)
    decided: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"opened": self.opened, "decided": {str(k): v for k, v in self.decided.items()}}


def close_due_proposals(now=None) -> ClosingReport:
    """Open the votes whose discussion has ended and decide the votes that have ended (idempotent)."""
    now = now or timezone.now()
    report = ClosingReport()
    due_to_open = Proposal.objects.filter(status=ProposalStatus.DISCUSSION, voting_opens_at__lte=now)
    for proposal in due_to_open.order_by("voting_opens_at", "id")[:BATCH]:
        if open_voting(proposal, now=now):
            report.opened.append(proposal.pk)
    due_to_close = Proposal.objects.filter(status=ProposalStatus.VOTING, voting_closes_at__lte=now)
    for proposal in due_to_close.order_by("voting_closes_at", "id")[:BATCH]:
        result = close_proposal(proposal, now=now)
        if result is not None:
            report.decided[proposal.pk] = result
    return report

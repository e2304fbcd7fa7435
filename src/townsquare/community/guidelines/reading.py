"""What the pages and the API show: the current rules, a rule's history, proposals and their tallies.

Each function loads what it shows in a fixed number of queries, however many rules, revisions or
comments there are.
"""

from dataclasses import dataclass

from django.db.models import Count

from townsquare.community.guidelines import rules
from townsquare.community.models import (
    Guideline,
    GuidelineRevision,
    Proposal,
    ProposalComment,
    ProposalKind,
    ProposalStatus,
    ProposalVote,
)

DECIDED = (
    ProposalStatus.ADOPTED,
    ProposalStatus.REJECTED,
    ProposalStatus.NO_QUORUM,
    ProposalStatus.WITHDRAWN,
)
DECIDED_SHOWN = 50


def current_guidelines():
    return Guideline.objects.filter(is_active=True).order_by("number")


def repealed_guidelines():
    return Guideline.objects.filter(is_active=False).order_by("number")


def history(guideline: Guideline) -> list[GuidelineRevision]:
    """Every adopted version of a rule, oldest first, with the proposal that adopted each."""
    return list(guideline.revisions.select_related("proposal", "proposal__proposer").order_by("version"))


def proposals():
    return Proposal.objects.select_related("guideline", "proposer").annotate(comment_count=Count("comments"))


def proposals_by_stage() -> dict[str, list[Proposal]]:
    listed = proposals()
    return {
        "discussion": list(listed.filter(status=ProposalStatus.DISCUSSION).order_by("voting_opens_at", "id")),
        "voting": list(listed.filter(status=ProposalStatus.VOTING).order_by("voting_closes_at", "id")),
        "decided": list(listed.filter(status__in=DECIDED).order_by("-decided_at", "-id")[:DECIDED_SHOWN]),
    }


def heading(proposal: Proposal) -> str:
    """What a proposal does, as its heading: "Add a rule: …", "Change rule 2: …", "Remove rule 4: …"."""
    if proposal.kind == ProposalKind.ADD:
        return f"Add a rule: {proposal.title}"
    verb = "Change" if proposal.kind == ProposalKind.AMEND else "Remove"
    return f"{verb} rule {proposal.guideline.number}: {proposal.title}"


def proposer_name(proposal: Proposal) -> str:
    user = proposal.proposer
    if user is None:
        return "a former member"
    return user.get_full_name() or user.get_username()


def comments(proposal: Proposal) -> list[ProposalComment]:
    return list(proposal.comments.select_related("author").order_by("created_at", "id"))


def vote_of(user, proposal: Proposal) -> str | None:
    if not (user and user.is_authenticated):
        return None
    return ProposalVote.objects.filter(proposal=proposal, user=user).values_list("choice", flat=True).first()


@dataclass(frozen=True)
class Progress:
    """The tally against the quorum and the threshold, as shown next to the vote form."""

    tally: rules.Tally
    quorum: int
    threshold: str
    quorum_met: bool
    passing: bool

    @property
    def quorum_percent(self) -> int:
        if not self.quorum:
            return 100
        return min(100, self.tally.total * 100 // self.quorum)

    @property
    def still_needed(self) -> int:
        return max(0, self.quorum - self.tally.total)


def progress(proposal: Proposal) -> Progress:
    tally = rules.Tally(yes=proposal.yes_votes, no=proposal.no_votes, abstain=proposal.abstain_votes)
    threshold = rules.as_fraction(proposal.threshold)
    return Progress(
        tally=tally,
        quorum=proposal.quorum,
        threshold=rules.describe_threshold(threshold),
        quorum_met=rules.quorum_met(tally, proposal.quorum),
        passing=rules.passes(tally, threshold),
    )

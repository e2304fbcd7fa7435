"""Proposing a change to the rules, discussing it, and withdrawing it.

Members of trust level 2 propose; anyone who may post in the community comments. Each call checks
permissions first (so a refused caller learns why before anything about the proposal's state),
then writes the row and its event in one transaction.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.community import markdown, privileges
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.guidelines import rules
from townsquare.community.guidelines.text import (
    COMMENT_LIMIT,
    RATIONALE_LIMIT,
    RULE_TEXT_LIMIT,
    TITLE_LIMIT,
    checked,
)
from townsquare.community.models import (
    Guideline,
    Proposal,
    ProposalComment,
    ProposalKind,
    ProposalStatus,
)

OPEN = (ProposalStatus.DISCUSSION, ProposalStatus.VOTING)


def _discussion_days(days) -> int:
    if days is None:
        return rules.DISCUSSION_DAYS
    if not isinstance(days, int) or isinstance(days, bool):
        raise CommunityError("discussion_days must be a whole number of days")
    if not rules.MIN_DISCUSSION_DAYS <= days <= rules.MAX_DISCUSSION_DAYS:
        raise CommunityError(
            f"discussion_days must be between {rules.MIN_DISCUSSION_DAYS} and {rules.MAX_DISCUSSION_DAYS}"
        )
    return days


def _target(kind: str, guideline: Guideline | None) -> Guideline | None:
    """The rule an amend or repeal is about, locked so two proposals for it cannot both start."""
    if kind == ProposalKind.ADD:
        if guideline is not None:
            raise CommunityError("a proposal to add a rule names no existing rule")
        return None
    if guideline is None:
        raise CommunityError("say which rule to change or remove")
    locked = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if not locked.is_active:
        raise CommunityError(f"rule {locked.number} was repealed; propose adding a new rule instead")
    busy = Proposal.objects.filter(guideline=locked, status__in=OPEN).values_list("pk", flat=True).first()
    if busy is not None:
        raise Conflict(f"proposal {busy} about rule {locked.number} is still open; join that one")
    return locked


def propose(
    user,
    *,
    kind: str,
    title: str = "",
    text: str = "",
    rationale: str,
    guideline: Guideline | None = None,
    discussion_days: int | None = None,
    now=None,
) -> Proposal:
    """A new proposal to add, amend or repeal a rule, open for discussion."""
    privileges.require(user, "propose_guidelines")
    if kind not in ProposalKind.values:
        raise CommunityError(f"kind must be one of {', '.join(ProposalKind.values)}")
    rationale = checked(rationale, field="rationale", minimum=10, limit=RATIONALE_LIMIT)
    days = _discussion_days(discussion_days)
    if kind != ProposalKind.REPEAL:
        title = checked(title, field="title", minimum=3, limit=TITLE_LIMIT)
        text = checked(text, field="text", minimum=10, limit=RULE_TEXT_LIMIT)
    now = now or timezone.now()
    with transaction.atomic():
        target = _target(kind, guideline)
        if kind == ProposalKind.AMEND and (title, text) == (target.title, target.text):
            raise CommunityError(f"the proposed text is the same as rule {target.number}'s current text")
        if kind == ProposalKind.REPEAL:
            title, text = target.title, ""
        mine = Proposal.objects.filter(proposer=user, status__in=OPEN).count()
        if mine >= rules.OPEN_PROPOSALS_PER_MEMBER:
            raise Conflict(
                f"you have {mine} open proposals; wait until one is decided "
                f"(at most {rules.OPEN_PROPOSALS_PER_MEMBER} at a time)"
            )
        proposal = Proposal.objects.create(
            proposer=user,
            kind=kind,
            guideline=target,
            title=title,
            text=text,
            rationale=rationale,
            created_at=now,
            voting_opens_at=now + timedelta(days=days),
            threshold=float(rules.threshold_for(kind)),
        )
        rules.mark_active(user, now)
        record_community(
            "community.proposal_created",
            actor=user,
            data={
                "proposal": proposal.pk,
                "kind": kind,
                "guideline": target.pk if target else None,
                "number": target.number if target else None,
                "voting_opens_at": proposal.voting_opens_at.isoformat(),
            },
        )
        return proposal


def comment(user, proposal: Proposal, body: str) -> ProposalComment:
    """A comment in a proposal's discussion (open while it is discussed or voted on)."""
    privileges.require(user, "answer")
    body = checked(body, field="body", limit=COMMENT_LIMIT)
    if markdown.has_links(body) and not privileges.can(user, "post_links"):
        raise NotAllowed("you need trust level 1 (basic) to post links")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status not in OPEN:
            raise Conflict(
                f"proposal {locked.pk} is {locked.get_status_display().lower()}: comments are closed"
            )
        created = ProposalComment.objects.create(
            proposal=locked, author=user, body=body, body_html=markdown.render(body)
        )
        rules.mark_active(user, created.created_at)
        record_community(
            "community.proposal_commented",
            actor=user,
            data={"proposal": locked.pk, "comment": created.pk},
        )
        return created


def withdraw(user, proposal: Proposal, *, now=None) -> Proposal:
    """The proposer takes their proposal back while it is still open; its votes no longer count."""
    if not (user and user.is_authenticated):
        raise NotAllowed("sign in to take part in the community")
    if proposal.proposer_id != user.pk:
        raise NotAllowed("only the member who proposed it can withdraw a proposal")
    now = now or timezone.now()
    with transaction.atomic():
        was = Proposal.objects.select_for_update().values_list("status", flat=True).get(pk=proposal.pk)
        changed = Proposal.objects.filter(pk=proposal.pk, status__in=OPEN).update(
            status=ProposalStatus.WITHDRAWN, decided_at=now
        )
        if not changed:
            current = Proposal.objects.get(pk=proposal.pk)
            raise Conflict(f"proposal {current.pk} is already {current.get_status_display().lower()}")
        record_community(
            "community.proposal_withdrawn",
            actor=user,
            data={"proposal": proposal.pk, "was": was},
        )
        return Proposal.objects.get(pk=proposal.pk)


def open_proposals_about(guideline: Guideline):
    return Proposal.objects.filter(guideline=guideline, status__in=OPEN)

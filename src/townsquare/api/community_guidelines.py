"""/community/guidelines (the adopted rules and their history, public) and /community/proposals
(public to read; members propose, comment and vote by trust level; moderators open votes early;
proposers withdraw)."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.community_auth import PUBLIC_AUTH, PUBLIC_OPENAPI, check_public_rate, optional_caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.community.guidelines import ballots, closing, proposing, reading, rules
from townsquare.community.guidelines.text import COMMENT_LIMIT, RATIONALE_LIMIT, RULE_TEXT_LIMIT, TITLE_LIMIT
from townsquare.community.models import Guideline, Proposal, ProposalKind, ProposalStatus, VoteChoice

router = Router(tags=["community guidelines"])
NO_NUL = r"^[^\x00]*$"


class RevisionOut(Schema):
    version: int
    title: str
    text: str
    repealed: bool
    adopted_at: datetime
    proposal_id: int | None = Field(description="the proposal that adopted it; null for the founding rules")


class GuidelineOut(Schema):
    id: int
    number: int = Field(description="cited by moderators as 'rule N'")
    title: str
    text: str = Field(description="the current adopted text (Markdown)")
    is_active: bool
    adopted_at: datetime


class GuidelineDetailOut(GuidelineOut):
    history: list[RevisionOut]


class TallyOut(Schema):
    yes: int
    no: int
    abstain: int
    quorum: int = Field(description="votes needed, fixed when voting opens (0 before)")
    quorum_met: bool
    threshold: float = Field(description="share of the yes and no votes needed (0.5: more than half)")
    threshold_rule: str


class ProposalOut(Schema):
    id: int
    kind: ProposalKind
    status: ProposalStatus
    guideline_id: int | None
    guideline_number: int | None
    title: str
    text: str
    rationale: str
    proposer: str | None
    created_at: datetime
    voting_opens_at: datetime | None
    voting_closes_at: datetime | None
    decided_at: datetime | None
    tally: TallyOut


class CommentOut(Schema):
    id: int
    author: str | None
    body: str
    body_html: str = Field(description="sanitised HTML")
    created_at: datetime


class ProposalDetailOut(ProposalOut):
    comments: list[CommentOut]
    my_vote: VoteChoice | None = Field(description="the caller's vote, null when none or anonymous")
    rules: list[str] = Field(description="how proposals are decided, in plain words")


class ProposalIn(Schema):
    kind: ProposalKind
    guideline_id: Id | None = Field(None, description="the rule to amend or repeal")
    title: str = Field(
        "", max_length=TITLE_LIMIT, pattern=NO_NUL, description="the rule's title; not for repeal"
    )
    text: str = Field(
        "", max_length=RULE_TEXT_LIMIT, pattern=NO_NUL, description="the rule's full text; not for repeal"
    )
    rationale: str = Field(min_length=1, max_length=RATIONALE_LIMIT, pattern=NO_NUL)
    discussion_days: int = Field(
        rules.DISCUSSION_DAYS, ge=rules.MIN_DISCUSSION_DAYS, le=rules.MAX_DISCUSSION_DAYS
    )


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=COMMENT_LIMIT, pattern=NO_NUL)


class VoteIn(Schema):
    choice: VoteChoice


class VoteOut(Schema):
    proposal_id: int
    choice: VoteChoice
    tally: TallyOut


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _tally(proposal: Proposal) -> dict:
    shown = reading.progress(proposal)
    return {
        **shown.tally.as_dict(),
        "quorum": proposal.quorum,
        "quorum_met": shown.quorum_met,
        "threshold": proposal.threshold,
        "threshold_rule": shown.threshold,
    }


def _proposal_out(proposal: Proposal) -> dict:
    return {
        "id": proposal.pk,
        "kind": proposal.kind,
        "status": proposal.status,
        "guideline_id": proposal.guideline_id,
        "guideline_number": proposal.guideline.number if proposal.guideline else None,
        "title": proposal.title,
        "text": proposal.text,
        "rationale": proposal.rationale,
        "proposer": _name(proposal.proposer),
        "created_at": proposal.created_at,
        "voting_opens_at": proposal.voting_opens_at,
        "voting_closes_at": proposal.voting_closes_at,
        "decided_at": proposal.decided_at,
        "tally": _tally(proposal),
    }


def _detail_out(proposal: Proposal, user) -> dict:
    return {
        **_proposal_out(proposal),
        "comments": [
            {
                "id": c.pk,
                "author": _name(c.author),
                "body": c.body,
                "body_html": c.body_html,
                "created_at": c.created_at,
            }
            for c in reading.comments(proposal)
        ],
        "my_vote": reading.vote_of(user, proposal),
        "rules": rules.rules_text(),
    }


def _proposal(proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_related("guideline", "proposer").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(f"proposal {proposal_id} not found")
    return proposal


def _guideline(guideline_id: int) -> Guideline:
    guideline = Guideline.objects.filter(pk=guideline_id).first()
    if guideline is None:
        raise NotFound(f"guideline {guideline_id} not found")
    return guideline


@router.get(
    "/guidelines",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[GuidelineOut], **error_responses(401, 429)},
    summary="The community's guidelines: the rules in force, then repealed ones (public)",
)
def list_guidelines(request):
    check_public_rate(request)
    return list(Guideline.objects.order_by("-is_active", "number"))


@router.get(
    "/guidelines/{guideline_id}",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: GuidelineDetailOut, **error_responses(401, 404, 422, 429)},
    summary="One guideline with every adopted version of it (public)",
)
def read_guideline(request, guideline_id: Id):
    check_public_rate(request)
    guideline = _guideline(guideline_id)
    guideline.history = reading.history(guideline)
    return guideline


@router.get(
    "/proposals",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[ProposalOut], **error_responses(401, 429)},
    summary="Proposals in discussion, in voting, and the latest decided ones (public)",
)
def list_proposals(request):
    check_public_rate(request)
    stages = reading.proposals_by_stage()
    return [_proposal_out(p) for stage in ("voting", "discussion", "decided") for p in stages[stage]]


@router.post(
    "/proposals",
    response={201: ProposalDetailOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Propose adding, amending or repealing a rule (trust level 2+)",
)
def create_proposal(request, payload: ProposalIn):
    user = caller(request)
    guideline = _guideline(payload.guideline_id) if payload.guideline_id else None
    proposal = proposing.propose(
        user,
        kind=payload.kind,
        guideline=guideline,
        title=payload.title,
        text=payload.text,
        rationale=payload.rationale,
        discussion_days=payload.discussion_days,
    )
    return Status(201, _detail_out(_proposal(proposal.pk), user))


@router.get(
    "/proposals/{proposal_id}",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: ProposalDetailOut, **error_responses(401, 404, 422, 429)},
    summary="One proposal with its discussion and tally (public)",
)
def read_proposal(request, proposal_id: Id):
    check_public_rate(request)
    return _detail_out(_proposal(proposal_id), optional_caller(request))


@router.post(
    "/proposals/{proposal_id}/comments",
    response={201: CommentOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Comment on a proposal while it is open (signed-in members)",
)
def comment_on_proposal(request, proposal_id: Id, payload: CommentIn):
    created = proposing.comment(caller(request), _proposal(proposal_id), payload.body)
    return Status(
        201,
        {
            "id": created.pk,
            "author": _name(created.author),
            "body": created.body,
            "body_html": created.body_html,
            "created_at": created.created_at,
        },
    )


@router.post(
    "/proposals/{proposal_id}/votes",
    response={200: VoteOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Vote yes, no or abstain (trust level 1+); voting again replaces your vote",
)
def vote_on_proposal(request, proposal_id: Id, payload: VoteIn):
    vote = ballots.cast_vote(caller(request), _proposal(proposal_id), payload.choice)
    return {"proposal_id": proposal_id, "choice": vote.choice, "tally": _tally(_proposal(proposal_id))}


@router.post(
    "/proposals/{proposal_id}/open-voting",
    response={200: ProposalOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="End the discussion and open the vote now (moderators)",
)
def open_voting(request, proposal_id: Id):
    proposal = closing.open_voting_early(caller(request), _proposal(proposal_id))
    return _proposal_out(_proposal(proposal.pk))


@router.post(
    "/proposals/{proposal_id}/withdraw",
    response={200: ProposalOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Withdraw your own proposal while it is open (the proposer)",
)
def withdraw_proposal(request, proposal_id: Id):
    proposal = proposing.withdraw(caller(request), _proposal(proposal_id))
    return _proposal_out(_proposal(proposal.pk))

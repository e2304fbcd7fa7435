"""The guideline pages: the current rules, each rule's history, proposals, and taking part in them.

Reading is public. Posting goes through the services, which say why a member may not (trust level,
suspension); the page shows that reason instead of a form it would refuse.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.community import markdown, privileges
from townsquare.community.errors import CommunityError, Conflict
from townsquare.community.guidelines import ballots, closing, proposing, reading, rules
from townsquare.community.guidelines.diff import word_diff
from townsquare.community.guidelines.forms import CommentForm, ProposalForm, VoteForm
from townsquare.community.models import Guideline, Proposal, ProposalKind, ProposalStatus
from townsquare.inbox.visibility import Forbidden


def _why_not(user, privilege: str) -> str:
    """The reason `user` may not use `privilege` ("" when they may)."""
    try:
        privileges.require(user, privilege)
    except Forbidden as refusal:
        return str(refusal)
    return ""


def _with_html(guidelines):
    rows = list(guidelines)
    for guideline in rows:
        guideline.html = markdown.render(guideline.text)
    return rows


@require_GET
def guidelines(request):
    return render(
        request,
        "community/guidelines/guidelines.html",
        {
            "guidelines": _with_html(reading.current_guidelines()),
            "repealed": list(reading.repealed_guidelines()),
            "rules_text": rules.rules_text(),
            "open_count": Proposal.objects.filter(status__in=proposing.OPEN).count(),
        },
    )


@require_GET
def guideline_history(request, guideline_number: int):
    guideline = get_object_or_404(Guideline, number=guideline_number)
    revisions = reading.history(guideline)
    for revision in revisions:
        revision.html = markdown.render(revision.text)
    return render(
        request,
        "community/guidelines/history.html",
        {
            "guideline": guideline,
            "revisions": revisions,
            "open_proposals": list(proposing.open_proposals_about(guideline)),
            "can_propose": privileges.can(request.user, "propose_guidelines"),
        },
    )


STAGES = (
    ("voting", "Voting now", "Nothing is being voted on."),
    ("discussion", "In discussion", "Nothing is in discussion."),
    ("decided", "Decided", "No proposal has been decided yet."),
)


@require_GET
def proposal_list(request):
    by_stage = reading.proposals_by_stage()
    for listed in by_stage.values():
        for proposal in listed:
            proposal.heading, proposal.proposer_name = (
                reading.heading(proposal),
                reading.proposer_name(proposal),
            )
    return render(
        request,
        "community/guidelines/proposals.html",
        {
            "stages": [(key, title, empty, by_stage[key]) for key, title, empty in STAGES],
            "rules_text": rules.rules_text(),
            "why_not_propose": _why_not(request.user, "propose_guidelines"),
        },
    )


def _initial(request) -> dict:
    initial = {"discussion_days": rules.DISCUSSION_DAYS}
    kind = request.GET.get("kind", "")
    number = request.GET.get("rule", "")
    if kind in ProposalKind.values:
        initial["kind"] = kind
    if number.isdigit():
        guideline = Guideline.objects.filter(number=int(number), is_active=True).first()
        if guideline is not None:
            initial.update(guideline=guideline, title=guideline.title, text=guideline.text)
    return initial


@require_http_methods(["GET", "POST"])
def proposal_new(request):
    why_not = _why_not(request.user, "propose_guidelines")
    form = ProposalForm(request.POST if request.method == "POST" else None, initial=_initial(request))
    if request.method == "POST" and not why_not and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = proposing.propose(
                request.user,
                kind=data["kind"],
                guideline=data["guideline"],
                title=data["title"],
                text=data["text"],
                rationale=data["rationale"],
                discussion_days=data["discussion_days"],
            )
        except (CommunityError, Forbidden) as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your proposal is open for discussion.")
            return redirect("community:proposal", proposal_id=proposal.pk)
    status = 403 if request.method == "POST" and why_not else 200
    return render(
        request,
        "community/guidelines/proposal_new.html",
        {"form": form, "why_not": why_not, "rules_text": rules.rules_text()},
        status=status,
    )


def _proposal_context(request, proposal: Proposal, **forms) -> dict:
    current = proposal.guideline
    amendment = proposal.kind == ProposalKind.AMEND and current is not None
    open_for_votes = proposal.status == ProposalStatus.VOTING
    return {
        "proposal": proposal,
        "heading": reading.heading(proposal),
        "proposer_name": reading.proposer_name(proposal),
        "text_html": markdown.render(proposal.text),
        "rationale_html": markdown.render(proposal.rationale),
        "current_html": markdown.render(current.text) if current else "",
        "title_diff": word_diff(current.title, proposal.title) if amendment else [],
        "text_diff": word_diff(current.text, proposal.text) if amendment else [],
        "comments": reading.comments(proposal),
        "progress": reading.progress(proposal),
        "my_vote": reading.vote_of(request.user, proposal),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "vote_form": forms.get("vote_form")
        or VoteForm(initial={"choice": reading.vote_of(request.user, proposal)}),
        "why_not_comment": _why_not(request.user, "answer"),
        "why_not_vote": _why_not(request.user, "vote_guidelines") if open_for_votes else "",
        "is_open": proposal.status in proposing.OPEN,
        "can_open_voting": privileges.is_moderator(request.user)
        and proposal.status == ProposalStatus.DISCUSSION,
        "can_withdraw": request.user.is_authenticated
        and proposal.proposer_id == request.user.pk
        and proposal.status in proposing.OPEN,
        "rules_text": rules.rules_text(),
    }


def _proposal(proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_related("guideline", "proposer").filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("no such proposal")
    return proposal


@require_GET
def proposal_detail(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    return render(request, "community/guidelines/proposal.html", _proposal_context(request, proposal))


def _back(proposal_id: int, anchor: str = ""):
    return redirect(reverse("community:proposal", kwargs={"proposal_id": proposal_id}) + anchor)


def _status_for(refusal: Exception) -> int:
    if isinstance(refusal, Forbidden):
        return 403
    return 409 if isinstance(refusal, Conflict) else 400


def _refused(request, proposal: Proposal, refusal, status: int, **forms):
    messages.error(request, str(refusal))
    context = _proposal_context(request, _proposal(proposal.pk), **forms)
    return render(request, "community/guidelines/proposal.html", context, status=status)


@require_POST
def proposal_comment(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, "Write a comment first.", 400, comment_form=form)
    try:
        proposing.comment(request.user, proposal, form.cleaned_data["body"])
    except (Forbidden, CommunityError) as refusal:
        return _refused(request, proposal, refusal, _status_for(refusal), comment_form=form)
    messages.success(request, "Comment posted.")
    return _back(proposal.pk, "#comments")


@require_POST
def proposal_vote(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, "Choose yes, no or abstain.", 400, vote_form=form)
    try:
        ballots.cast_vote(request.user, proposal, form.cleaned_data["choice"])
    except (Forbidden, CommunityError) as refusal:
        return _refused(request, proposal, refusal, _status_for(refusal), vote_form=form)
    messages.success(
        request,
        f"Your vote is recorded: {form.cleaned_data['choice']}. You can change it until the vote closes.",
    )
    return _back(proposal.pk, "#vote")


@require_POST
def proposal_open_voting(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    try:
        closing.open_voting_early(request.user, proposal)
    except (Forbidden, CommunityError) as refusal:
        return _refused(request, proposal, refusal, _status_for(refusal))
    messages.success(request, "Voting is open.")
    return _back(proposal.pk, "#vote")


@require_POST
def proposal_withdraw(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    try:
        proposing.withdraw(request.user, proposal)
    except (Forbidden, CommunityError) as refusal:
        return _refused(request, proposal, refusal, _status_for(refusal))
    messages.success(request, "You withdrew the proposal.")
    return _back(proposal.pk)

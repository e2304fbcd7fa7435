"""POST /conversations/{id}/claim, /assign and /unassign: who owns a conversation."""

from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import StringConstraints

from townsquare.api.auth import caller
from townsquare.api.errors import error_responses
from townsquare.api.params import Id
from townsquare.care.claims import ClaimError, assign, claim, unassign, user_by_id
from townsquare.inbox.models import Conversation

router = Router(tags=["assignment"])


class AssignmentOut(Schema):
    conversation_id: int
    assignee_id: int | None
    queue_id: int | None
    assigned_at: datetime | None
    escalation_level: str
    status: str


class AssignIn(Schema):
    assignee_id: Id
    force: bool = Field(False, description="supervisors: assign over capacity or to someone away/offline")


# The reason rides in the query string: the call needs no body.
REASON = Query("", max_length=200, pattern=r"^[^\x00]*$", description="why, for the event log")


@contextmanager
def claim_errors():
    """A claim that cannot happen (taken, over capacity, away, resolved) is a 409 with the reason."""
    try:
        yield
    except ClaimError as exc:
        raise HttpError(409, str(exc)) from None


def assignment_of(conversation_id: int) -> dict:
    row = Conversation.objects.filter(pk=conversation_id).values(
        "pk", "assignee_id", "queue_id", "assigned_at", "escalation_level", "status"
    )[0]
    row["conversation_id"] = row.pop("pk")
    return row


@router.post(
    "/{conversation_id}/claim",
    response={200: AssignmentOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Take an unassigned conversation for yourself",
)
def claim_endpoint(request, conversation_id: Id):
    with claim_errors():
        claim(caller(request), conversation_id)
    return assignment_of(conversation_id)


@router.post(
    "/{conversation_id}/assign",
    response={200: AssignmentOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Give a conversation to someone (supervisor, admin; anyone to themselves)",
)
def assign_endpoint(request, conversation_id: Id, payload: AssignIn):
    user = caller(request)
    assignee = user_by_id(payload.assignee_id)
    with claim_errors():
        assign(user, conversation_id, assignee, force=payload.force)
    return assignment_of(conversation_id)


@router.post(
    "/{conversation_id}/unassign",
    response={200: AssignmentOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Let go of a conversation (its owner, a supervisor or an admin); it is routed again",
)
def unassign_endpoint(request, conversation_id: Id, reason: str = REASON):
    with claim_errors():
        unassign(caller(request), conversation_id, reason=reason.strip())
    return assignment_of(conversation_id)


# GET /conversations?assignee=: "me", "none" or a user id.
AssigneeFilter = Annotated[str, StringConstraints(pattern=r"^(me|none|[1-9][0-9]{0,17})$")]


def filter_by_assignee(conversations, assignee: str, user):
    if assignee == "me":
        return conversations.filter(assignee_id=user.pk)
    if assignee == "none":
        return conversations.filter(assignee__isnull=True)
    return conversations.filter(assignee_id=int(assignee))

"""POST /conversations/{id}/escalate and GET /conversations/{id}/escalations: the escalation ladder."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.conversations import visible_conversation
from townsquare.api.errors import error_responses
from townsquare.api.params import Id
from townsquare.care.escalation import EscalationError, escalate
from townsquare.events.models import Event

router = Router(tags=["escalation"])


class EscalateIn(Schema):
    reason: str = Field(min_length=1, max_length=500, description="why it needs a higher rung")
    to_level: Literal["ambassador", "agent", "supervisor"] | None = Field(
        None, description="supervisors and admins only; default: one step up"
    )


class EscalationOut(Schema):
    conversation_id: int
    escalation_level: str
    assignee_id: int | None


class EscalationStepOut(Schema):
    occurred_at: datetime
    actor_id: int | None
    from_level: str
    to_level: str
    reason: str
    automatic: bool


@router.post(
    "/{conversation_id}/escalate",
    response={200: EscalationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Move a conversation up the ladder: ambassador → agent → supervisor",
    description="Whoever holds it below the new level lets go, and it is routed again among people at "
    "that level. An ambassador hands a case to staff with one call.",
)
def escalate_conversation(request, conversation_id: Id, payload: EscalateIn):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    try:
        level = escalate(user, conversation, reason=payload.reason, to_level=payload.to_level)
    except EscalationError as exc:
        raise HttpError(409, str(exc)) from None
    conversation.refresh_from_db()
    return {
        "conversation_id": conversation.pk,
        "escalation_level": level,
        "assignee_id": conversation.assignee_id,
    }


@router.get(
    "/{conversation_id}/escalations",
    response={200: list[EscalationStepOut], **error_responses(401, 403, 404, 422)},
    summary="The conversation's escalation steps, oldest first, with who took them and why",
)
def list_escalations(request, conversation_id: Id):
    conversation = visible_conversation(caller(request), conversation_id)
    steps = Event.objects.filter(kind="conversation.escalated", conversation_id=conversation.pk).order_by(
        "id"
    )
    return [
        {
            "occurred_at": step.occurred_at,
            "actor_id": step.actor_id,
            "from_level": step.data.get("from_level", ""),
            "to_level": step.data.get("to_level", ""),
            "reason": step.data.get("reason", ""),
            "automatic": bool(step.data.get("automatic")),
        }
        for step in steps
    ]

"""GET /conversations/{id}/csat: the satisfaction survey of a resolved conversation and its answer."""

from datetime import datetime

from ninja import Field, Router, Schema

from townsquare.api.auth import caller
from townsquare.api.conversations import visible_conversation
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.replies.csat import survey_path
from townsquare.replies.models import CsatSurvey
from townsquare.replies.permissions import is_supervising
from townsquare.web.pii_fence import shown_free_text

router = Router(tags=["csat"])


class CsatOut(Schema):
    conversation_id: int
    requested_at: datetime
    link: str | None = Field(description="the customer's survey page; shown to supervisors and admins")
    score: int | None = Field(description="1 (very unhappy) to 5 (very happy); null until answered")
    comment: str
    answered_at: datetime | None


@router.get(
    "/conversations/{conversation_id}/csat",
    response={200: CsatOut, **error_responses(401, 403, 404, 422)},
    summary="The conversation's CSAT survey (404 until it was resolved once)",
)
def read_csat(request, conversation_id: Id):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    survey = CsatSurvey.objects.filter(conversation=conversation).first()
    if survey is None:
        raise NotFound(f"conversation {conversation_id} has no CSAT survey yet")
    return {
        "conversation_id": conversation.pk,
        "requested_at": survey.requested_at,
        # The link answers for the customer: only those who could send it on see it.
        "link": request.build_absolute_uri(survey_path(survey)) if is_supervising(user) else None,
        "score": survey.score,
        "comment": shown_free_text(user, survey.comment),
        "answered_at": survey.answered_at,
    }

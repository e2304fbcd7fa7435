"""POST /guard/check: the reply guard's verdict on a text, without sending anything (a dry run)."""

from ninja import Field, Router, Schema

from townsquare.api.auth import caller
from townsquare.api.conversations import visible_conversation
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.profiles import find_visible_customer
from townsquare.replies.guard import check_outgoing, override_allowed

router = Router(tags=["guard"])
MAX_CHECKED_TEXT = 20_000


class GuardCheckIn(Schema):
    text: str = Field(min_length=1, max_length=MAX_CHECKED_TEXT, pattern=r"^[^\x00]*$")
    conversation_id: Id | None = Field(
        None, description="reply into this conversation (its customer's consent)"
    )
    customer_id: Id | None = Field(None, description="send to this customer; default: the conversation's")


class GuardVerdictOut(Schema):
    blocked: bool
    reasons: list[str] = Field(description="why it would be blocked, one sentence each")
    warnings: list[str] = Field(description="what to think about before sending (e.g. a reply to chatter)")
    promo_score: float = Field(description="triage promotion score of the text without its links")
    needs_consent: str = Field(description="the opt-in a promotional text needs: offers, product_news or ''")
    signals: list[str] = Field(description="promotional signals found, as 'kind: what'")
    override_allowed: bool = Field(description="whether the caller may send it anyway with a reason")


@router.post(
    "/check",
    response={200: GuardVerdictOut, **error_responses(401, 403, 404, 422)},
    summary="Check a reply with the guard (dry run: nothing is sent or logged)",
)
def check(request, payload: GuardCheckIn):
    user = caller(request)
    if not can_use_console(user):
        raise Forbidden("your role has no access to the care console")
    conversation = visible_conversation(user, payload.conversation_id) if payload.conversation_id else None
    customer = None
    if payload.customer_id is not None:
        customer = find_visible_customer(user, payload.customer_id)
        if customer is None:
            raise NotFound(f"customer {payload.customer_id} not found")
    verdict = check_outgoing(payload.text, conversation=conversation, customer=customer)
    return {**verdict.as_dict(), "override_allowed": override_allowed(user)}

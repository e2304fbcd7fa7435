"""Canned replies: GET/POST /canned-replies, GET/PATCH/DELETE /canned-replies/{id} (supervisors and
admins change them), GET /conversations/{id}/canned-suggestions (rendered for that conversation)."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from townsquare.api.auth import caller
from townsquare.api.conversations import visible_conversation
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.care.models import Team
from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.replies.canned import CannedError, create_canned, delete_canned, update_canned
from townsquare.replies.models import CannedReply
from townsquare.replies.suggest import suggest_canned
from townsquare.replies.text import BadText
from townsquare.web.pii_fence import shown_free_text

router = Router(tags=["canned replies"])
NO_NUL = r"^[^\x00]*$"


class CannedIn(Schema):
    title: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    shortcut: str = Field(min_length=1, max_length=60, description="lowercase letters, digits, - and _")
    language: str = Field("en", min_length=2, max_length=8, description="ISO 639 code")
    text: str = Field(
        min_length=1,
        max_length=10_000,
        description="may use {{customer.name}}, {{customer.first_name}}, {{agent.name}}, {{order_number}}",
    )
    team_id: int | None = Field(None, ge=1, le=2**63 - 1)


class CannedPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200, pattern=NO_NUL)
    shortcut: str | None = Field(None, min_length=1, max_length=60)
    language: str | None = Field(None, min_length=2, max_length=8)
    text: str | None = Field(None, min_length=1, max_length=10_000)
    team_id: int | None = Field(None, ge=1, le=2**63 - 1)


class CannedOut(Schema):
    id: int
    title: str
    shortcut: str
    language: str
    text: str
    team_id: int | None
    created_at: datetime
    updated_at: datetime


class SuggestionOut(Schema):
    canned_id: int
    shortcut: str
    title: str
    language: str
    text: str = Field(description="rendered for this conversation and agent")
    missing: list[str] = Field(description="variables with no value here, left as {{name}}")
    score: int
    reasons: list[str] = Field(description="why it ranks where it does")


def _require_console(user) -> None:
    if not can_use_console(user):
        raise Forbidden("your role has no access to canned replies")


def _visible_canned(user, canned_id: int) -> CannedReply:
    _require_console(user)
    canned = CannedReply.objects.filter(pk=canned_id).first()
    if canned is None:
        raise NotFound(f"canned reply {canned_id} not found")
    return canned


def _fields(payload, user) -> dict:
    fields = payload.dict(exclude_unset=True)
    if "team_id" in fields:
        team_id = fields.pop("team_id")
        team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
        if team_id is not None and team is None:
            raise _invalid("team_id", f"team {team_id} not found")
        fields["team"] = team
    return {name: value for name, value in fields.items() if value is not None or name == "team"}


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["body", "payload", field], "msg": message, "type": "value_error"}])


@router.get(
    "/canned-replies",
    response={200: list[CannedOut], **error_responses(401, 403, 422)},
    summary="List canned replies",
)
def list_canned(
    request,
    language: str | None = Query(None, max_length=8, pattern=NO_NUL),
    shortcut: str | None = Query(None, max_length=60, pattern=NO_NUL),
):
    _require_console(caller(request))
    canned = CannedReply.objects.all()
    if language:
        canned = canned.filter(language=language)
    if shortcut:
        canned = canned.filter(shortcut=shortcut.lower())
    return list(canned)


@router.post(
    "/canned-replies",
    response={201: CannedOut, **error_responses(401, 403, 409, 422)},
    summary="Create a canned reply (supervisors and admins); unknown variables answer 422",
)
def create_canned_endpoint(request, payload: CannedIn):
    user = caller(request)
    _require_console(user)
    try:
        return Status(201, create_canned(user, **_fields(payload, user)))
    except (CannedError, BadText) as exc:
        raise _invalid("text", str(exc)) from None


@router.get(
    "/canned-replies/{canned_id}",
    response={200: CannedOut, **error_responses(401, 403, 404, 422)},
    summary="One canned reply",
)
def read_canned(request, canned_id: Id):
    return _visible_canned(caller(request), canned_id)


@router.patch(
    "/canned-replies/{canned_id}",
    response={200: CannedOut, **error_responses(401, 403, 404, 422)},
    summary="Change a canned reply (supervisors and admins)",
)
def update_canned_endpoint(request, canned_id: Id, payload: CannedPatch):
    user = caller(request)
    canned = _visible_canned(user, canned_id)
    try:
        return update_canned(user, canned, **_fields(payload, user))
    except (CannedError, BadText) as exc:
        raise _invalid("text", str(exc)) from None


@router.delete(
    "/canned-replies/{canned_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete a canned reply (supervisors and admins)",
)
def delete_canned_endpoint(request, canned_id: Id):
    user = caller(request)
    delete_canned(user, _visible_canned(user, canned_id))
    return Status(204, None)


@router.get(
    "/conversations/{conversation_id}/canned-suggestions",
    response={200: list[SuggestionOut], **error_responses(401, 403, 404, 422)},
    summary="Canned replies that fit this conversation, rendered, best first",
)
def canned_suggestions(request, conversation_id: Id, limit: int = Query(5, ge=1, le=20)):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    return [
        {
            "canned_id": s.rendered.canned.pk,
            "shortcut": s.rendered.canned.shortcut,
            "title": s.rendered.canned.title,
            "language": s.rendered.canned.language,
            # An ambassador gets the order number masked, as everywhere else.
            "text": shown_free_text(user, s.rendered.text),
            "missing": s.rendered.missing,
            "score": s.score,
            "reasons": s.reasons,
        }
        for s in suggest_canned(conversation, user, limit=limit)
    ]

"""Triage labels in the API: list filters by label, and POST /messages/{id}/corrections."""

from datetime import datetime
from typing import Annotated, Literal

from django.db.models import Q, QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.inbox.visibility import Forbidden, visible_messages
from townsquare.labels.services import correct
from townsquare.triage.labels import KINDS, PRIORITIES, SENTIMENTS

router = Router(tags=["labels"])

Kind = Literal[KINDS]
Sentiment = Literal[SENTIMENTS]
Priority = Literal[PRIORITIES]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
KIND = Query(None, description="triage kind")
LANGUAGE = Query(None, description="ISO 639-1 code, or `und`")
SENTIMENT = Query(None, description="triage sentiment")
PRIORITY = Query(None, description="triage priority")
NOT_FOR_US = Query(
    None,
    description="`true`: only spam and chatter not inviting a reply; `false`: only what is for us "
    "(untriaged messages count as for us); omitted: both",
)


def filter_by_labels(
    rows: QuerySet,
    prefix: str,
    *,
    kind: str | None,
    language: str | None,
    sentiment: str | None,
    priority: str | None,
    not_for_us: bool | None,
) -> QuerySet:
    """Narrow `rows` by label fields found under `prefix` (`labels__` for messages, `` for conversations)."""
    wanted = {"kind": kind, "language": language, "sentiment": sentiment, "priority": priority}
    rows = rows.filter(**{f"{prefix}{name}": value for name, value in wanted.items() if value is not None})
    if not_for_us is True:
        rows = rows.filter(**{f"{prefix}not_for_us": True})
    elif not_for_us is False:
        # exclude, not filter(False): a message with no labels yet is for us until triage says otherwise.
        rows = rows.exclude(Q(**{f"{prefix}not_for_us": True}))
    return rows


class CorrectionIn(Schema):
    field: Literal["kind", "not_for_us", "invites_reply", "sentiment", "language", "intent"]
    value: bool | str = Field(
        description="kind, sentiment: one of their values; not_for_us, invites_reply: true or false; "
        "language: ISO 639-1; intent: an intent name"
    )


class FeedbackOut(Schema):
    id: int
    message_id: int
    field: str
    old_value: bool | str | list | None
    new_value: bool | str | list | None
    user: str | None = Field(description="username of the person who made the correction")
    created_at: datetime

    @staticmethod
    def resolve_user(obj) -> str | None:
        return obj.user.username if obj.user_id else None


@router.post(
    "/{message_id}/corrections",
    response={201: FeedbackOut, **error_responses(401, 403, 404, 422)},
    summary="Correct a triage label of one message (recorded as training feedback)",
)
def create_correction(request, message_id: Id, body: CorrectionIn):
    user = caller(request)
    message = visible_messages(user).select_related("conversation").filter(pk=message_id).first()
    if message is None:
        raise NotFound(f"message {message_id} not found")
    try:
        # The service checks the value (InvalidCorrection is a ValueError): one rule for console and API.
        feedback = correct(message, user, body.field, body.value)
    except Forbidden:
        raise
    except PermissionError as exc:
        raise Forbidden(str(exc) or "you may not correct this message's labels") from exc
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, feedback)

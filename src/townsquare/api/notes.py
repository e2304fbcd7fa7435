"""Internal notes: GET/POST /conversations/{id}/notes. Notes are never sent to the customer."""

from datetime import datetime

from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from townsquare.api.auth import caller
from townsquare.api.conversations import visible_conversation
from townsquare.api.errors import error_responses
from townsquare.api.params import Id
from townsquare.replies.models import Note
from townsquare.replies.notes import add_note
from townsquare.replies.text import MAX_TEXT_CHARACTERS, BadText
from townsquare.web.pii_fence import shown_free_text

router = Router(tags=["notes"])


class NoteIn(Schema):
    text: str = Field(
        min_length=1, max_length=MAX_TEXT_CHARACTERS, description="@username mentions a colleague"
    )


class NoteOut(Schema):
    id: int
    conversation_id: int
    author: str
    text: str
    mentions: list[str] = Field(description="usernames mentioned with @")
    created_at: datetime


def note_out(user, note: Note) -> dict:
    return {
        "id": note.pk,
        "conversation_id": note.conversation_id,
        "author": note.author.username,
        # Staff may quote the customer's email in a note; ambassadors get it masked.
        "text": shown_free_text(user, note.text),
        "mentions": [mentioned.username for mentioned in note.mentions.all()],
        "created_at": note.created_at,
    }


@router.get(
    "/conversations/{conversation_id}/notes",
    response={200: list[NoteOut], **error_responses(401, 403, 404, 422)},
    summary="A conversation's internal notes, oldest first",
)
def list_notes(request, conversation_id: Id):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    notes = (
        conversation.notes.select_related("author").prefetch_related("mentions").order_by("created_at", "id")
    )
    return [note_out(user, note) for note in notes]


@router.post(
    "/conversations/{conversation_id}/notes",
    response={201: NoteOut, **error_responses(401, 403, 404, 422)},
    summary="Add an internal note; @username mentions a colleague",
)
def create_note(request, conversation_id: Id, payload: NoteIn):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    try:
        note = add_note(user, conversation, payload.text)
    except BadText as exc:
        raise ValidationError(
            [{"loc": ["body", "payload", "text"], "msg": str(exc), "type": "value_error"}]
        ) from None
    return Status(201, note_out(user, note))

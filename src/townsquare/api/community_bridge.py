"""The care bridge over the API: community answers for a care conversation, and publishing one.

GET  /conversations/{id}/community-suggestions  answered community questions matching the customer's
                                                latest messages, with a ready reply that links them
POST /conversations/{id}/publish                staff publish a resolved conversation as a question
                                                with its accepted answer (needs the customer's consent)
"""

from ninja import Field, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.conversations import visible_conversation
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.community.bridge.links import topic_path
from townsquare.community.bridge.publish import draft_for, publish, require_publisher
from townsquare.community.bridge.suggestions import suggestions_for
from townsquare.community.models import Space
from townsquare.community.posting import BODY_LIMIT, TITLE_LIMIT

router = Router(tags=["community"])


class CommunitySuggestionOut(Schema):
    topic_id: int
    title: str
    space: str = Field(description="the space's slug")
    language: str
    accepted: bool = Field(description="the question has an accepted answer")
    answer_count: int
    similarity: float = Field(description="cosine similarity to the customer's messages, 0..1")
    url: str = Field(description="the question's absolute address")
    reply: str = Field(description="a short reply with the link, in the conversation's language")


class CommunitySuggestionsOut(Schema):
    invites_reply: bool | None = Field(
        description="triage: the conversation invites a reply (null: not yet labelled)"
    )
    suggestions: list[CommunitySuggestionOut]


class PublishIn(Schema):
    space_id: Id
    title: str | None = Field(
        None, min_length=1, max_length=TITLE_LIMIT, description="default: from the subject"
    )
    question: str | None = Field(
        None, min_length=1, max_length=BODY_LIMIT, description="default: the customer's messages"
    )
    answer: str | None = Field(
        None, min_length=1, max_length=BODY_LIMIT, description="default: the brand's replies"
    )


class PublishedOut(Schema):
    topic_id: int
    post_id: int
    url: str
    title: str
    question: str = Field(description="as stored: personal data masked")
    answer: str


@router.get(
    "/{conversation_id}/community-suggestions",
    response={200: CommunitySuggestionsOut, **error_responses(401, 403, 404, 422)},
    summary="Answered community questions matching what the customer wrote, with a reply linking each",
    description="Empty unless the conversation invites a reply. Matches are semantic and cross-lingual.",
)
def community_suggestions(request, conversation_id: Id):
    conversation = visible_conversation(caller(request), conversation_id)
    found = suggestions_for(conversation, request.build_absolute_uri)
    return {
        "invites_reply": conversation.invites_reply,
        "suggestions": [
            {
                "topic_id": s.topic.pk,
                "title": s.topic.title,
                "space": s.topic.space.slug,
                "language": s.topic.language,
                "accepted": s.accepted,
                "answer_count": s.topic.answer_count,
                "similarity": round(s.similarity, 4),
                "url": s.url,
                "reply": s.reply,
            }
            for s in found
        ],
    }


@router.post(
    "/{conversation_id}/publish",
    response={201: PublishedOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Publish a resolved conversation to the community as a question with its accepted answer",
    description="Agents, supervisors and admins. Texts default to the conversation's, personal data "
    "masked; whatever is sent is masked again. 409 when the conversation is not resolved, is already "
    "published, or the customer has not agreed to `community_publish`.",
)
def publish_conversation(request, conversation_id: Id, payload: PublishIn):
    user = caller(request)
    conversation = visible_conversation(user, conversation_id)
    require_publisher(user, conversation)
    space = Space.objects.filter(pk=payload.space_id).first()
    if space is None:
        raise NotFound(f"space {payload.space_id} not found")
    draft = draft_for(conversation)
    topic = publish(
        user,
        conversation,
        space=space,
        title=payload.title if payload.title is not None else draft.title,
        question=payload.question if payload.question is not None else draft.question,
        answer=payload.answer if payload.answer is not None else draft.answer,
    )
    return Status(
        201,
        {
            "topic_id": topic.pk,
            "post_id": topic.accepted_post.pk,
            "url": request.build_absolute_uri(topic_path(topic)),
            "title": topic.title,
            "question": topic.body,
            "answer": topic.accepted_post.body,
        },
    )

"""Community questions become care conversations, through ingest like any other message.

A question is stored as an inbound message `topic:<id>` on its space's community channel, written by
the asker's identity (`community:<user id>`, linked to their customer). Ingest threads it, counts it
and enqueues its triage, so it is labelled, routed (to ambassadors first: community conversations
start on that rung) and measured like a tweet or an email. Staff answers and the asker's own follow-ups
are mirrored as outbound/inbound messages threaded under it, so the care timeline shows the thread.

Held topics (spam caught by triage) are not ingested until a moderator approves them; imported
history, discussions and questions asked by staff never are.
"""

from django.db import transaction

from townsquare.community import markdown, privileges
from townsquare.community.bridge.accounts import author_id_for, identity_for
from townsquare.community.bridge.channel import channel_for
from townsquare.community.models import Post, Topic, TopicKind, Visibility
from townsquare.inbox.ingest.normalized import MAX_TEXT_BYTES, InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Message
from townsquare.triage.text import clean

SOURCE = "community"


def topic_external_id(topic_id: int) -> str:
    return f"topic:{topic_id}"


def post_external_id(post_id: int) -> str:
    return f"post:{post_id}"


def wants_conversation(topic: Topic) -> bool:
    """A visible question asked by a member (not staff, not imported) becomes care work."""
    return (
        topic.kind == TopicKind.QUESTION
        and topic.visibility == Visibility.VISIBLE
        and topic.author_id is not None
        and not topic.external_id
        and topic.published_from_id is None
        and not privileges.is_brand(topic.author)
    )


def _storable(text: str) -> str:
    """Plain text ingest accepts: well-formed, and under its size limit (cut on a character)."""
    text = clean(text, limit=None)
    while len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        text = text[: int(len(text) * 0.9)]
    return text


def ingest_topic(topic: Topic) -> int | None:
    """Store the question as a care message and link its conversation; returns the conversation id.

    Idempotent: a question already stored keeps its message and conversation. Call inside a transaction.
    """
    if not wants_conversation(topic):
        return None
    with transaction.atomic():
        topic = (
            Topic.objects.select_for_update(of=("self",)).select_related("space", "author").get(pk=topic.pk)
        )
        if topic.conversation_id is not None:
            return topic.conversation_id
        channel = channel_for(topic.space)
        identity_for(topic.author, channel)
        external_id = topic_external_id(topic.pk)
        text = _storable(f"{topic.title}\n\n{markdown.plain_text(topic.body)}")
        store_messages(
            channel,
            [
                InboundMessage(
                    external_id=external_id,
                    author_id=author_id_for(topic.author),
                    author_handle=topic.author.get_username(),
                    text=text,
                    created_at=topic.created_at,
                    direction="in",
                    raw={"topic": topic.pk, "space": topic.space.slug, "title": topic.title},
                )
            ],
            source=SOURCE,
            want_outcomes=False,
        )
        conversation_id = (
            Message.objects.filter(channel=channel, external_id=external_id)
            .values_list("conversation_id", flat=True)
            .get()
        )
        Topic.objects.filter(pk=topic.pk).update(conversation_id=conversation_id)
    return conversation_id


def mirror_post(post: Post) -> bool:
    """Copy a staff post (outbound) or the asker's own post (inbound) into the question's conversation.

    Other members' answers stay in the community: stored as the brand's words they would stop the
    SLA clocks, and stored as the customer's they would look like the customer writing again.
    """
    post = Post.objects.select_related("topic__space", "topic__conversation", "author").get(pk=post.pk)
    topic = post.topic
    if topic.conversation_id is None or post.author_id is None or post.visibility != Visibility.VISIBLE:
        return False
    if privileges.is_brand(post.author):
        direction = "out"
    elif post.author_id == topic.author_id:
        direction = "in"
    else:
        return False
    channel = topic.conversation.channel
    with transaction.atomic():
        identity_for(post.author, channel)
        store_messages(
            channel,
            [
                InboundMessage(
                    external_id=post_external_id(post.pk),
                    author_id=author_id_for(post.author),
                    author_handle=post.author.get_username(),
                    text=_storable(markdown.plain_text(post.body)) or "(empty)",
                    created_at=post.created_at,
                    direction=direction,
                    parent_external_id=topic_external_id(topic.pk),
                    raw={"topic": topic.pk, "post": post.pk, "kind": post.kind},
                )
            ],
            source=SOURCE,
            want_outcomes=False,
        )
    return True

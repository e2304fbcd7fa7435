"""Care replies to a community question reach the asker where they asked: in the community.

When a reply on a conversation that came from a community question is delivered (the
`message.sent` event), it is posted on the question by the reply's author: their first reply as
an answer, later ones as comments under that answer. The post goes through the posting service, so
trust levels, slow mode and the reply guard apply as for anything posted in the community; if the
community refuses it, the reply stays delivered in care and `community.reply_not_posted` says why.
Personal data is masked in the public copy. The new post is not mirrored back into care: the reply's
own message is already there.
"""

from contextvars import ContextVar

from townsquare.community import posting
from townsquare.community.errors import CommunityError
from townsquare.community.events import record_community
from townsquare.community.models import Post, PostKind, Topic, Visibility
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.models import Reply
from townsquare.triage.pii import mask
from townsquare.triage.text import clean

# Set while a care reply is being posted, so the post is not mirrored back into its conversation.
from_care: ContextVar[bool] = ContextVar("community_post_from_care", default=False)


def post_reply(event) -> None:
    """`message.sent` handler: post the delivered reply on its community question, if it has one."""
    reply_id = (event.data or {}).get("reply_id")
    if event.conversation_id is None or reply_id is None:
        return
    topic = Topic.objects.filter(conversation_id=event.conversation_id).first()
    if topic is None:
        return
    reply = Reply.objects.select_related("author").get(pk=reply_id)
    text = mask(clean(reply.text, limit=None)).strip()
    earlier = (
        Post.objects.filter(
            topic=topic, author=reply.author, kind=PostKind.ANSWER, visibility=Visibility.VISIBLE
        )
        .order_by("id")
        .first()
    )
    token = from_care.set(True)
    try:
        if earlier is None:
            post = posting.answer(reply.author, topic, text)
        else:
            post = posting.comment(reply.author, topic, text, parent=earlier)
    except (CommunityError, Forbidden) as exc:
        record_community(
            "community.reply_not_posted",
            actor=reply.author,
            conversation_id=event.conversation_id,
            data={"topic": topic.pk, "reply": reply.pk, "reason": str(exc)[:500]},
        )
        return
    finally:
        from_care.reset(token)
    record_community(
        "community.reply_posted",
        actor=reply.author,
        conversation_id=event.conversation_id,
        data={
            "topic": topic.pk,
            "post": post.pk,
            "kind": post.kind,
            "reply": reply.pk,
            "message": event.message_id,
        },
    )


def on_event_saved(sender, instance, created, **kwargs) -> None:
    if created and instance.kind == "message.sent":
        post_reply(instance)

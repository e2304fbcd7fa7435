"""An accepted answer resolves the question's care conversation; unaccepting it reopens it.

When the accepted answer comes from a member rather than staff, `community.peer_resolution` is
written too: the care work was done by the community (insights count these as contacts handled
by peers).
"""

from townsquare.community.events import record_community
from townsquare.community.models import Topic
from townsquare.inbox.models import Conversation, ConversationStatus
from townsquare.replies.status import change_status

S = ConversationStatus
REASON = "answer accepted in the community"


def resolve_for_accepted(event) -> None:
    data = event.data
    topic = Topic.objects.filter(pk=data.get("topic")).only("pk", "conversation_id").first()
    if topic is None or topic.conversation_id is None or data.get("imported"):
        return
    conversation = Conversation.objects.get(pk=topic.conversation_id)
    if conversation.status == S.NEW:
        change_status(None, conversation, S.OPEN, reason=REASON)
    if conversation.status in (S.OPEN, S.PENDING):
        change_status(None, conversation, S.RESOLVED, reason=REASON)
    if data.get("peer"):
        record_community(
            "community.peer_resolution",
            actor=event.actor_id,
            conversation_id=conversation.pk,
            data={
                "topic": topic.pk,
                "post": data.get("post"),
                "answerer": data.get("answerer"),
                "asker": data.get("asker"),
                "conversation": conversation.pk,
            },
        )


def reopen_for_unaccepted(event) -> None:
    topic = Topic.objects.filter(pk=event.data.get("topic")).only("pk", "conversation_id").first()
    if topic is None or topic.conversation_id is None:
        return
    conversation = Conversation.objects.get(pk=topic.conversation_id)
    if conversation.status == S.RESOLVED:
        change_status(None, conversation, S.OPEN, reason="accepted answer withdrawn in the community")

"""An agent's reply to a chat, sent and delivered the way the console does it."""

from townsquare.inbox.models import Conversation
from townsquare.replies.delivery import deliver_reply
from townsquare.replies.send import send_reply


def reply_and_deliver(agent, conversation_id: int, text: str) -> str:
    reply = send_reply(agent, Conversation.objects.get(pk=conversation_id), text, acknowledge_warnings=True)
    return deliver_reply(reply.pk)

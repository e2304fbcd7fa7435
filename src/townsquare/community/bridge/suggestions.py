"""Answer a social message with a community link: questions the community already answered that
match what the customer wrote, each with a short reply that points to it.

Only for conversations that invite a reply (triage's roll-up): chatter gets no suggestions. The
match is semantic and cross-lingual (`community.search.similar_topics`), so a Spanish tweet finds
an English answer; the reply itself is in the conversation's language when we have the words.
"""

from collections.abc import Callable
from dataclasses import dataclass

from townsquare.community.bridge.links import tied_topics, topic_path
from townsquare.community.models import Topic
from townsquare.inbox.models import Conversation
from townsquare.inbox.page_reads import newest_inbound_texts
from townsquare.triage.text import clean

LIMIT = 3
# Fetched per wanted suggestion: unanswered matches are dropped after the search.
OVERFETCH = 4
# The customer's latest messages are what they want now; earlier ones may be a solved problem.
RECENT_MESSAGES = 3
TEXT_LIMIT = 2000
REPLIES = {
    "en": "This was answered in our community: “{title}” {url}",
    "es": "Esto ya tiene respuesta en nuestra comunidad: «{title}» {url}",
    "de": "Dazu gibt es eine Antwort in unserer Community: „{title}“ {url}",
    "fr": "Cette question a une réponse dans notre communauté : « {title} » {url}",
}


@dataclass(frozen=True)
class Suggestion:
    topic: Topic
    similarity: float
    url: str
    reply: str

    @property
    def accepted(self) -> bool:
        return self.topic.accepted_post_id is not None


def customer_text(conversation: Conversation) -> str:
    texts = newest_inbound_texts(conversation, RECENT_MESSAGES)
    return clean("\n".join(reversed(texts)), limit=TEXT_LIMIT)


def reply_text(conversation: Conversation, topic: Topic, url: str) -> str:
    wording = REPLIES.get(conversation.language or "", REPLIES["en"])
    return wording.format(title=topic.title, url=url)


def suggestions_for(
    conversation: Conversation, absolute: Callable[[str], str], *, limit: int = LIMIT
) -> list[Suggestion]:
    """Up to `limit` answered community questions matching the customer's latest messages.

    `absolute` turns a site path into a full URL (a request's `build_absolute_uri`).
    """
    if not conversation.invites_reply:
        return []
    text = customer_text(conversation)
    if not text.strip():
        return []
    from townsquare.community.search import similar_topics

    # A community question's own conversation must not be answered with a link to itself.
    own = [topic.pk for topic in tied_topics(conversation) if topic.conversation_id == conversation.pk]
    found = similar_topics(text, limit=limit * OVERFETCH, exclude=own)
    suggestions = []
    for match in found:
        topic = match.topic
        if topic.accepted_post_id is None and topic.answer_count == 0:
            continue  # asked, not answered: nothing to point the customer to yet
        url = absolute(topic_path(topic))
        suggestions.append(Suggestion(topic, match.similarity, url, reply_text(conversation, topic, url)))
        if len(suggestions) == limit:
            break
    return suggestions

"""Publish a resolved care conversation to the community: a question with its accepted staff answer.

Staff (agents, supervisors, admins) choose a space and edit the title, question and answer, which
are pre-filled from the conversation with personal data masked. Publishing needs the customer's
consent for `community_publish`; without it the answer is 409 with the reason. Whatever staff
typed is scrubbed again before it is stored, so an edit cannot put an email address back in.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from townsquare.community import markdown
from townsquare.community.bridge.links import tied_topics
from townsquare.community.bridge.scrub import names_of, scrub
from townsquare.community.errors import CommunityError, Conflict, NotAllowed, PromotionBlocked
from townsquare.community.events import record_community
from townsquare.community.models import Post, PostKind, Space, Topic, TopicKind, Visibility
from townsquare.community.posting import BODY_LIMIT, TITLE_LIMIT, screen
from townsquare.inbox.models import Conversation, ConversationStatus, Direction
from townsquare.inbox.page_reads import known, loaded_thread
from townsquare.inbox.visibility import visible_conversations
from townsquare.people.consent import CONSENT_LEDGER, granted_in, has_consent
from townsquare.people.models import STAFF_CONSOLE_ROLES, ConsentPurpose

PURPOSE = ConsentPurpose.COMMUNITY_PUBLISH
PUBLISHABLE = (ConversationStatus.RESOLVED, ConversationStatus.CLOSED)
MIN_TITLE = 5
# A draft is a starting point to edit: the first messages say what the question and answer were.
DRAFT_MESSAGES = 50


@dataclass(frozen=True)
class Draft:
    title: str
    question: str
    answer: str


def may_publish(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in STAFF_CONSOLE_ROLES)


def require_publisher(user, conversation: Conversation) -> None:
    if not may_publish(user):
        raise NotAllowed("only agents, supervisors and admins publish conversations to the community")
    if not visible_conversations(user).filter(pk=conversation.pk).exists():
        raise NotAllowed(f"you cannot see conversation {conversation.pk}")


def blocker(conversation: Conversation, published: list[Topic] | None = None) -> str | None:
    """Why the conversation cannot be published now (a 409), or None. `published`: the topics
    published from it, when the caller already read them."""
    if conversation.status not in PUBLISHABLE:
        return f"only a resolved conversation can be published; this one is {conversation.status}"
    if conversation.customer_id is None:
        return "the conversation has no known customer, so nobody could agree to publishing it"
    entries = known(conversation, CONSENT_LEDGER)  # the page's consent panel read the ledger
    agreed = (
        granted_in(entries, PURPOSE) if entries is not None else has_consent(conversation.customer, PURPOSE)
    )
    if not agreed:
        return (
            f"the customer has not agreed to “{PURPOSE.label}”: "
            f"record their consent ({PURPOSE.value}) before publishing"
        )
    if published is None:
        published = list(Topic.objects.filter(published_from=conversation).values_list("pk", flat=True)[:1])
    else:
        published = [topic.pk for topic in published]
    if published:
        return f"this conversation is already published as community topic {published[0]}"
    return None


def draft_for(conversation: Conversation) -> Draft:
    """Title, question and answer from the conversation, personal data masked, for staff to edit."""
    names = names_of(conversation)
    inbound, outbound = [], []
    loaded = loaded_thread(conversation)
    if loaded is not None:
        thread = [(message.direction, message.text) for message in loaded[:DRAFT_MESSAGES]]
    else:
        thread = conversation.messages.order_by("created_at", "id").values_list("direction", "text")
    for direction, text in thread[:DRAFT_MESSAGES]:
        (inbound if direction == Direction.INBOUND else outbound).append(text)
    title = scrub(conversation.subject or (inbound[0].split("\n", 1)[0] if inbound else ""), names)
    return Draft(
        title=title[:TITLE_LIMIT],
        question=scrub("\n\n".join(inbound), names)[:BODY_LIMIT],
        answer=scrub("\n\n".join(outbound), names)[:BODY_LIMIT],
    )


def _checked(value, field: str, minimum: int, limit: int) -> str:
    if not isinstance(value, str):
        raise CommunityError(f"{field} must be text")
    value = value.replace("\x00", "").strip()
    if len(value) < minimum:
        raise CommunityError(f"{field} must have at least {minimum} characters")
    if len(value) > limit:
        raise CommunityError(f"{field} may have at most {limit} characters")
    return value


def publish(
    actor, conversation: Conversation, *, space: Space, title: str, question: str, answer: str
) -> Topic:
    """Create the public question with the staff answer accepted; see the module docstring."""
    require_publisher(actor, conversation)
    names = names_of(conversation)
    title = scrub(_checked(title, "title", MIN_TITLE, TITLE_LIMIT), names)
    question = scrub(_checked(question, "question", 1, BODY_LIMIT), names)
    answer = scrub(_checked(answer, "answer", 2, BODY_LIMIT), names)
    if not space.is_active:
        raise CommunityError(f"space {space.slug} is closed")
    if not space.allows_promotion:
        from townsquare.replies.guard import check_outgoing

        verdict = check_outgoing(markdown.plain_text(answer))
        if verdict.blocked:
            raise PromotionBlocked(verdict.reasons)
    language = screen(f"{title}\n{markdown.plain_text(question)}").language
    with transaction.atomic():
        # Under the row lock: a second publish (or a reopen) since the form was loaded is seen here.
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        reason = blocker(conversation)
        if reason:
            raise Conflict(reason)
        topic, post = _write(actor, conversation, space, title, question, answer, language)
    return topic


def _write(actor, conversation, space, title, question, answer, language) -> tuple[Topic, Post]:
    now = timezone.now()
    topic = Topic.objects.create(
        space=space,
        kind=TopicKind.QUESTION,
        title=title,
        body=question,
        body_html=markdown.render(question),
        language=language,
        visibility=Visibility.VISIBLE,
        created_at=now,
        last_activity_at=now,
        answer_count=1,
        published_from=conversation,
    )
    post = Post.objects.create(
        topic=topic,
        kind=PostKind.ANSWER,
        author=actor,
        body=answer,
        body_html=markdown.render(answer),
        language=language,
        created_at=now,
    )
    Topic.objects.filter(pk=topic.pk).update(accepted_post=post, accepted_at=now)
    topic.accepted_post, topic.accepted_at = post, now
    common = {"topic": topic.pk, "space": space.pk, "published_from": conversation.pk}
    record_community(
        "community.topic_created",
        actor=actor,
        data={**common, "kind": TopicKind.QUESTION, "language": language, "held": False},
    )
    record_community(
        "community.post_created",
        actor=actor,
        data={
            **common,
            "post": post.pk,
            "kind": PostKind.ANSWER,
            "as": PostKind.ANSWER,
            "parent": None,
            "topic_author": None,
            "language": language,
            "held": False,
        },
    )
    record_community(
        "community.answer_accepted",
        actor=actor,
        data={
            **common,
            "post": post.pk,
            "answerer": actor.pk,
            "asker": None,
            "peer": False,
            "answered_after_seconds": 0,
        },
    )
    record_community(
        "community.published",
        actor=actor,
        conversation_id=conversation.pk,
        data={
            **common,
            "post": post.pk,
            "conversation": conversation.pk,
            "customer": conversation.customer_id,
        },
    )
    return topic, post


def publish_panel_context(user, conversation: Conversation) -> dict:
    """What the conversation page's publish form shows: nothing unless staff and resolved."""
    if not may_publish(user) or conversation.status not in PUBLISHABLE:
        return {"shown": False}
    published = [topic for topic in tied_topics(conversation) if topic.published_from_id == conversation.pk]
    return {
        "shown": True,
        # Once published, the panel links the topic and offers no form: no draft, no spaces to choose.
        "draft": None if published else draft_for(conversation),
        "spaces": []
        if published
        else list(Space.objects.filter(is_active=True).only("pk", "name", "language")),
        "blocked": blocker(conversation, published),
        "published": published,
    }

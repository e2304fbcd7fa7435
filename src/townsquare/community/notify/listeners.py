"""Community events become notifications, inside the transaction that wrote the event.

Rules: never notify the member who acted; at most one notification per member per event (the most
specific wins: a mention over "your answer was accepted" over "your question got an answer" over
"a topic you follow changed"); held posts notify nobody until a moderator approves them
(`community.*_approved`); imported history notifies nobody; a topic that is held or hidden is
news only to its author and moderators. Posters follow their topics as soon as they post.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from townsquare.community import privileges
from townsquare.community.events import listens
from townsquare.community.models import (
    Notification,
    Post,
    PostKind,
    Subscription,
    Topic,
    TopicKind,
    Visibility,
)
from townsquare.community.notify.mentions import mentioned_users
from townsquare.community.notify.subscriptions import follow

TEXT_LIMIT = 300
TITLE_SHOWN = 80
# Higher wins when one member would be told twice about the same event.
MENTION, ABOUT_YOU, TO_YOU, FOLLOWING = 4, 3, 2, 1


def short(title: str) -> str:
    return title if len(title) <= TITLE_SHOWN else title[: TITLE_SHOWN - 1] + "…"


def name_of(user_id: int | None) -> str:
    user = get_user_model().objects.filter(pk=user_id).select_related("member").first() if user_id else None
    if user is None:
        return "Someone"
    member = getattr(user, "member", None)
    return member.name if member is not None else (user.get_full_name() or user.get_username())


@dataclass
class Recipients:
    """Who hears about one event, and what each is told."""

    exclude: set
    chosen: dict = field(default_factory=dict)  # user id -> (priority, kind, text)

    def add(self, user_ids, priority: int, kind: str, text: str) -> None:
        for user_id in user_ids:
            if user_id is None or user_id in self.exclude:
                continue
            if user_id not in self.chosen or self.chosen[user_id][0] < priority:
                self.chosen[user_id] = (priority, kind, text[:TEXT_LIMIT])

    def save(self, *, topic: Topic, post: Post | None, actor_id: int | None) -> int:
        if not self.chosen:
            return 0
        users = get_user_model().objects.filter(pk__in=self.chosen, is_active=True)
        if topic.visibility != Visibility.VISIBLE:
            allowed = {
                user.pk for user in users if user.pk == topic.author_id or privileges.is_moderator(user)
            }
        else:
            allowed = set(users.values_list("pk", flat=True))
        rows = [
            Notification(user_id=user_id, kind=kind, text=text, topic=topic, post=post, actor_id=actor_id)
            for user_id, (_, kind, text) in sorted(self.chosen.items())
            if user_id in allowed
        ]
        Notification.objects.bulk_create(rows)
        return len(rows)


def followers(**where) -> list[int]:
    return list(Subscription.objects.filter(**where).values_list("user_id", flat=True))


def author_of_event(event) -> int | None:
    # Approvals are written by the moderator; the post's author is in the data.
    if event.kind.endswith("_approved"):
        return event.data.get("author")
    return event.actor_id


@listens("community.topic_created", "community.topic_approved")
def topic_notifications(event) -> None:
    data, author_id = event.data, author_of_event(event)
    if event.kind == "community.topic_created" and author_id:
        follow(author_id, data["topic"])
    if data.get("held") or data.get("imported"):
        return
    topic = Topic.objects.select_related("space").filter(pk=data.get("topic")).first()
    if topic is None:
        return
    name, title = name_of(author_id), short(topic.title)
    recipients = Recipients(exclude={author_id, event.actor_id})
    asked = "asked" if topic.kind == TopicKind.QUESTION else "started"
    recipients.add(
        followers(space_id=topic.space_id),
        FOLLOWING,
        "topic",
        f"{name} {asked} “{title}” in {topic.space.name}",
    )
    mentioned = [user.pk for user in mentioned_users(f"{topic.title}\n\n{topic.body}")]
    recipients.add(mentioned, MENTION, "mention", f"{name} mentioned you in “{title}”")
    recipients.save(topic=topic, post=None, actor_id=author_id)


@listens("community.post_created", "community.post_approved")
def post_notifications(event) -> None:
    data, author_id = event.data, author_of_event(event)
    if event.kind == "community.post_created" and author_id:
        follow(author_id, data["topic"])
    if data.get("held") or data.get("imported"):
        return
    post = Post.objects.select_related("topic", "parent").filter(pk=data.get("post")).first()
    if post is None:
        return
    topic = post.topic
    name, title = name_of(author_id), short(topic.title)
    recipients = Recipients(exclude={author_id, event.actor_id})
    if post.kind == PostKind.ANSWER:
        verb = "answered" if topic.kind == TopicKind.QUESTION else "replied in"
        recipients.add([topic.author_id], TO_YOU, "answer", f"{name} {verb} your topic “{title}”")
        recipients.add(followers(topic_id=topic.pk), FOLLOWING, "answer", f"{name} {verb} “{title}”")
    else:
        if post.parent is not None:
            recipients.add(
                [post.parent.author_id], TO_YOU, "comment", f"{name} commented on your answer in “{title}”"
            )
        else:
            recipients.add([topic.author_id], TO_YOU, "comment", f"{name} commented on your topic “{title}”")
        recipients.add(followers(topic_id=topic.pk), FOLLOWING, "comment", f"{name} commented in “{title}”")
    mentioned = [user.pk for user in mentioned_users(post.body)]
    recipients.add(mentioned, MENTION, "mention", f"{name} mentioned you in “{title}”")
    recipients.save(topic=topic, post=post, actor_id=author_id)


@listens("community.answer_accepted")
def accepted_notifications(event) -> None:
    data = event.data
    post = Post.objects.select_related("topic").filter(pk=data.get("post")).first()
    if post is None or data.get("imported"):
        return
    topic = post.topic
    name, title = name_of(event.actor_id), short(topic.title)
    recipients = Recipients(exclude={event.actor_id})
    recipients.add([post.author_id], ABOUT_YOU, "accepted", f"{name} accepted your answer to “{title}”")
    recipients.add(followers(topic_id=topic.pk), FOLLOWING, "solved", f"“{title}” has an accepted answer")
    recipients.save(topic=topic, post=post, actor_id=event.actor_id)

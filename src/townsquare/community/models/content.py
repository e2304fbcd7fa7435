"""Spaces, topics (questions and discussions), posts (answers and comments), tags, votes, reactions."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Space(models.Model):
    """A place in the community, per product or per language, with its own pace and rules."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    # ISO 639-1 code the space is for; blank for any language.
    language = models.CharField(max_length=8, blank=True)
    product = models.CharField(max_length=100, blank=True)
    # Brand posts with promotional content are blocked by the reply guard unless the space allows them.
    allows_promotion = models.BooleanField(default=False)
    # A question with no accepted and no upvoted answer after this long goes to the staff queue.
    unanswered_after_hours = models.PositiveIntegerField(default=24)
    # Seconds a member must wait between two posts in this space; 0 is off.
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    # The inbox channel (kind "community") its escalated questions arrive through.
    channel = models.ForeignKey(
        "inbox.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="spaces"
    )
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True, help_text="lowercase, letters, digits and -")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TopicKind(models.TextChoices):
    QUESTION = "question", "Question"
    DISCUSSION = "discussion", "Discussion"


class Visibility(models.TextChoices):
    VISIBLE = "visible", "Visible"
    # Held for review (spam caught by triage, a new member's links): only the author and moderators see it.
    HELD = "held", "Held for review"
    HIDDEN = "hidden", "Hidden by a moderator"
    DELETED = "deleted", "Deleted by its author"


class Topic(models.Model):
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="topics")
    kind = models.CharField(max_length=16, choices=TopicKind.choices, default=TopicKind.QUESTION)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown, as written")
    # The body rendered to sanitised HTML when it is written, so pages never render Markdown.
    body_html = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="topics")
    language = models.CharField(max_length=8, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.VISIBLE)
    # Why it is held or hidden, as the author is told.
    visibility_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Running counts kept by the services in the same transaction as the change.
    answer_count = models.IntegerField(default=0)
    score = models.IntegerField(default=0)
    view_count = models.IntegerField(default=0)
    is_closed = models.BooleanField(default=False)
    # The care conversation this question became (unanswered, or answered from the inbox).
    conversation = models.ForeignKey(
        "inbox.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    # A resolved care conversation published here (with consent, PII removed).
    published_from = models.ForeignKey(
        "inbox.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_topics",
    )
    # Where an imported topic came from ("stackexchange:<id>"); unique, so re-imports store nothing twice.
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["space", "visibility", "-last_activity_at", "-id"], name="topic_space_activity"
            ),
            models.Index(fields=["visibility", "-last_activity_at", "-id"], name="topic_activity"),
            models.Index(fields=["author", "-created_at"], name="topic_author"),
            # The unanswered-question sweep: open questions without an accepted answer, oldest first.
            # Imported history never escalates, so it stays out: the sweep walks live questions only.
            models.Index(
                fields=["created_at"],
                name="topic_unanswered",
                condition=models.Q(
                    accepted_post__isnull=True,
                    escalated_at__isnull=True,
                    kind="question",
                    external_id__isnull=True,
                ),
            ),
            # A space's "solved" tab seeks here. Its condition has no literal value, so SQLite uses
            # it for a query with bound parameters (a `visibility = 'visible'` condition would not).
            models.Index(
                fields=["space", "visibility", "-last_activity_at", "-id"],
                name="topic_space_solved",
                condition=models.Q(accepted_post__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PostKind(models.TextChoices):
    ANSWER = "answer", "Answer"
    COMMENT = "comment", "Comment"


class Post(models.Model):
    """An answer to a topic, or a comment on the topic (parent empty) or on an answer (parent set)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(max_length=16, choices=PostKind.choices, default=PostKind.ANSWER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    body = models.TextField(help_text="Markdown, as written")
    body_html = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.VISIBLE)
    visibility_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A wiki answer may be edited by members of trust level 3 and up.
    is_wiki = models.BooleanField(default=False)
    score = models.IntegerField(default=0)
    helpful_count = models.IntegerField(default=0)
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["topic", "kind", "created_at"], name="post_topic"),
            models.Index(fields=["author", "-created_at"], name="post_author"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} on topic {self.topic_id}"


class VoteValue(models.IntegerChoices):
    UP = 1, "Up"
    DOWN = -1, "Down"


class Vote(models.Model):
    """One member's vote on a topic or an answer; changing it replaces it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "post"], name="vote_once_per_post", condition=models.Q(post__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], name="vote_once_per_topic", condition=models.Q(post__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"vote {self.value:+d} by {self.user_id}"


class Reaction(models.Model):
    """A "helpful" mark on an answer or comment (reactions other than votes)."""

    HELPFUL = "helpful"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=16, default=HELPFUL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post", "kind"], name="reaction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id} on post {self.post_id}"

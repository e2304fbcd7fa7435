"""The insights projection: what the event log says about each conversation and message.

Rows here are derived data. They are written only by the fold (`projection.refresh`) from
events, never by the services that change conversations, so a report can always be rebuilt from
the log (`townsquare insights-rebuild`) and agrees with it.
"""

from django.db import models
from django.utils import timezone


class Checkpoint(models.Model):
    """How far the fold has read the event log."""

    name = models.CharField(max_length=32, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    # Ids below last_event_id that were not there when it was read: a transaction that took its
    # id earlier may still commit (PostgreSQL sequences). [[id, first seen missing (epoch s)], …]
    gaps = models.JSONField(default=list, blank=True)
    events_folded = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} at event {self.last_event_id}"


class ConversationFact(models.Model):
    """One conversation as the event log tells it. Times are when messages were written (for
    imported threads, the source's timestamps); durations are seconds."""

    conversation_id = models.BigIntegerField(primary_key=True)
    channel_id = models.BigIntegerField(null=True)
    channel_kind = models.CharField(max_length=16, blank=True, default="")
    queue_id = models.BigIntegerField(null=True)
    # Who handled it last: the assignee, and their rung (ambassador/agent/supervisor).
    assignee_id = models.BigIntegerField(null=True)
    handler_level = models.CharField(max_length=16, blank=True, default="")
    # Triage roll-up, from `conversation.labelled` events.
    language = models.CharField(max_length=8, blank=True, default="")
    kind = models.CharField(max_length=16, blank=True, default="")
    sentiment = models.CharField(max_length=8, blank=True, default="")
    priority = models.CharField(max_length=8, blank=True, default="")
    invites_reply = models.BooleanField(null=True)
    not_for_us = models.BooleanField(default=False)

    # The period a conversation belongs to: when its first customer message was written.
    started_at = models.DateTimeField(db_index=True)
    first_inbound_at = models.DateTimeField(null=True)
    last_inbound_at = models.DateTimeField(null=True)
    last_outbound_at = models.DateTimeField(null=True)
    inbound_count = models.IntegerField(default=0)
    outbound_count = models.IntegerField(default=0)
    # The first brand message after the first customer message.
    first_response_at = models.DateTimeField(null=True)
    first_response_seconds = models.FloatField(null=True)
    first_response_business_seconds = models.FloatField(null=True)
    status = models.CharField(max_length=16, blank=True, default="new")
    resolved_at = models.DateTimeField(null=True)
    resolution_seconds = models.FloatField(null=True)
    resolution_business_seconds = models.FloatField(null=True)
    # Imported threads never ran the workflow: resolved at the brand's last word, if it had one.
    resolution_inferred = models.BooleanField(default=False)
    reopens = models.IntegerField(default=0)
    # SLA per clock: "" not tracked, "running", "met", "breached".
    sla_first_response = models.CharField(max_length=8, blank=True, default="")
    sla_resolution = models.CharField(max_length=8, blank=True, default="")
    csat_score = models.SmallIntegerField(null=True)
    peer_resolved = models.BooleanField(default=False)
    escalations = models.IntegerField(default=0)
    merged_into = models.BigIntegerField(null=True)
    # In a closed period: later events no longer change it (they are counted as late instead)
    # until the period is recomputed on purpose.
    frozen = models.BooleanField(default=False)
    late_events = models.IntegerField(default=0)
    # First seen after its period was closed: left out of that period's figures until recomputed.
    held = models.BooleanField(default=False)
    # The fold's stamp of the latest change (FoldBatch.stamp: the count of events read, which only
    # grows), not an event id; warm frames ask for facts stamped after what they saw.
    last_event_id = models.BigIntegerField(default=0)
    # Word of mouth, kept by the fold from the message facts (insights/wom_summary.py): labelled
    # customer messages by sentiment, brand posts by kind (unscored: waiting for promotion scoring),
    # and the customer's sentiment on each side of the brand post that counts.
    wom_negative = models.IntegerField(default=0)
    wom_neutral = models.IntegerField(default=0)
    wom_positive = models.IntegerField(default=0)
    wom_marketing_posts = models.IntegerField(default=0)
    wom_help_posts = models.IntegerField(default=0)
    wom_unscored_posts = models.IntegerField(default=0)
    # "" no scored brand post, "marketing" or "help": the kind of the post that counts, and when.
    wom_post_kind = models.CharField(max_length=9, blank=True, default="")
    wom_post_at = models.DateTimeField(null=True)
    wom_before_sum = models.IntegerField(default=0)
    wom_before_n = models.IntegerField(default=0)
    wom_after_sum = models.IntegerField(default=0)
    wom_after_n = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["channel_id", "started_at"], name="fact_channel_time"),
        ]

    def __str__(self) -> str:
        return f"facts of conversation {self.conversation_id}"


class MessageFact(models.Model):
    """One message: when it was written, which way it went, and its sentiment once triaged."""

    message_id = models.BigIntegerField(primary_key=True)
    conversation_id = models.BigIntegerField(null=True, db_index=True)
    channel_id = models.BigIntegerField(null=True)
    direction = models.CharField(max_length=3)
    written_at = models.DateTimeField(db_index=True)
    # -1 negative, 0 neutral, 1 positive; null until triage labelled it (inbound only).
    sentiment = models.SmallIntegerField(null=True)
    sentiment_score = models.FloatField(null=True)
    # Outbound only: how promotional the brand's message was (0–1), for word of mouth.
    promo_score = models.FloatField(null=True)
    frozen = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # The brand posts waiting for promotion scoring (insights/brand_posts.py): a report
            # asks for them every time, so finding none must not read a million messages.
            models.Index(
                fields=["message_id"],
                condition=models.Q(direction="out", promo_score__isnull=True, frozen=False),
                name="message_unscored",
            ),
        ]

    def __str__(self) -> str:
        return f"facts of message {self.message_id}"


class ClosedPeriod(models.Model):
    """A period whose figures are final: its facts are frozen until someone recomputes it."""

    start = models.DateTimeField()
    end = models.DateTimeField()
    # day, week or month, in `time_zone`.
    kind = models.CharField(max_length=8, default="month")
    time_zone = models.CharField(max_length=64, default="UTC")
    closed_at = models.DateTimeField(default=timezone.now)
    # The checkpoint when it closed: events after it that touch the period are late.
    last_event_id = models.BigIntegerField(default=0)
    recomputed_at = models.DateTimeField(null=True, blank=True)
    recomputed_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["start", "end"], name="closed_period_once")]

    def __str__(self) -> str:
        return f"{self.kind} from {self.start:%Y-%m-%d} (closed)"


class CostModel(models.Model):
    """What a contact costs, by channel kind and by who handles it (one row, edited by admins)."""

    name = models.CharField(max_length=32, primary_key=True, default="default")
    currency = models.CharField(max_length=3, default="GBP")
    # {"staff": 4.0, "ambassador": 0.8, "community": 0.1}: cost of one contact by who handled it.
    by_role = models.JSONField(default=dict, blank=True)
    # {"email": 5.5, "livechat": 3.0, …}: staff cost of one contact by channel kind (overrides by_role.staff).
    by_channel = models.JSONField(default=dict, blank=True)
    # Share of community answer views that would otherwise have been a contact (stated in the report).
    deflection_share = models.FloatField(default=0.1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"cost model {self.name}"


class TopicViewFact(models.Model):
    """Someone read a community topic that had an accepted answer (for contacts deflected)."""

    topic_id = models.BigIntegerField()
    # A member id ("m:12") or an anonymous visitor's hashed cookie ("a:…"): counted once each.
    viewer = models.CharField(max_length=80)
    member_id = models.BigIntegerField(null=True, blank=True)
    # The customer behind the member, when known: did they open a conversation afterwards?
    customer_id = models.BigIntegerField(null=True, blank=True)
    viewed_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic_id", "viewer"], name="topic_view_once")]

    def __str__(self) -> str:
        return f"{self.viewer} read topic {self.topic_id}"


class ShiftFact(models.Model):
    """A stretch of time a staff member was online (from `agent.presence_changed` events)."""

    user_id = models.BigIntegerField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["started_at"], name="shift_started")]

    def __str__(self) -> str:
        return f"user {self.user_id} online from {self.started_at:%Y-%m-%d %H:%M}"

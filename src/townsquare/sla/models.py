"""Business calendars with holidays, SLA policies per queue and priority, and each conversation's clocks."""

from django.db import models
from django.utils import timezone

from townsquare.sla.calendar import Calendar, make_calendar
from townsquare.triage.labels import PRIORITIES

# The clocks a policy can promise, in the order the console shows them.
METRICS = ("first_response", "next_response", "resolution")


class BusinessCalendar(models.Model):
    """Opening hours in one time zone, e.g. {"mon": [["09:00", "17:00"]], …}; empty: always open."""

    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", help_text="IANA name, e.g. Europe/Berlin")
    hours = models.JSONField(default=dict, blank=True, help_text="weekday -> [[start, end], …] local times")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def as_calendar(self, holidays=None) -> Calendar:
        """The pure-Python calendar; pass `holidays` (dates) to save the query."""
        if holidays is None:
            holidays = self.holidays.values_list("date", flat=True)
        return make_calendar(self.time_zone, self.hours, holidays)


class Holiday(models.Model):
    """A day the team does not work, in the calendar's own time zone."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="holiday_once_per_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class SlaPolicy(models.Model):
    """What a team promises. The most specific policy wins: queue+priority, queue, priority, default."""

    name = models.CharField(max_length=100, unique=True)
    queue = models.ForeignKey(
        "care.Queue", null=True, blank=True, on_delete=models.CASCADE, related_name="sla_policies"
    )
    priority = models.CharField(
        max_length=8, blank=True, choices=[(p, p) for p in PRIORITIES], help_text="blank: any priority"
    )
    # Minutes of business time; null: this clock is not tracked.
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Null: counted around the clock.
    calendar = models.ForeignKey(
        BusinessCalendar, null=True, blank=True, on_delete=models.PROTECT, related_name="policies"
    )
    warn_before_minutes = models.PositiveIntegerField(default=15)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return self.name

    def minutes_for(self, metric: str) -> int | None:
        return getattr(self, f"{metric}_minutes")


class ConversationSla(models.Model):
    """The clocks of one conversation. A clock runs while it has a due time and is neither met nor
    paused; each metric warns once and breaches once per cycle (a new next-response cycle starts
    when the customer writes again after a brand reply, a new resolution cycle on reopen)."""

    conversation = models.OneToOneField(
        "inbox.Conversation", on_delete=models.CASCADE, primary_key=True, related_name="sla"
    )
    policy = models.ForeignKey(SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    first_response_started_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_met_at = models.DateTimeField(null=True, blank=True)
    first_response_warned = models.BooleanField(default=False)
    first_response_breached = models.BooleanField(default=False)

    next_response_started_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_met_at = models.DateTimeField(null=True, blank=True)
    next_response_warned = models.BooleanField(default=False)
    next_response_breached = models.BooleanField(default=False)

    resolution_started_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_met_at = models.DateTimeField(null=True, blank=True)
    resolution_warned = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    # While the conversation waits on the customer the resolution clock stands still: when the
    # current pause began, and the business seconds of the pauses before it. The due time is
    # always started + target + paused seconds of business time.
    resolution_paused_at = models.DateTimeField(null=True, blank=True)
    resolution_paused_seconds = models.FloatField(default=0)

    # When `sla_check` must look at this conversation next (a warning or a breach is due); null
    # when nothing is pending. Indexed, so a pass never rescans conversations already flagged.
    next_check_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "conversation SLA"
        indexes = [models.Index(fields=["next_check_at"], name="sla_next_check")]

    def __str__(self) -> str:
        return f"SLA of conversation {self.conversation_id}"

    def is_running(self, metric: str) -> bool:
        return is_running(self, metric)

    def nearest_due(self):
        return nearest_due(self)


# Plain functions over anything with the clock attributes: the services work on light rows
# (one Django model instance per conversation cost more than the clocks themselves).
def is_running(row, metric: str) -> bool:
    due = getattr(row, f"{metric}_due_at")
    met = getattr(row, f"{metric}_met_at")
    paused = metric == "resolution" and row.resolution_paused_at is not None
    return due is not None and met is None and not paused


def nearest_due(row):
    """The earliest deadline among the running clocks, or None."""
    return min((getattr(row, f"{m}_due_at") for m in METRICS if is_running(row, m)), default=None)

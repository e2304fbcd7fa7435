"""Teams, queues with routing rules, and each staff member's presence, skills and capacity."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Team(models.Model):
    """A care team ("Devices", "Billing"); supervisors see everything in the teams they belong to."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoutingMode(models.TextChoices):
    # Default: the free agent with the fewest open conversations whose languages and skills match.
    LEAST_LOADED = "least_loaded", "Least loaded (skills and language match)"
    ROUND_ROBIN = "round_robin", "Round robin"
    MANUAL = "manual", "Manual pull"


class Queue(models.Model):
    """Where conversations wait for an owner. The first active queue (by position) whose rules match wins."""

    name = models.CharField(max_length=100, unique=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="queues")
    routing_mode = models.CharField(
        max_length=16, choices=RoutingMode.choices, default=RoutingMode.LEAST_LOADED
    )
    # Match rules, e.g. {"channel": [1], "language": ["es"], "kind": ["complaint"], "priority": ["high"],
    # "intent": ["card_arrival"], "customer": {"tier": "gold"}}; an empty dict matches everything.
    rules = models.JSONField(default=dict, blank=True)
    # Skills an agent needs to be routed this queue's conversations.
    required_skills = models.JSONField(default=list, blank=True)
    position = models.IntegerField(default=100, help_text="lower positions are matched first")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Round robin continues after the agent who was given this queue's last conversation.
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The admin form shows the same messages the API answers with.
        from townsquare.care.rules import validate_rules
        from townsquare.care.skills import validate_skills

        try:
            self.rules = validate_rules(self.rules)
        except ValueError as exc:
            raise ValidationError({"rules": str(exc)}) from None
        try:
            self.required_skills = validate_skills(self.required_skills)
        except ValueError as exc:
            raise ValidationError({"required_skills": str(exc)}) from None


class Presence(models.TextChoices):
    ONLINE = "online", "Online"
    AWAY = "away", "Away"
    OFFLINE = "offline", "Offline"


class AgentProfile(models.Model):
    """How much work a staff member can take and of which kind. Away or offline agents get nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    presence = models.CharField(max_length=8, choices=Presence.choices, default=Presence.OFFLINE)
    capacity = models.PositiveIntegerField(default=5, help_text="open conversations at once")
    skills = models.JSONField(default=list, blank=True)
    queues = models.ManyToManyField(Queue, blank=True, related_name="agents")
    presence_changed_at = models.DateTimeField(default=timezone.now)
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    # Stamped by presence changes and the console's heartbeat; the stale-presence sweep reads it.
    last_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.presence})"

    def clean(self) -> None:
        from townsquare.care.skills import validate_skills

        try:
            self.skills = validate_skills(self.skills)
        except ValueError as exc:
            raise ValidationError({"skills": str(exc)}) from None

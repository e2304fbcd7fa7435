"""Community members: reputation, trust level, ambassador level, badges, notification settings."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DigestFrequency(models.TextChoices):
    NEVER = "never", "Never"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Member(models.Model):
    """A person's community profile. Staff have one too when they post."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    # The customer record in care, so one person's community posts and tickets are seen together.
    customer = models.ForeignKey(
        "people.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    display_name = models.CharField(max_length=100, blank=True)
    bio = models.TextField(blank=True)
    # Cached fold of the event log (community.reputation); `recompute_reputation` rebuilds it.
    reputation = models.IntegerField(default=0)
    trust_level = models.PositiveSmallIntegerField(default=0)
    # Set by staff: the automatic promotion/demotion rules leave the level alone.
    trust_level_locked = models.BooleanField(default=False)
    # 0 is not an ambassador; 1..3 are the program's levels.
    ambassador_level = models.PositiveSmallIntegerField(default=0)
    ambassador_since = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    # Running counts the trust and badge rules read (kept with reputation).
    accepted_answers = models.IntegerField(default=0)
    peer_resolutions = models.IntegerField(default=0)
    helpful_received = models.IntegerField(default=0)
    answers_posted = models.IntegerField(default=0)
    topics_posted = models.IntegerField(default=0)
    flags_upheld = models.IntegerField(default=0)
    days_visited = models.IntegerField(default=0)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)
    digest = models.CharField(max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["-reputation"], name="member_reputation"),
            models.Index(fields=["ambassador_level", "-peer_resolutions"], name="member_ambassadors"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_full_name() or self.user.get_username()


class BadgeAward(models.Model):
    """A badge given to a member by a rule in `community.badges` (the rules live in code)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(max_length=40)
    awarded_at = models.DateTimeField(default=timezone.now)
    # What earned it (a topic or post id, a count), shown on the profile.
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["awarded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "badge"], name="badge_once")]

    def __str__(self) -> str:
        return f"{self.badge} for {self.user_id}"


class InviteStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AmbassadorInvite(models.Model):
    """Staff invite a member into the ambassador program (or to a higher level)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="ambassador_invites")
    level = models.PositiveSmallIntegerField(default=1)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=InviteStatus.choices, default=InviteStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ambassador invite {self.pk} ({self.status})"

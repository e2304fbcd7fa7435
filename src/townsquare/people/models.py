"""Staff users with roles, customers and their identities on each channel, API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    SUPERVISOR = "supervisor", "Supervisor"
    AGENT = "agent", "Agent"
    AMBASSADOR = "ambassador", "Ambassador"
    MODERATOR = "moderator", "Moderator"
    # A community member: signs in to post in the community, never sees the care console.
    CUSTOMER = "customer", "Customer"


STAFF_CONSOLE_ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.AGENT}


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes the person works in")

    @property
    def label(self) -> str:
        return self.get_full_name() or self.username


class Customer(models.Model):
    """A person on the customer side; one customer may write through several channels."""

    display_name = models.CharField(max_length=200, blank=True)
    # Where Townsquare first met this person, as "<channel id>:<author id>".
    first_seen_as = models.CharField(max_length=220, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attributes = models.JSONField(default=dict, blank=True)
    # Set when this customer was merged into another (identity merge): the record stays for the
    # audit trail and for a later split, but everything points at the survivor.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.display_name or f"customer {self.pk}"


class Identity(models.Model):
    """Who wrote a message on one channel: a customer's account there, or the brand's own account."""

    channel = models.ForeignKey("inbox.Channel", on_delete=models.CASCADE, related_name="identities")
    external_id = models.CharField(max_length=191)
    handle = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="identities"
    )
    is_brand = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The email address behind this identity (an email sender, a chat visitor), and whether it is
    # verified (the email channel's sender, or signed by the host site): verified emails merge
    # identities into one customer.
    email = models.EmailField(blank=True, default="", db_default="")
    email_verified = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name_plural = "identities"
        indexes = [
            models.Index(fields=["email"], name="identity_email", condition=~models.Q(email="")),
            # people.merging matches verified emails in lower case, on every email and signed chat.
            models.Index(
                Lower("email"), name="identity_verified_email", condition=models.Q(email_verified=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="identity_unique_per_channel")
        ]

    def __str__(self) -> str:
        return self.handle or self.external_id


class MergeEvent(models.Model):
    """A merge or split event that concerns a customer (as survivor, merged, split from or to).

    The customer page reads its history here: the event log has no customer column, and scanning
    every merge event's JSON took 0.5 s at 100,000 merges. Written with the event, never changed."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+", db_index=False)
    event_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "event_id"], name="merge_event_per_customer")
        ]

    def __str__(self) -> str:
        return f"customer {self.customer_id}: event {self.event_id}"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 hash is stored, the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class ConsentPurpose(models.TextChoices):
    SUPPORT_FOLLOWUP = "support_followup", "Support follow-up"
    PRODUCT_NEWS = "product_news", "Product news"
    OFFERS = "offers", "Offers"
    COMMUNITY_PUBLISH = (
        "community_publish",
        "Publish my question and its answer in the community, without personal data",
    )


class ConsentSource(models.TextChoices):
    CONSOLE = "console", "Console"
    API = "api", "API"
    LIVECHAT = "livechat", "Live chat"
    EMAIL = "email", "Email"
    COMMUNITY = "community", "Community"
    IMPORT = "import", "Import"
    PHONE = "phone", "Phone"


class ConsentLedgerError(RuntimeError):
    """The consent ledger is evidence of what a customer agreed to: rows are never changed."""


class ConsentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ConsentLedgerError("the consent ledger is append-only")

    def delete(self):
        raise ConsentLedgerError("the consent ledger is append-only")


class ConsentRecord(models.Model):
    """One grant or revocation of one purpose by one customer; the latest record per purpose wins."""

    # PROTECT: deleting the customer or the recording user would erase the evidence.
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="consent_records")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    granted = models.BooleanField(help_text="true for a grant, false for a revocation")
    source = models.CharField(max_length=16, choices=ConsentSource.choices)
    # The exact words the customer saw when agreeing or revoking, as shown, in their language.
    wording = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="consent_records"
    )
    channel = models.ForeignKey(
        "inbox.Channel", null=True, blank=True, on_delete=models.PROTECT, related_name="consent_records"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        # "What is Dana's latest answer for offers?" is the guard's question on every reply.
        indexes = [
            models.Index(fields=["customer", "purpose", "-recorded_at", "-id"], name="consent_latest"),
        ]

    def __str__(self) -> str:
        verb = "granted" if self.granted else "revoked"
        return f"{self.customer} {verb} {self.purpose} ({self.source})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ConsentLedgerError("the consent ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ConsentLedgerError("the consent ledger is append-only")

"""The community's own rules: guidelines, their adopted revisions, and the proposals members vote on."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Guideline(models.Model):
    """One rule ("No referral links"); its text lives in revisions, the newest adopted one is current."""

    number = models.PositiveIntegerField(unique=True, help_text="shown as 'rule 3' when moderators cite it")
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="the current adopted text (Markdown)")
    is_active = models.BooleanField(default=True, help_text="false once a proposal repeals it")
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Rule {self.number}: {self.title}"


class ProposalKind(models.TextChoices):
    ADD = "add", "Add a rule"
    AMEND = "amend", "Change a rule"
    REPEAL = "repeal", "Remove a rule"


class ProposalStatus(models.TextChoices):
    DISCUSSION = "discussion", "In discussion"
    VOTING = "voting", "Voting"
    ADOPTED = "adopted", "Adopted"
    REJECTED = "rejected", "Rejected"
    NO_QUORUM = "no_quorum", "Failed quorum"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Proposal(models.Model):
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=ProposalKind.choices, default=ProposalKind.ADD)
    guideline = models.ForeignKey(
        Guideline, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.DISCUSSION
    )
    created_at = models.DateTimeField(default=timezone.now)
    voting_opens_at = models.DateTimeField(null=True, blank=True)
    voting_closes_at = models.DateTimeField(null=True, blank=True)
    # Fixed when voting opens: how many votes make a quorum, and the share of yes votes needed.
    quorum = models.PositiveIntegerField(default=0)
    threshold = models.FloatField(default=0.5)
    decided_at = models.DateTimeField(null=True, blank=True)
    yes_votes = models.IntegerField(default=0)
    no_votes = models.IntegerField(default=0)
    abstain_votes = models.IntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class GuidelineRevision(models.Model):
    """Each adopted version of a rule, kept forever: the public history."""

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    repealed = models.BooleanField(default=False)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["guideline", "version"]
        constraints = [models.UniqueConstraint(fields=["guideline", "version"], name="revision_once")]

    def __str__(self) -> str:
        return f"rule {self.guideline_id} v{self.version}"


class VoteChoice(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    ABSTAIN = "abstain", "Abstain"


class ProposalVote(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposal_vote_once")]

    def __str__(self) -> str:
        return f"{self.choice} by {self.user_id}"


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on proposal {self.proposal_id}"

"""The community's models, one module per area; import them from here."""

from townsquare.community.models.content import (
    Post,
    PostKind,
    Reaction,
    Space,
    Tag,
    Topic,
    TopicKind,
    Visibility,
    Vote,
    VoteValue,
)
from townsquare.community.models.guidelines import (
    Guideline,
    GuidelineRevision,
    Proposal,
    ProposalComment,
    ProposalKind,
    ProposalStatus,
    ProposalVote,
    VoteChoice,
)
from townsquare.community.models.members import (
    AmbassadorInvite,
    BadgeAward,
    DigestFrequency,
    InviteStatus,
    Member,
)
from townsquare.community.models.moderation import (
    Flag,
    FlagReason,
    FlagStatus,
    ModerationAction,
    ModerationActionKind,
    Suspension,
)
from townsquare.community.models.notifications import Notification, Subscription
from townsquare.community.models.search import TopicEmbedding

__all__ = [
    "AmbassadorInvite",
    "BadgeAward",
    "DigestFrequency",
    "Flag",
    "FlagReason",
    "FlagStatus",
    "Guideline",
    "GuidelineRevision",
    "InviteStatus",
    "Member",
    "ModerationAction",
    "ModerationActionKind",
    "Notification",
    "Post",
    "PostKind",
    "Proposal",
    "ProposalComment",
    "ProposalKind",
    "ProposalStatus",
    "ProposalVote",
    "Reaction",
    "Space",
    "Subscription",
    "Suspension",
    "Tag",
    "Topic",
    "TopicEmbedding",
    "TopicKind",
    "Visibility",
    "Vote",
    "VoteChoice",
    "VoteValue",
]

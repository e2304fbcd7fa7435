"""A small, complete installation for the permission tests: every kind of object an API path can
name, built straight with the ORM, plus one personal token per persona.

The community conversation is assigned to Bob (the ambassador) and is full of personal data —
in its subject, its messages and a staff note — so the same world serves the PII tests.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from tests.labels.builders import label
from tests.web.conftest import conversation, identity
from townsquare.care.models import AgentProfile, Presence, Queue, Team
from townsquare.connectors.models import RejectedInbound
from townsquare.hooks.models import Delivery, Endpoint
from townsquare.inbox.models import Channel, ChannelKind, ImportRun, ImportStatus
from townsquare.insights.models import ClosedPeriod
from townsquare.people.models import Customer, Identity
from townsquare.people.tokens import create_token
from townsquare.replies.models import CannedReply, CsatSurvey, Note, Reply, ReplyStatus
from townsquare.sla.models import BusinessCalendar, SlaPolicy
from townsquare.triage.pii import find_pii
from townsquare.triage.text import clean

EMAIL = "dana.ortiz@example.com"
PHONE = "+34 612 345 678"
CARD = "4111 1111 1111 1111"
PII_VALUES = [EMAIL, PHONE, CARD, "4111111111111111", "612 345 678", "612345678"]

PERSONAS = ["anonymous", "farid", "eve", "bob", "alice", "carol", "grace"]
ROLE_OF = {
    "anonymous": "anonymous",
    "farid": "customer",
    "eve": "moderator",
    "bob": "ambassador",
    "alice": "agent",
    "carol": "supervisor",
    "grace": "admin",
}


@dataclass
class World:
    users: dict
    tokens: dict = field(default_factory=dict)  # persona -> (ApiToken, plaintext)
    ids: dict = field(default_factory=dict)  # path parameter name -> id

    def headers(self, persona: str) -> dict:
        if persona == "anonymous":
            return {}
        return {"Authorization": f"Bearer {self.tokens[persona][1]}"}


def community_world(users: dict, channel) -> dict:
    """A space with Farid's question, Bob's answer and a comment on it (add community objects here)."""
    from townsquare.community.models import Post, PostKind, Space, Subscription, Topic

    space = Space.objects.create(slug="devices", name="Devices", channel=channel)
    topic = Topic.objects.create(
        space=space, title="My headphones will not pair", body="They blink red.", author=users["farid"]
    )
    answer = Post.objects.create(topic=topic, author=users["bob"], body="Hold the button for 10 s.")
    comment = Post.objects.create(
        topic=topic, author=users["farid"], kind=PostKind.COMMENT, parent=answer, body="Thanks!"
    )
    # Farid follows his question: the subscription only he may remove.
    following = Subscription.objects.create(user=users["farid"], topic=topic)
    return {
        "space_id": space.pk,
        "topic_id": topic.pk,
        "post_id": answer.pk,
        "comment_id": comment.pk,
        "subscription_id": following.pk,
    }


def moderation_world(users: dict) -> dict:
    """Quinn, a member (no persona) suspended for a week: the suspension to lift, the member to suspend."""
    from datetime import timedelta

    from tests.conftest import make_user
    from townsquare.community.models import Member, Suspension
    from townsquare.people.models import Role

    quinn = make_user("quinn", Role.CUSTOMER, ["en"])
    until = timezone.now() + timedelta(days=7)
    Member.objects.create(user=quinn, suspended_until=until)
    suspension = Suspension.objects.create(
        user=quinn, until=until, reason="Insulted members", suspended_by=users["eve"]
    )
    return {"suspension_id": suspension.pk, "suspended_user_id": quinn.pk}


def guidelines_world(users: dict) -> dict:
    """Rule 1, and Eve's proposal to add a rule, in discussion (Farid and Bob are at trust level 0 here)."""
    from townsquare.community.models import Guideline, GuidelineRevision, Proposal

    rule = Guideline.objects.create(number=1, title="Be kind", text="Criticise ideas, not people.")
    GuidelineRevision.objects.create(guideline=rule, version=1, title=rule.title, text=rule.text)
    proposal = Proposal.objects.create(
        proposer=users["eve"],
        kind="add",
        title="No referral links",
        text="Do not post referral links.",
        rationale="They are ads dressed as help.",
        voting_opens_at=timezone.now() + timedelta(days=3),
    )
    # guideline_number: the rule pages are addressed by number (/community/guidelines/1/).
    return {"guideline_id": rule.pk, "guideline_number": rule.number, "proposal_id": proposal.pk}


def recognition_world(users: dict) -> dict:
    """Bob is a level 1 ambassador (to invite higher, or remove); Farid has an invitation waiting."""
    from townsquare.community.models import AmbassadorInvite, Member

    Member.objects.update_or_create(user=users["bob"], defaults={"ambassador_level": 1})
    farid, _ = Member.objects.get_or_create(user=users["farid"])
    invite = AmbassadorInvite.objects.create(member=farid, level=1, invited_by=users["carol"])
    return {"user_id": users["bob"].pk, "invite_id": invite.pk}


def build_world(users: dict) -> World:
    world = World(users=users)
    now = timezone.now()
    twitter = Channel.objects.create(name="twitter", kind=ChannelKind.IMPORT)
    community = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    email = Channel.objects.create(name="support-email", kind=ChannelKind.EMAIL)
    dana = Customer.objects.create(display_name="Dana Ortiz", attributes={"email": EMAIL, "phone": PHONE})
    identity(community, "dana_o", dana)
    identity(email, EMAIL, dana)  # her address is her handle on the email channel
    # Her address is behind both identities too (verified): the PII walk checks it stays hidden.
    Identity.objects.filter(customer=dana).update(email=EMAIL, email_verified=True)
    lee = Customer.objects.create(display_name="Lee")  # merged into Dana by the merge operation
    help_needed = conversation(
        community,
        [
            ("in", f"My blender broke. Write to {EMAIL} or call {PHONE}."),
            ("out", "Sorry to hear that! Which model is it?"),
            ("in", f"Model B-200. Please refund to my card {CARD}."),
        ],
        customer=dana,
        handle="dana_o",
        subject=f"Refund for {EMAIL}",
        start=now - timedelta(hours=2),
    )
    help_needed.assignee = users["bob"]
    help_needed.assigned_at = now - timedelta(hours=1)
    help_needed.escalation_level = "ambassador"
    help_needed.save()
    for message in help_needed.messages.all():
        # Labelled as triage would: the PII spans it finds are what the fence masks.
        spans = [
            {"kind": s.kind, "start": s.start, "end": s.end}
            for s in find_pii(clean(message.text, limit=None))
        ]
        label(message, pii=spans)
    conversation(
        twitter,
        [("in", "@acme where is my order?")],
        customer=lee,
        handle="lee",
        start=now - timedelta(hours=3),
    )
    Note.objects.create(
        conversation=help_needed, author=users["alice"], text=f"Customer's phone is {PHONE}, email {EMAIL}"
    )
    team = Team.objects.create(name="Devices")
    team.members.add(users["alice"], users["carol"])
    queue = Queue.objects.create(name="Devices queue", team=team)
    profile = AgentProfile.objects.create(user=users["alice"], presence=Presence.ONLINE, capacity=5)
    profile.queues.add(queue)
    reply = Reply.objects.create(
        conversation=help_needed,
        author=users["alice"],
        text="We are on it.",
        status=ReplyStatus.SCHEDULED,
        send_after=now + timedelta(minutes=5),
    )
    CsatSurvey.objects.create(conversation=help_needed, token="csat-permission-matrix")  # noqa: S106
    canned = CannedReply.objects.create(
        title="Thanks", shortcut="thanks", language="en", text="Thanks {{customer.name}}!"
    )
    calendar = BusinessCalendar.objects.create(name="Office hours")
    policy = SlaPolicy.objects.create(name="Standard", first_response_minutes=60, calendar=calendar)
    endpoint = Endpoint.objects.create(url="http://127.0.0.1:9/hook", kinds=["conversation.created"])
    delivery = Delivery.objects.create(
        endpoint=endpoint, kind="conversation.created", payload={"id": "x"}, next_attempt_at=now
    )
    import_run = ImportRun.objects.create(
        channel=twitter, source="export.csv", format="twcs", status=ImportStatus.DONE, finished_at=now
    )
    # A closed insights period (nothing started in it) to recompute.
    period = ClosedPeriod.objects.create(start=now - timedelta(days=90), end=now - timedelta(days=60))
    # Input the community channel could not read, kept for an admin to download.
    rejected = RejectedInbound.objects.create(
        channel=community,
        reason="not JSON",
        summary="a broken delivery",
        raw=b"{oops",
        size=5,
        sha256="0" * 64,
    )
    world.ids = {
        "conversation_id": help_needed.pk,
        "message_id": help_needed.messages.order_by("id").first().pk,
        "channel_id": community.pk,
        "customer_id": dana.pk,
        "other_customer_id": lee.pk,
        "identity_id": dana.identities.get(channel=email).pk,
        "queue_id": queue.pk,
        "agent_id": users["alice"].pk,
        "reply_id": reply.pk,
        "canned_id": canned.pk,
        "calendar_id": calendar.pk,
        "policy_id": policy.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
        "import_id": import_run.pk,
        "period_id": period.pk,
        "rejected_id": rejected.pk,
        "section": "care",  # an insights report section
        **community_world(users, community),
        **moderation_world(users),
        **guidelines_world(users),
        **recognition_world(users),
    }
    for persona, user in users.items():
        world.tokens[persona] = create_token(user, "permission matrix")
    return world

"""/community/members/{user_id} (a public profile: reputation, trust level and what the next one
needs, badges, recent answers, ambassador level), /community/leaderboard and /community/badges
(public), trust levels set by moderators, and the ambassador program for staff and invitees."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.community_auth import PUBLIC_AUTH, PUBLIC_OPENAPI, check_public_rate
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.community import ambassadors, trust
from townsquare.community.errors import NotAllowed
from townsquare.community.privileges import TRUST_LEVEL_NAMES
from townsquare.community.profiles import public_member, public_profile
from townsquare.people.models import User

router = Router(tags=["community members"])
NO_NUL = r"^[^\x00]*$"


class BadgeOut(Schema):
    badge: str
    name: str
    description: str
    awarded_at: datetime
    reason: str


class StepOut(Schema):
    label: str
    have: int
    need: int
    met: bool
    at_most: bool = Field(description="the requirement is a maximum (e.g. no upheld flags)")
    alternative: bool = Field(description="an alternative to the requirement before it: either is enough")


class ProgressOut(Schema):
    next: int | None = Field(description="the next trust level; null at level 3 and up (staff give 4)")
    next_name: str | None = None
    steps: list[StepOut]
    note: str


class AnswerOut(Schema):
    post_id: int
    topic_id: int
    topic_title: str
    created_at: datetime
    accepted: bool
    score: int


class CountsOut(Schema):
    answers_posted: int
    topics_posted: int
    accepted_answers: int
    peer_resolutions: int
    helpful_received: int


class MemberOut(Schema):
    user_id: int
    username: str
    name: str
    joined_at: datetime
    reputation: int
    trust_level: int
    trust_level_name: str
    trust_level_locked: bool = Field(description="set by staff: the automatic rules leave it alone")
    ambassador_level: int
    ambassador_level_name: str
    counts: CountsOut
    progress: ProgressOut
    badges: list[BadgeOut]
    recent_answers: list[AnswerOut]


class LeaderOut(Schema):
    rank: int
    user_id: int
    username: str
    name: str
    peer_resolutions: int
    median_seconds_to_answer: int | None
    ambassador_level: int
    trust_level: int


class BadgeKindOut(Schema):
    badge: str
    name: str
    description: str
    awarded: int = Field(description="how many members hold it")


class TrustLevelIn(Schema):
    level: int = Field(ge=0, le=4)
    lock: bool = Field(True, description="keep the automatic rules from changing it")
    reason: str = Field("", max_length=300, pattern=NO_NUL)


class TrustLevelOut(Schema):
    user_id: int
    trust_level: int
    trust_level_name: str
    trust_level_locked: bool


class CandidateOut(Schema):
    user_id: int
    username: str
    name: str
    qualifies_for_level: int
    ambassador_level: int
    trust_level: int
    peer_resolutions: int
    accepted_answers: int
    median_seconds_to_answer: int
    pending_invite_id: int | None


class InviteIn(Schema):
    user_id: Id
    level: int = Field(1, ge=1, le=3)
    message: str = Field("", max_length=ambassadors.MESSAGE_LIMIT, pattern=NO_NUL)


class InviteOut(Schema):
    id: int
    user_id: int
    level: int
    status: str
    message: str
    created_at: datetime
    answered_at: datetime | None


def _user(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound(f"member {user_id} not found")
    return user


def _invite_out(invite) -> dict:
    return {
        "id": invite.pk,
        "user_id": invite.member.user_id,
        "level": invite.level,
        "status": invite.status,
        "message": invite.message,
        "created_at": invite.created_at,
        "answered_at": invite.answered_at,
    }


@router.get(
    "/members/{user_id}",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: MemberOut, **error_responses(401, 404, 422, 429)},
    summary="A member's public profile: reputation, trust level and progress, badges, recent answers",
)
def read_member(request, user_id: Id):
    check_public_rate(request)
    member = public_member(user_id=user_id)
    if member is None:
        raise NotFound(f"member {user_id} not found")
    return public_profile(member)


@router.get(
    "/leaderboard",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[LeaderOut], **error_responses(401, 422, 429)},
    summary="Members by peer resolutions over a period, then by median time to an accepted answer",
)
def read_leaderboard(
    request,
    period: Literal["30d", "all"] = Query("30d", description="the last 30 days, or all time"),
    limit: int = Query(50, ge=1, le=200),
):
    check_public_rate(request)
    return [
        {
            "rank": rank,
            "user_id": row.user_id,
            "username": row.username,
            "name": row.name,
            "peer_resolutions": row.resolutions,
            "median_seconds_to_answer": row.median_seconds,
            "ambassador_level": row.ambassador_level,
            "trust_level": row.trust_level,
        }
        for rank, row in enumerate(ambassadors.leaderboard(period, limit), start=1)
    ]


@router.get(
    "/badges",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[BadgeKindOut], **error_responses(401, 429)},
    summary="Every badge, what earns it, and how many members hold it",
)
def list_badges(request):
    from townsquare.community.profiles import badge_counts

    check_public_rate(request)
    return badge_counts()


@router.post(
    "/members/{user_id}/trust-level",
    response={200: TrustLevelOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Set a member's trust level (moderators); locked, the automatic rules leave it alone",
)
def set_trust_level(request, user_id: Id, payload: TrustLevelIn):
    member = trust.set_trust_level(
        caller(request), _user(user_id), payload.level, lock=payload.lock, reason=payload.reason
    )
    return {
        "user_id": user_id,
        "trust_level": member.trust_level,
        "trust_level_name": TRUST_LEVEL_NAMES[member.trust_level],
        "trust_level_locked": member.trust_level_locked,
    }


@router.get(
    "/ambassadors/candidates",
    response={200: list[CandidateOut], **error_responses(401, 403)},
    summary="Members who meet an ambassador level's criteria above their own (staff)",
)
def list_candidates(request):
    return [
        {
            "user_id": c.member.user_id,
            "username": c.member.user.get_username(),
            "name": c.member.name,
            "qualifies_for_level": c.level,
            "ambassador_level": c.member.ambassador_level,
            "trust_level": c.member.trust_level,
            "peer_resolutions": c.member.peer_resolutions,
            "accepted_answers": c.member.accepted_answers,
            "median_seconds_to_answer": c.median_seconds,
            "pending_invite_id": c.pending_invite.pk if c.pending_invite else None,
        }
        for c in ambassadors.candidates(caller(request))
    ]


@router.post(
    "/ambassadors/invites",
    response={201: InviteOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Invite a member into the ambassador program at a level (staff)",
)
def create_invite(request, payload: InviteIn):
    staff = caller(request)
    if not ambassadors.is_staff(staff):
        raise NotAllowed("only staff invite members into the ambassador program")
    sent = ambassadors.invite(staff, _user(payload.user_id), payload.level, payload.message)
    return Status(201, _invite_out(sent))


def _respond(request, invite_id: int, accept: bool):
    try:
        answered = ambassadors.respond(caller(request), invite_id, accept=accept)
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    return _invite_out(answered)


@router.post(
    "/ambassadors/invites/{invite_id}/accept",
    response={200: InviteOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Accept your invitation: you become an ambassador (a customer's role becomes ambassador)",
)
def accept_invite(request, invite_id: Id):
    return _respond(request, invite_id, True)


@router.post(
    "/ambassadors/invites/{invite_id}/decline",
    response={200: InviteOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Decline your invitation into the ambassador program",
)
def decline_invite(request, invite_id: Id):
    return _respond(request, invite_id, False)


@router.delete(
    "/ambassadors/{user_id}",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    summary="Take a member out of the ambassador program (supervisors and admins)",
)
def remove_ambassador(request, user_id: Id, reason: str = Query("", max_length=300, pattern=NO_NUL)):
    manager = caller(request)
    if not ambassadors.is_manager(manager):
        raise NotAllowed("only supervisors and admins remove ambassadors")
    ambassadors.remove(manager, _user(user_id), reason)
    return Status(204, None)

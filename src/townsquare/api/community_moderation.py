"""Community moderation over the API.

POST /community/flags (signed-in members with the flag privilege), GET /community/flags
(moderators), POST /community/topics/{id}/moderation and /community/posts/{id}/moderation
(hide, restore, edit, approve, reject, close, reopen, dismiss_flags — moderators and trust level
4), GET /community/moderation/held (moderators and trust level 4), GET|POST /community/suspensions
and DELETE /community/suspensions/{id}, PATCH
/community/spaces/{id}/slow-mode (moderator roles), GET /community/moderation/log (public; the
moderators' fields are filled for moderators only). Every action needs a written `reason` and may
cite a guideline by `guideline_id` or `rule` number.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.community_auth import PUBLIC_AUTH, PUBLIC_OPENAPI, check_public_rate, optional_caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import MAX_ID, Id, UtcDatetime
from townsquare.community.models import Flag, FlagReason, FlagStatus, ModerationActionKind
from townsquare.community.moderation import log, queue
from townsquare.community.moderation.access import may_moderate, require_moderator, require_staff_moderator
from townsquare.community.moderation.actions import ACTIONS, moderate
from townsquare.community.moderation.citing import REASON_MAX
from townsquare.community.moderation.flags import NOTE_LIMIT, flag
from townsquare.community.moderation.slow_mode import LONGEST_SECONDS, set_slow_mode
from townsquare.community.moderation.suspensions import lift, suspend
from townsquare.community.moderation.targets import Missing
from townsquare.community.posting import BODY_LIMIT, TITLE_LIMIT

router = Router(tags=["community moderation"])
NO_NUL = r"^[^\x00]*$"
Reason = Field(min_length=1, max_length=REASON_MAX, pattern=NO_NUL, description="why, as the author is told")
RuleNumber = Field(None, ge=1, le=2**31 - 1, description="the guideline's rule number, instead of its id")


class FlagIn(Schema):
    topic_id: Id | None = Field(None, description="flag the topic (its question); or give post_id")
    post_id: Id | None = None
    reason: FlagReason
    guideline_id: Id | None = None
    rule: int | None = RuleNumber
    note: str = Field("", max_length=NOTE_LIMIT, pattern=NO_NUL)


class FlagOut(Schema):
    id: int
    topic_id: int
    post_id: int | None
    reason: FlagReason
    guideline_id: int | None
    note: str
    status: FlagStatus
    reporter: str | None = Field(description="shown to moderators; null for the reporter themselves")
    created_at: datetime
    handled_at: datetime | None


class ActionIn(Schema):
    action: Literal[ACTIONS]
    reason: str = Reason
    guideline_id: Id | None = None
    rule: int | None = RuleNumber
    title: str | None = Field(None, max_length=TITLE_LIMIT, pattern=NO_NUL, description="edit: new title")
    body: str | None = Field(None, max_length=BODY_LIMIT, pattern=NO_NUL, description="edit: new text")


class ActionOut(Schema):
    id: int
    action: ModerationActionKind
    topic_id: int | None
    post_id: int | None
    space_id: int | None
    target_user_id: int | None
    reason: str
    guideline_id: int | None
    rule: int | None
    created_at: datetime


class SuspensionIn(Schema):
    user_id: Id
    until: UtcDatetime | None = Field(None, description="when it ends; or give days")
    days: int | None = Field(None, ge=1, le=3650)
    reason: str = Reason
    guideline_id: Id | None = None
    rule: int | None = RuleNumber


class SuspensionOut(Schema):
    id: int
    user_id: int
    until: datetime
    reason: str
    guideline_id: int | None
    created_at: datetime
    lifted_at: datetime | None


class LiftIn(Schema):
    reason: str = Reason


class SlowModeIn(Schema):
    seconds: int = Field(ge=0, le=LONGEST_SECONDS, description="between two posts by one member; 0 is off")
    reason: str = Reason
    guideline_id: Id | None = None
    rule: int | None = RuleNumber


class SlowModeOut(Schema):
    space_id: int
    slow_mode_seconds: int


class HeldOut(Schema):
    kind: Literal["topic", "post"]
    id: int
    topic_id: int
    topic_title: str
    excerpt: str = Field(description="the first 300 characters, as written")
    author: str | None
    reason: str = Field(description="why triage held it")
    created_at: datetime


class LogEntryOut(Schema):
    id: int
    action: ModerationActionKind
    action_label: str
    created_at: datetime
    by: str = Field(description="the role that acted (never a name), or 'community flags'")
    reason: str
    rule: int | None
    rule_title: str
    guideline_id: int | None
    topic_id: int | None = Field(description="null when the topic is not shown")
    topic_title: str
    post_id: int | None
    space: str
    automatic: bool
    moderator: str | None = Field(description="moderators only")
    target_user: str | None = Field(description="moderators only")
    details: dict | None = Field(description="moderators only: flags settled, text an edit replaced, …")


def _found(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except Missing as exc:
        raise NotFound(str(exc)) from exc


def _flag_out(item: Flag, viewer) -> dict:
    shows_reporter = may_moderate(viewer)
    return {
        "id": item.pk,
        "topic_id": item.topic_id,
        "post_id": item.post_id,
        "reason": item.reason,
        "guideline_id": item.guideline_id,
        "note": item.note,
        "status": item.status,
        "reporter": item.reporter.get_username() if shows_reporter else None,
        "created_at": item.created_at,
        "handled_at": item.handled_at,
    }


def _action_out(entry) -> dict:
    return {
        "id": entry.pk,
        "action": entry.action,
        "topic_id": entry.topic_id,
        "post_id": entry.post_id,
        "space_id": entry.space_id,
        "target_user_id": entry.target_user_id,
        "reason": entry.reason,
        "guideline_id": entry.guideline_id,
        "rule": entry.guideline.number if entry.guideline else None,
        "created_at": entry.created_at,
    }


@router.post(
    "/flags",
    response={201: FlagOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Flag a topic or post for moderators (trust level 1+; once each)",
)
def create_flag(request, payload: FlagIn):
    user = caller(request)
    created = _found(
        flag,
        user,
        topic_id=payload.topic_id,
        post_id=payload.post_id,
        reason=payload.reason,
        guideline_id=payload.guideline_id,
        rule=payload.rule,
        note=payload.note,
    )
    return Status(201, _flag_out(created, user))


@router.get(
    "/flags",
    response={200: list[FlagOut], **error_responses(401, 403, 422)},
    summary="Flags for the moderation queue, oldest first (moderators)",
)
def list_flags(
    request,
    status: str = Query(FlagStatus.OPEN.value, pattern=r"^(open|upheld|dismissed)$"),
    topic_id: int | None = Query(None, ge=1, le=MAX_ID),
    post_id: int | None = Query(None, ge=1, le=MAX_ID),
):
    user = caller(request)
    require_moderator(user)
    flags = Flag.objects.filter(status=status).select_related("reporter")
    if topic_id is not None:
        flags = flags.filter(topic_id=topic_id)
    if post_id is not None:
        flags = flags.filter(post_id=post_id)
    return [_flag_out(item, user) for item in flags.order_by("created_at", "id")[:500]]


def _moderate(request, payload: ActionIn, **target):
    entry = _found(
        moderate,
        caller(request),
        payload.action,
        reason=payload.reason,
        guideline_id=payload.guideline_id,
        rule=payload.rule,
        title=payload.title,
        body=payload.body,
        **target,
    )
    return _action_out(entry)


@router.post(
    "/topics/{topic_id}/moderation",
    response={200: ActionOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Moderate a topic: hide, restore, edit, approve, reject, close, reopen, dismiss_flags",
)
def moderate_topic(request, topic_id: Id, payload: ActionIn):
    return _moderate(request, payload, topic_id=topic_id)


@router.post(
    "/posts/{post_id}/moderation",
    response={200: ActionOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Moderate a post: hide, restore, edit, approve, reject, dismiss_flags",
)
def moderate_post(request, post_id: Id, payload: ActionIn):
    return _moderate(request, payload, post_id=post_id)


@router.get(
    "/moderation/held",
    response={200: list[HeldOut], **error_responses(401, 403)},
    summary="Topics and posts held for review as likely spam, oldest first (moderators)",
)
def list_held(request):
    require_moderator(caller(request))
    return [
        {
            "kind": "post" if target.post is not None else "topic",
            "id": target.row.pk,
            "topic_id": target.topic.pk,
            "topic_title": target.topic.title,
            "excerpt": target.row.body[:300],
            "author": target.author.get_username() if target.author else None,
            "reason": target.row.visibility_reason,
            "created_at": target.row.created_at,
        }
        for target in queue.held()
    ]


@router.get(
    "/suspensions",
    response={200: list[SuspensionOut], **error_responses(401, 403)},
    summary="Suspensions in force, ending soonest first (moderator roles)",
)
def list_suspensions(request):
    require_staff_moderator(caller(request), "see suspensions")
    return queue.suspended()


@router.post(
    "/suspensions",
    response={201: SuspensionOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Suspend a member until a time (moderators, supervisors, admins; not staff)",
)
def create_suspension(request, payload: SuspensionIn):
    created = _found(
        suspend,
        caller(request),
        payload.user_id,
        until=payload.until,
        days=payload.days,
        reason=payload.reason,
        guideline_id=payload.guideline_id,
        rule=payload.rule,
    )
    return Status(201, created)


@router.delete(
    "/suspensions/{suspension_id}",
    response={200: SuspensionOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Lift a suspension early, with a reason (moderators, supervisors, admins)",
)
def lift_suspension(request, suspension_id: Id, payload: LiftIn):
    return _found(lift, caller(request), suspension_id, reason=payload.reason)


@router.patch(
    "/spaces/{space_id}/slow-mode",
    response={200: SlowModeOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Set a space's slow mode: seconds between two posts by one member (moderator roles)",
)
def patch_slow_mode(request, space_id: Id, payload: SlowModeIn):
    space = _found(
        set_slow_mode,
        caller(request),
        space_id,
        payload.seconds,
        reason=payload.reason,
        guideline_id=payload.guideline_id,
        rule=payload.rule,
    )
    return {"space_id": space.pk, "slow_mode_seconds": space.slow_mode_seconds}


@router.get(
    "/moderation/log",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[LogEntryOut], **error_responses(401, 422, 429)},
    summary="The public moderation log, newest first (moderators also see names and details)",
)
def moderation_log(
    request,
    before: int | None = Query(None, ge=1, le=MAX_ID, description="an entry id: older entries than it"),
    limit: int = Query(log.PAGE, ge=1, le=200),
):
    check_public_rate(request)
    full = may_moderate(optional_caller(request))
    return [entry.__dict__ for entry in log.entries(full=full, before=before, limit=limit)]

"""GET/POST /queues, PATCH/DELETE /queues/{id} (admins and supervisors), POST /queues/{id}/pull."""

from datetime import datetime

from django.db.models import Count, Q
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from townsquare.api.assignment import AssignmentOut, assignment_of, claim_errors
from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.care.claims import ASSIGNABLE_STATUSES, pull_next
from townsquare.care.models import Queue, RoutingMode
from townsquare.care.queues import (
    QueueError,
    QueueNameTaken,
    create_queue,
    delete_queue,
    require_manager,
    update_queue,
    visible_queues,
)

router = Router(tags=["queues"])

RULES_HELP = (
    'Every rule present must match; {} matches everything. Keys: "channel" (ids), "channel_kind", '
    '"language", "kind", "priority", "intent" (lists, or one value), "customer" (attribute → value or list).'
)


class QueueOut(Schema):
    id: int
    name: str
    team_id: int | None
    routing_mode: str = Field(description="least_loaded, round_robin or manual")
    rules: dict
    required_skills: list[str]
    position: int
    is_active: bool
    created_at: datetime
    waiting: int = Field(description="conversations in the queue without an owner")


class QueueIn(Schema):
    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    team_id: Id | None = None
    routing_mode: RoutingMode = RoutingMode.LEAST_LOADED
    rules: dict = Field(default_factory=dict, description=RULES_HELP)
    required_skills: list[str] = Field(default_factory=list, max_length=50)
    position: int = Field(100, ge=-1_000_000, le=1_000_000, description="lower positions match first")
    is_active: bool = True


class QueuePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100, pattern=r"\S")
    team_id: Id | None = None
    routing_mode: RoutingMode | None = None
    rules: dict | None = Field(None, description=RULES_HELP)
    required_skills: list[str] | None = Field(None, max_length=50)
    position: int | None = Field(None, ge=-1_000_000, le=1_000_000)
    is_active: bool | None = None


def with_waiting(queues):
    waiting = Q(
        conversations__assignee__isnull=True,
        conversations__status__in=ASSIGNABLE_STATUSES,
        conversations__not_for_us=False,
    )
    return queues.annotate(waiting=Count("conversations", filter=waiting))


def visible_queue(user, queue_id: int) -> Queue:
    queue = with_waiting(visible_queues(user)).filter(pk=queue_id).first()
    if queue is None:
        raise NotFound(f"queue {queue_id} not found")
    return queue


def saved(call, *args, **kwargs) -> Queue:
    try:
        return call(*args, **kwargs)
    except QueueNameTaken as exc:
        raise HttpError(409, str(exc)) from None
    except QueueError as exc:
        raise HttpError(400, str(exc)) from None


@router.get(
    "", response={200: list[QueueOut], **error_responses(401, 403)}, summary="List the queues you can see"
)
def list_queues(request):
    return list(with_waiting(visible_queues(caller(request))).order_by("position", "name"))


@router.post(
    "",
    response={201: QueueOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Create a queue (admin, supervisor)",
)
def create_queue_endpoint(request, payload: QueueIn):
    queue = saved(create_queue, caller(request), **payload.dict())
    return Status(201, visible_queue(caller(request), queue.pk))


@router.patch(
    "/{queue_id}",
    response={200: QueueOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Change a queue (admin, supervisor); only the fields sent change",
)
def update_queue_endpoint(request, queue_id: Id, payload: QueuePatch):
    user = caller(request)
    require_manager(user)
    queue = visible_queue(user, queue_id)
    saved(update_queue, user, queue, **payload.dict(exclude_unset=True))
    return visible_queue(user, queue_id)


@router.delete(
    "/{queue_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete a queue (admin, supervisor); its conversations keep their owners",
)
def delete_queue_endpoint(request, queue_id: Id):
    user = caller(request)
    require_manager(user)
    delete_queue(user, visible_queue(user, queue_id))
    return Status(204, None)


@router.post(
    "/{queue_id}/pull",
    response={200: AssignmentOut, 204: None, **error_responses(401, 403, 404, 409, 422)},
    summary="Take the most urgent waiting conversation of a queue (204: nothing waits for you)",
)
def pull_endpoint(request, queue_id: Id):
    user = caller(request)
    queue = visible_queue(user, queue_id)
    with claim_errors():
        conversation = pull_next(user, queue)
    if conversation is None:
        return Status(204, None)
    return assignment_of(conversation.pk)

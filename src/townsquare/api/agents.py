"""GET /agents (with load, capacity, presence), PATCH /agents/{id} (admins, supervisors) and
POST /agents/me/presence."""

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.care.agents import AgentError, agents_with_load, list_agents, update_agent
from townsquare.care.models import Presence
from townsquare.care.presence import set_presence

router = Router(tags=["agents"])


class AgentOut(Schema):
    id: int
    username: str
    name: str
    role: str
    languages: list[str]
    presence: str = Field(description="online, away or offline")
    capacity: int = Field(description="open conversations at once")
    load: int = Field(description="open conversations (new or open) they own now")
    skills: list[str]
    queue_ids: list[int]
    last_assigned_at: datetime | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.label

    @staticmethod
    def resolve_load(obj) -> int:
        return obj.open_load

    @staticmethod
    def resolve_presence(obj) -> str:
        profile = profile_or_none(obj)
        return profile.presence if profile else Presence.OFFLINE

    @staticmethod
    def resolve_capacity(obj) -> int:
        profile = profile_or_none(obj)
        return profile.capacity if profile else 0

    @staticmethod
    def resolve_skills(obj) -> list[str]:
        profile = profile_or_none(obj)
        return list(profile.skills) if profile else []

    @staticmethod
    def resolve_queue_ids(obj) -> list[int]:
        profile = profile_or_none(obj)
        return sorted(q.pk for q in profile.queues.all()) if profile else []

    @staticmethod
    def resolve_last_assigned_at(obj):
        profile = profile_or_none(obj)
        return profile.last_assigned_at if profile else None


def profile_or_none(user):
    return getattr(user, "agent_profile", None)


class AgentPatch(Schema):
    capacity: int | None = Field(None, ge=0, le=1000)
    skills: list[str] | None = Field(None, max_length=50)
    queue_ids: list[Id] | None = Field(None, max_length=500)


class PresenceIn(Schema):
    presence: Presence


def agent_out(user_id: int):
    """One person with their load, as the list shows them (after a change)."""
    agent = agents_with_load().filter(pk=user_id).first()
    if agent is None:
        raise NotFound(f"agent {user_id} not found")
    return agent


@router.get(
    "", response={200: list[AgentOut], **error_responses(401, 403)}, summary="List agents with their load"
)
def list_agents_endpoint(request):
    return list(list_agents(caller(request)))


@router.post(
    "/me/presence",
    response={200: AgentOut, **error_responses(401, 403, 422)},
    summary="Set your presence: online gets work, away keeps it, offline hands it to others",
)
def set_presence_endpoint(request, payload: PresenceIn):
    user = caller(request)
    set_presence(user, payload.presence)
    return agent_out(user.pk)


@router.patch(
    "/{agent_id}",
    response={200: AgentOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Set an agent's capacity, skills or queues (admin, supervisor)",
)
def update_agent_endpoint(request, agent_id: Id, payload: AgentPatch):
    user = caller(request)
    agent = list_agents(user).filter(pk=agent_id).first()
    if agent is None:
        raise NotFound(f"agent {agent_id} not found")
    try:
        update_agent(user, agent, **payload.dict(exclude_unset=True))
    except AgentError as exc:
        raise HttpError(400, str(exc)) from None
    return agent_out(agent_id)

"""/community/spaces (public to read, admins change them) and /community/tags (public)."""

from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.community_auth import PUBLIC_AUTH, PUBLIC_OPENAPI, check_public_rate, optional_caller
from townsquare.api.community_schemas import SpaceOut, sees_everything, visible_space
from townsquare.api.errors import error_responses
from townsquare.api.params import Id
from townsquare.community.models import Space, Tag, Visibility
from townsquare.community.spaces import MAX_UNANSWERED_HOURS, create_space, update_space

router = Router(tags=["community"])


class SpaceIn(Schema):
    slug: str = Field(min_length=1, max_length=60, description="lowercase letters, digits and -")
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=5000)
    language: str = Field("", max_length=8, description="ISO 639-1 code, empty for any language")
    product: str = Field("", max_length=100)
    allows_promotion: bool = False
    unanswered_after_hours: int = Field(24, ge=1, le=MAX_UNANSWERED_HOURS)
    position: int = Field(0, ge=0, le=1_000_000)


class SpacePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=5000)
    language: str | None = Field(None, max_length=8)
    product: str | None = Field(None, max_length=100)
    allows_promotion: bool | None = None
    unanswered_after_hours: int | None = Field(None, ge=1, le=MAX_UNANSWERED_HOURS)
    position: int | None = Field(None, ge=0, le=1_000_000)


class TagOut(Schema):
    name: str
    description: str
    topic_count: int = Field(description="visible topics with this tag")


@router.get(
    "/spaces",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[SpaceOut], **error_responses(401, 429)},
    summary="The community's spaces (public; admins also see closed ones)",
)
def list_spaces(request):
    check_public_rate(request)
    spaces = Space.objects.all()
    if not sees_everything(optional_caller(request)):
        spaces = spaces.filter(is_active=True)
    return list(spaces.order_by("position", "name"))


@router.get(
    "/spaces/{space_id}",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SpaceOut, **error_responses(401, 404, 422, 429)},
    summary="One space (public)",
)
def read_space(request, space_id: Id):
    check_public_rate(request)
    return visible_space(optional_caller(request), space_id)


@router.post(
    "/spaces",
    response={201: SpaceOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Create a space (admin)",
)
def create_space_endpoint(request, payload: SpaceIn):
    return Status(201, create_space(caller(request), **payload.dict()))


@router.patch(
    "/spaces/{space_id}",
    response={200: SpaceOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Change a space (admin); only the fields sent change",
)
def update_space_endpoint(request, space_id: Id, payload: SpacePatch):
    user = caller(request)
    space = visible_space(user, space_id)
    fields = {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}
    return update_space(user, space, **fields)


@router.get(
    "/tags",
    auth=PUBLIC_AUTH,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[TagOut], **error_responses(401, 422, 429)},
    summary="Tags in use, most used first (public)",
)
def list_tags(
    request,
    prefix: str | None = Query(None, max_length=50, pattern=r"^[a-z0-9-]*$", description="tags starting so"),
    limit: int = Query(100, ge=1, le=500),
):
    check_public_rate(request)
    shown = Q(topics__visibility=Visibility.VISIBLE, topics__space__is_active=True)
    tags = Tag.objects.annotate(topic_count=Count("topics", filter=shown)).filter(topic_count__gt=0)
    if prefix:
        tags = tags.filter(name__startswith=prefix)
    return list(tags.order_by("-topic_count", "name")[:limit])

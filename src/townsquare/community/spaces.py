"""Creating and changing community spaces: admins only, each change an event naming who made it."""

import re

from django.db import transaction

from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.models import Space
from townsquare.people.models import Role

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
_LANGUAGE = re.compile(r"^([a-z]{2}(-[A-Za-z]{2})?)?$")
EDITABLE = (
    "name",
    "description",
    "language",
    "product",
    "allows_promotion",
    "unanswered_after_hours",
    "position",
)
MAX_UNANSWERED_HOURS = 24 * 90


def require_admin(user) -> None:
    if not (user and user.is_authenticated and user.is_active and user.role == Role.ADMIN):
        raise NotAllowed("only an admin may create or change spaces")


def _clean(fields: dict) -> dict:
    clean = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise CommunityError(f"{key} cannot be changed here")
        if key == "name":
            value = (value or "").strip()
            if not value or len(value) > 100:
                raise CommunityError("name must have 1 to 100 characters")
        elif key in ("description", "product"):
            value = (value or "").strip()
            if key == "product" and len(value) > 100:
                raise CommunityError("product may have at most 100 characters")
        elif key == "language":
            value = (value or "").strip()
            if not _LANGUAGE.match(value):
                raise CommunityError("language must be an ISO 639-1 code such as en or es, or empty for any")
        elif key == "unanswered_after_hours":
            if not 1 <= int(value) <= MAX_UNANSWERED_HOURS:
                raise CommunityError(f"unanswered_after_hours must be between 1 and {MAX_UNANSWERED_HOURS}")
        clean[key] = value
    return clean


def create_space(user, *, slug: str, name: str, **fields) -> Space:
    require_admin(user)
    slug = (slug or "").strip().lower()
    if not _SLUG.match(slug):
        raise CommunityError("slug: lowercase letters, digits and -, up to 60 characters")
    values = _clean({"name": name, **fields})
    with transaction.atomic():
        if Space.objects.filter(slug=slug).exists():
            raise Conflict(f"a space with slug {slug!r} already exists")
        space = Space.objects.create(slug=slug, **values)
        record_community(
            "community.space_created", actor=user, data={"space": space.pk, "slug": slug, "name": space.name}
        )
    return space


def update_space(user, space: Space, **fields) -> Space:
    """Change the fields given (only those); writes `community.space_changed` with what changed."""
    require_admin(user)
    values = _clean(fields)
    with transaction.atomic():
        space = Space.objects.select_for_update().get(pk=space.pk)
        changed = {key: value for key, value in values.items() if getattr(space, key) != value}
        for key, value in changed.items():
            setattr(space, key, value)
        if changed:
            space.save(update_fields=list(changed))
        record_community(
            "community.space_changed",
            actor=user,
            data={"space": space.pk, "fields": sorted(changed), "values": changed},
        )
    return space

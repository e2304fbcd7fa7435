"""Dump users and tags as ours: each dump account becomes a community member, found again by name.

A dump account `7` of site `beer` is the user `se-beer-7` (role customer, an unusable password:
nobody signs in as history; an admin can hand an account over later). The site is in the name
so two sites' account 7 stay two people, and a local user can never be matched by a display name.
Both maps cache what they found, bounded, and forget it when a batch rolls back.
"""

from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from townsquare.community.models import Member, Tag
from townsquare.inbox.ingest.bulk_sql import select_in
from townsquare.people.models import Role, User

USER = User._meta.db_table
TAG = Tag._meta.db_table
CACHE_LIMIT = 200_000


def username_for(site: str, source_id: int) -> str:
    return f"se-{site}-{source_id}"


class UserMap:
    """Dump account id -> user id, creating the user and their Member the first time."""

    def __init__(self, site: str):
        self.site = site
        self.known: dict[int, int] = {}
        self.created = 0

    def clear(self) -> None:
        self.known.clear()

    def resolve(self, wanted: dict[int, tuple[datetime | None, str]]) -> dict[int, int]:
        """`wanted`: account id -> (when first seen, display name); returns account id -> user id."""
        found = {source: self.known[source] for source in wanted if source in self.known}
        missing = {source: value for source, value in wanted.items() if source not in found}
        if missing:
            names = {username_for(self.site, source): source for source in missing}
            stored = {names[name]: pk for name, pk in select_in(USER, ["username", "id"], "username", names)}
            found.update(stored)
            new = {source: value for source, value in missing.items() if source not in stored}
            found.update(self._create(new))
            if len(self.known) + len(missing) > CACHE_LIMIT:
                self.known.clear()
            self.known.update({source: found[source] for source in missing})
        return found

    def _create(self, new: dict[int, tuple[datetime | None, str]]) -> dict[int, int]:
        if not new:
            return {}
        now = timezone.now()
        users = [
            User(
                username=username_for(self.site, source),
                password=make_password(None),
                role=Role.CUSTOMER,
                languages=[],
                first_name=name[:150],
                date_joined=joined or now,
            )
            for source, (joined, name) in sorted(new.items())
        ]
        User.objects.bulk_create(users)
        Member.objects.bulk_create(
            Member(user_id=user.pk, display_name=user.first_name[:100], joined_at=user.date_joined)
            for user in users
        )
        self.created += len(users)
        return {source: user.pk for source, user in zip(sorted(new), users, strict=True)}


class TagMap:
    """Tag name -> id; a missing tag is created (ignoring one another import created meanwhile)."""

    def __init__(self):
        self.known: dict[str, int] = {}
        self.created = 0

    def clear(self) -> None:
        self.known.clear()

    def ids(self, names) -> dict[str, int]:
        missing = {name for name in names if name not in self.known}
        if missing:
            found = dict(select_in(TAG, ["name", "id"], "name", sorted(missing)))
            new = sorted(missing - found.keys())
            if new:
                Tag.objects.bulk_create([Tag(name=name) for name in new], ignore_conflicts=True)
                found.update(select_in(TAG, ["name", "id"], "name", new))
                self.created += len(new)
            if len(self.known) > CACHE_LIMIT:
                self.known.clear()
            self.known.update(found)
        return {name: self.known[name] for name in names}

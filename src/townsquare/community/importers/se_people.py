"""Dump users and tags as ours: each dump account becomes a community member, found again by name.

A dump account `7` of site `beer` is the user `se-beer-7` (role customer, an unusable password:
nobody signs in as history; an admin can hand an account over later). The site is in the name
so two sites' account 7 stay two people, and a local user can never be matched by a display name.
Both maps cache what they found, bounded, and forget it when a batch rolls back.
"""

import secrets
from datetime import datetime

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from townsquare.community.importers.se_rows import row_shape
from townsquare.community.models import Member, Tag
from townsquare.inbox.ingest.bulk_sql import allocate_ids, datetime_adapter, insert_many, select_in
from townsquare.people.models import Role, User

USER = User._meta.db_table
MEMBER = Member._meta.db_table
TAG = Tag._meta.db_table
USER_GIVEN = ["id", "username", "password", "role", "first_name", "date_joined"]
MEMBER_GIVEN = ["id", "user_id", "display_name", "joined_at"]
CUSTOMER = Role.CUSTOMER.value
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
        """Users and their members in two bulk statements (the ORM's bulk_create costs ~0.3 ms a user)."""
        if not new:
            return {}
        to_db, now = datetime_adapter(), timezone.now()
        sources = sorted(new)
        user_ids = allocate_ids(USER, len(sources))
        member_ids = allocate_ids(MEMBER, len(sources))
        user_columns, user_tail = row_shape(User, USER_GIVEN)
        member_columns, member_tail = row_shape(Member, MEMBER_GIVEN)
        users, members = [], []
        for source, user_id, member_id in zip(sources, user_ids, member_ids, strict=True):
            joined, name = new[source]
            joined = to_db(joined or now)
            # "!" makes the password unusable, as make_password(None) would (without its 40 urandom calls).
            password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
            users.append((user_id, username_for(self.site, source), password, CUSTOMER, name[:150], joined))
            members.append((member_id, user_id, name[:100], joined))
        insert_many(USER, user_columns, [row + user_tail for row in users])
        insert_many(MEMBER, member_columns, [row + member_tail for row in members])
        self.created += len(sources)
        return dict(zip(sources, user_ids, strict=True))


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

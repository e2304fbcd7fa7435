"""Joining the community: a person signs up for an account that can post but never sees the console.

The account is a `User` with the customer role and a `Member` profile, written together with a
`community.member_joined` event (the new member is its actor), so insights can count sign-ups
from the log.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from townsquare.community.events import record_community
from townsquare.community.models import Member
from townsquare.people.models import Role, User

_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
MAX_LANGUAGES = 8


class SignupError(ValueError):
    """What is wrong with the sign-up, per field (`{"username": ["…"]}`), to show next to each one."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))


def parse_languages(value: str) -> list[str]:
    """ "en, es" → ["en", "es"]: ISO 639-1 codes, lowercase, each once."""
    codes = []
    for part in re.split(r"[\s,;]+", (value or "").strip().lower()):
        if not part:
            continue
        if not _LANGUAGE.match(part):
            raise SignupError(
                {"languages": [f"{part!r} is not a two-letter language code (like en, es, de)"]}
            )
        if part not in codes:
            codes.append(part)
    if len(codes) > MAX_LANGUAGES:
        raise SignupError({"languages": [f"at most {MAX_LANGUAGES} languages"]})
    return codes


def _check(username: str, email: str, password: str, display_name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not _USERNAME.match(username):
        errors["username"] = ["3 to 30 characters: letters, digits, and . _ -"]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["that username is taken"]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["enter an email address like dana@example.org"]
    if len(display_name) > 100:
        errors["display_name"] = ["at most 100 characters"]
    candidate = User(username=username, email=email, first_name=display_name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    return errors


def join(*, username: str, email: str, password: str, display_name: str = "", languages=()) -> User:
    """A new community member's account; raises SignupError with what to fix."""
    username, email = (username or "").strip(), (email or "").strip()
    display_name = (display_name or "").strip()
    errors = _check(username, email, password or "", display_name)
    if errors:
        raise SignupError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                email=email,
                password=password,
                role=Role.CUSTOMER,
                languages=list(languages),
                first_name=display_name[:150],
            )
            member = Member.objects.create(user=user, display_name=display_name)
            record_community(
                "community.member_joined",
                actor=user,
                data={"member": member.pk, "user": user.pk, "languages": list(languages)},
            )
    except IntegrityError as exc:  # two sign-ups for one name at the same moment
        raise SignupError({"username": ["that username is taken"]}) from exc
    return user

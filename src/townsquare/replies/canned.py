"""Canned replies: prepared answers with variables, one text per language under the same shortcut."""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.page_reads import shared
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.models import CannedReply
from townsquare.replies.permissions import is_supervising
from townsquare.replies.text import checked_text
from townsquare.replies.variables import VARIABLE, variable_values

FALLBACK_LANGUAGE = "en"
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
KNOWN_VARIABLES = ("customer.name", "customer.first_name", "agent.name", "order_number")


class CannedError(ValueError):
    """A canned reply that cannot be saved, with the reason (API 422, console form error)."""


@dataclass(frozen=True)
class RenderedCanned:
    canned: CannedReply
    text: str
    # Variables with no value for this conversation: left as {{name}} for the agent to fill in.
    missing: list[str] = field(default_factory=list)


def all_canned(conversation) -> list[CannedReply]:
    """Every canned reply, by shortcut then language; read once per conversation page
    (the suggestions and the reply box's picker both need them)."""
    return shared(conversation, "canned", lambda: list(CannedReply.objects.order_by("shortcut", "language")))


def check_template(text) -> str:
    text = checked_text(text, what="canned reply text")
    unknown = sorted({name for name in VARIABLE.findall(text) if name not in KNOWN_VARIABLES})
    if unknown:
        raise CannedError(
            f"unknown variable{'s' if len(unknown) > 1 else ''} {', '.join('{{' + n + '}}' for n in unknown)}; "
            f"use {', '.join('{{' + n + '}}' for n in KNOWN_VARIABLES)}"
        )
    leftover = VARIABLE.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        raise CannedError("write each variable as {{name}}, e.g. {{customer.name}}")
    return text


def _checked_fields(fields: dict) -> dict:
    checked = {}
    if "title" in fields:
        checked["title"] = checked_text(fields["title"], what="title", limit=200)
    if "shortcut" in fields:
        shortcut = str(fields["shortcut"] or "").strip().lower()
        if not SHORTCUT.match(shortcut):
            raise CannedError("the shortcut must be 1–60 lowercase letters, digits, '-' or '_'")
        checked["shortcut"] = shortcut
    if "language" in fields:
        language = str(fields["language"] or "").strip()
        if not LANGUAGE.match(language):
            raise CannedError("the language must be an ISO 639 code such as 'en' or 'es'")
        checked["language"] = language
    if "text" in fields:
        checked["text"] = check_template(fields["text"])
    if "team" in fields:
        checked["team"] = fields["team"]
    return checked


def _require_manager(user) -> None:
    if not is_supervising(user):
        raise Forbidden("only supervisors and admins manage canned replies")


def create_canned(user, **fields) -> CannedReply:
    _require_manager(user)
    missing = [name for name in ("title", "shortcut", "text") if name not in fields]
    if missing:
        raise CannedError(f"missing {', '.join(missing)}")
    checked = _checked_fields({"language": FALLBACK_LANGUAGE, **fields})
    return _save(CannedReply(created_by=user, **checked), user, "canned.created")


def update_canned(user, canned: CannedReply, **fields) -> CannedReply:
    _require_manager(user)
    for name, value in _checked_fields(fields).items():
        setattr(canned, name, value)
    canned.updated_at = timezone.now()
    return _save(canned, user, "canned.updated")


def delete_canned(user, canned: CannedReply) -> None:
    _require_manager(user)
    with transaction.atomic():
        record("canned.deleted", actor=user, data=_described(canned))
        canned.delete()


def _described(canned: CannedReply) -> dict:
    return {"canned_id": canned.pk, "shortcut": canned.shortcut, "language": canned.language}


def _save(canned: CannedReply, actor, kind: str) -> CannedReply:
    try:
        with transaction.atomic():
            canned.save()
            record(kind, actor=actor, data=_described(canned))
    except IntegrityError:
        raise CannedError(f"/{canned.shortcut} already has a text in {canned.language}") from None
    return canned


def in_language(canned: CannedReply, language: str) -> CannedReply:
    """The version of this shortcut in `language`, else in English, else the one given."""
    versions = {c.language: c for c in CannedReply.objects.filter(shortcut=canned.shortcut)}
    return versions.get(language) or versions.get(FALLBACK_LANGUAGE) or canned


def render_canned(canned: CannedReply, conversation, agent) -> RenderedCanned:
    """The canned reply in the conversation's language (English as fallback) with its variables filled."""
    chosen = in_language(canned, conversation.language or FALLBACK_LANGUAGE)
    return render_version(chosen, variable_values(conversation, agent))


def render_version(canned: CannedReply, values: dict[str, str]) -> RenderedCanned:
    missing: list[str] = []

    def fill(match: re.Match) -> str:
        value = values.get(match.group(1), "")
        if not value:
            missing.append(match.group(1))
            return match.group(0)
        return value

    return RenderedCanned(canned, VARIABLE.sub(fill, canned.text), sorted(set(missing)))

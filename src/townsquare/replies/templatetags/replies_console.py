"""`{% reply_box_state as box %}` and `{% notes_state as notes %}`: what the conversation page's
reply box and notes partials show, computed from the page's `conversation` and signed-in user."""

from django import template
from django.db.models import Q
from django.utils import timezone

from townsquare.inbox.page_reads import VISIBLE_TO, known, loaded_thread
from townsquare.inbox.visibility import Forbidden
from townsquare.replies.canned import all_canned
from townsquare.replies.guard import override_allowed
from townsquare.replies.models import CannedReply, CsatSurvey
from townsquare.replies.permissions import require_can_work_on
from townsquare.replies.status import allowed_targets
from townsquare.web.pii_fence import shown_free_text

register = template.Library()
RECENT_REPLIES = 10
FAILED_REPLIES = 50
STATUS_ACTIONS = {
    "open": "Open",
    "pending": "Pending (waiting on customer)",
    "resolved": "Resolve",
    "closed": "Close",
}


def may_work_on(request, conversation) -> bool:
    """The service check, asked once per request: the reply box and the notes both need it."""
    memo = request.__dict__.setdefault("_may_work_on", {})
    key = (request.user.pk, conversation.pk)
    if key not in memo:
        try:
            seen = known(conversation, VISIBLE_TO) == request.user.pk
            require_can_work_on(request.user, conversation, seen=seen)
            memo[key] = True
        except Forbidden:
            memo[key] = False
    return memo[key]


@register.simple_tag(takes_context=True)
def reply_box_state(context) -> dict:
    conversation = context["conversation"]
    user = context["request"].user
    now = timezone.now()
    replies = recent_and_failed(conversation)
    for reply in replies:
        reply.shown_text = shown_free_text(user, reply.text)
        # A delivery error may quote the customer's address (an SMTP 550): fenced like the text.
        reply.shown_error = shown_free_text(user, reply.error) if reply.error else ""
        reply.undoable = reply.status == "scheduled" and reply.send_after and reply.send_after > now
    thread = loaded_thread(conversation)
    if thread is not None:
        latest = max((message.pk for message in thread), default=None)
    else:
        latest = conversation.messages.order_by("-id").values_list("pk", flat=True).first()
    return {
        "may_reply": may_work_on(context["request"], conversation),
        "may_override": override_allowed(user),
        "status_actions": [
            (status, STATUS_ACTIONS[status]) for status in allowed_targets(user, conversation)
        ],
        "replies": list(reversed(replies)),
        "seen_message_id": latest or "",
        "canned": _canned_choices(conversation),
        "csat": csat_of(conversation),
    }


def recent_and_failed(conversation) -> list:
    """The newest RECENT_REPLIES replies and, however many replies came after them, the newest
    FAILED_REPLIES failed ones (a failed reply stays in view until it is retried); newest first.

    One query: the newest replies and every failed one, newest first, cut at the sum of both
    limits. The newest replies come first in that order, and the failed ones after them are the
    newest failed ones, so the cut keeps all that is shown.
    """
    newest = conversation.replies.order_by("-created_at", "-id").values("pk")[:RECENT_REPLIES]
    rows = list(
        conversation.replies.filter(Q(pk__in=newest) | Q(status="failed"))
        .select_related("author", "overridden_by")
        .order_by("-created_at", "-id")[: RECENT_REPLIES + FAILED_REPLIES]
    )
    recent = rows[:RECENT_REPLIES]
    failed = [reply for reply in rows if reply.status == "failed"][:FAILED_REPLIES]
    return recent + [reply for reply in failed if reply not in recent]


def csat_of(conversation) -> CsatSurvey | None:
    """The conversation's survey; no query when the page's view joined it (select_related)."""
    try:
        return conversation.csat
    except CsatSurvey.DoesNotExist:
        return None


def _canned_choices(conversation) -> list[CannedReply]:
    """One entry per shortcut: the version in the conversation's language, else English, else any."""
    language = conversation.language or "en"
    chosen: dict[str, CannedReply] = {}
    for canned in all_canned(conversation):
        current = chosen.get(canned.shortcut)
        if current is None or _preference(canned.language, language) < _preference(
            current.language, language
        ):
            chosen[canned.shortcut] = canned
    return list(chosen.values())


def _preference(candidate: str, wanted: str) -> int:
    return 0 if candidate == wanted else 1 if candidate == "en" else 2


@register.simple_tag(takes_context=True)
def notes_state(context) -> dict:
    conversation = context["conversation"]
    user = context["request"].user
    notes = list(
        conversation.notes.select_related("author").prefetch_related("mentions").order_by("created_at", "id")
    )
    for note in notes:
        note.shown_text = shown_free_text(user, note.text)
    return {"notes": notes, "may_add": may_work_on(context["request"], conversation)}

"""Live console updates, polled from the event log.

Every state change writes an event (append-only, increasing ids) in the transaction that makes
it, whichever process makes it — a web request, a routing worker, an importer. So the event log
is already a change feed that every web process can read: a page remembers the newest event id
it was rendered at and asks `/live/changes?after=<id>` every TOWNSQUARE_LIVE_POLL_SECONDS which
of the conversations it may see changed since. An in-memory channel layer would not see the
worker's changes, and Redis pub/sub would be a second source of truth to keep in step.

When nothing changed the answer costs one query on the primary key (the newest event id).
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from townsquare.events.models import Event
from townsquare.inbox.visibility import visible_conversations
from townsquare.web.access import console_view

# A client further behind than this many events (a tab asleep over a bulk import) reloads its list
# instead of having every conversation id sent to it.
MAX_EVENTS_PER_POLL = 5_000


@dataclass(frozen=True)
class LiveState:
    """What a page needs to start polling: the newest event id it shows, and how often to ask."""

    after: int
    poll_ms: int


def newest_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def live_state(after: int | None = None) -> LiveState:
    """`after`: the newest event id when the page's own query already read it (newest_event)."""
    after = newest_event_id() if after is None else after
    return LiveState(after=after, poll_ms=int(settings.LIVE_POLL_SECONDS * 1000))


def newest_event():
    """The newest event id as a subquery, for a page to annotate onto the query it makes anyway."""
    return Coalesce(Subquery(Event.objects.order_by("-id").values("id")[:1]), 0)


class ChangesQuery(forms.Form):
    after = forms.IntegerField(min_value=0, required=False)
    conversation = forms.IntegerField(min_value=1, required=False)


def bad_request(form: forms.Form) -> JsonResponse:
    errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
    return JsonResponse({"error": "invalid parameters", "fields": errors}, status=400)


@require_GET
@console_view
@never_cache
def changes(request):
    """`{"last_event_id": N, "changed": [conversation ids], "reset": bool}` since event `after`.

    Without `after` it only tells the newest id (where to start). With `conversation`, it answers
    for that one conversation (404 when the user may not see it).
    """
    query = ChangesQuery(request.GET)
    if not query.is_valid():
        return bad_request(query)
    after, conversation_id = query.cleaned_data["after"], query.cleaned_data["conversation"]
    visible = visible_conversations(request.user)
    if conversation_id is not None:
        return _one_conversation(visible, conversation_id, after)
    newest = newest_event_id()
    if after is None or newest <= after:
        return _answer(newest, [])
    if newest - after > MAX_EVENTS_PER_POLL:
        return _answer(newest, [], reset=True)
    changed_ids = Event.objects.filter(id__gt=after, id__lte=newest, conversation_id__isnull=False).values(
        "conversation_id"
    )
    changed = visible.filter(pk__in=changed_ids).order_by("pk").values_list("pk", flat=True)
    return _answer(newest, list(changed))


def _one_conversation(visible, conversation_id: int, after: int | None) -> JsonResponse:
    """One query: is the conversation visible, did it change after `after`, and the newest event id."""
    since = after if after is not None else 0
    newest = Subquery(Event.objects.order_by("-id").values("id")[:1])
    changed = Exists(Event.objects.filter(conversation_id=OuterRef("pk"), id__gt=since))
    row = (
        visible.filter(pk=conversation_id)
        .annotate(newest=newest, changed=changed)
        .values("newest", "changed")
    )
    row = row.first()
    if row is None:
        return JsonResponse({"error": f"conversation {conversation_id} not found"}, status=404)
    newest_id = row["newest"] or 0
    return _answer(newest_id, [conversation_id] if after is not None and row["changed"] else [])


def _answer(newest: int, changed: list[int], *, reset: bool = False) -> JsonResponse:
    return JsonResponse({"last_event_id": newest, "changed": changed, "reset": reset})

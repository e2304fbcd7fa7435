"""Triage labels on the conversation page, and the corrections a person makes to them."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from townsquare.inbox.models import Conversation, Direction
from townsquare.inbox.visibility import visible_messages
from townsquare.labels.services import InvalidCorrection
from townsquare.labels.services import correct as record_correction
from townsquare.triage.labels import KINDS
from townsquare.web.access import console_view
from townsquare.web.pii_fence import Segment, sees_pii, shown_segments, stored_labels

CORRECTABLE = (("kind", "Kind"), ("not_for_us", "Not for us"))
YES_NO = {"true": True, "false": False}


@dataclass
class MessageView:
    """One message as the console shows it: text behind the PII fence, and its triage labels."""

    message: object
    segments: list[Segment]
    labels: object | None
    duplicate_of: int | None = None
    duplicate_url: str = ""

    @property
    def pending(self) -> bool:
        return self.message.direction == Direction.INBOUND and self.labels is None

    @property
    def failed(self) -> bool:
        return self.labels is not None and self.labels.status == "failed"

    @property
    def pii_kinds(self) -> list[str]:
        return sorted({segment.pii_kind for segment in self.segments if segment.pii_kind})


def thread_with_labels(user, messages) -> list[MessageView]:
    """The thread's messages with their labels and duplicate links, in two queries however long it is."""
    rows = list(messages.select_related("author", "labels", "labels__reviewed_by"))
    views = [MessageView(m, shown_segments(user, m), stored_labels(m)) for m in rows]
    link_duplicates(user, views)
    return views


def link_duplicates(user, views: list[MessageView]) -> None:
    """Point each duplicate at its group's first message, when this user may open that message."""
    groups = {}
    for view in views:
        group = view.labels.duplicate_group if view.labels else None
        if group and group.isdigit() and int(group) != view.message.pk:
            groups[view.message.pk] = int(group)
    if not groups:
        return
    where = dict(
        visible_messages(user).filter(pk__in=set(groups.values())).values_list("pk", "conversation_id")
    )
    for view in views:
        first = groups.get(view.message.pk)
        if first is not None:
            view.duplicate_of = first
            if first in where:
                url = reverse("web:conversation", args=[where[first]])
                view.duplicate_url = f"{url}#message-{first}"


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(choices=CORRECTABLE)
    value = forms.CharField(max_length=16)

    def clean(self):
        data = super().clean()
        # Forms post text; the service wants not_for_us as a boolean and checks every value itself.
        if data.get("field") == "not_for_us":
            if data.get("value") not in YES_NO:
                raise forms.ValidationError("not_for_us must be true or false")
            data["value"] = YES_NO[data["value"]]
        return data


def refused(reason: str) -> HttpResponse:
    return HttpResponse(f"This correction is not valid: {reason}", status=400, content_type="text/plain")


@require_POST
@console_view
def correct(request, message_id: int):
    """Record one correction through labels.services.correct; htmx gets the message's labels back."""
    message = get_object_or_404(visible_messages(request.user).select_related("conversation"), pk=message_id)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return refused("; ".join(error for errors in form.errors.values() for error in errors))
    try:
        record_correction(message, request.user, form.cleaned_data["field"], form.cleaned_data["value"])
    except InvalidCorrection as exc:
        return refused(str(exc))
    except PermissionError as exc:
        raise PermissionDenied(str(exc) or "you may not correct this message's labels") from exc
    if not request.htmx:
        return redirect(f"{reverse('web:conversation', args=[message.conversation_id])}#message-{message.pk}")
    view = thread_with_labels(request.user, visible_messages(request.user).filter(pk=message.pk))[0]
    context = {
        "view": view,
        "kinds": KINDS,
        "sees_pii": sees_pii(request.user),
        "just_corrected": True,
        # The roll-up as the correction left it, swapped into the page header out of band.
        "conversation": Conversation.objects.get(pk=message.conversation_id),
    }
    return render(request, "web/_message_labels.html", context)

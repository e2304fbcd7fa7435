"""Console page /audit/: the event log filtered by actor, kind, conversation and period."""

import json
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.views.decorators.http import require_GET

from townsquare.api.params import MAX_ID
from townsquare.security.audit import (
    KNOWN_KINDS,
    MAX_KIND_LENGTH,
    AuditFilter,
    actor_names,
    audit_events,
    page,
    require_audit_role,
)
from townsquare.web.access import console_view

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, max_length=150, label="Actor (username)")
    kind = forms.CharField(
        required=False, max_length=MAX_KIND_LENGTH, help_text='A kind, or a prefix ending in "." (auth.)'
    )
    conversation = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def clean_actor(self) -> int | None:
        username = self.cleaned_data["actor"].strip()
        if not username:
            return None
        user_id = (
            get_user_model()._default_manager.filter(username=username).values_list("pk", flat=True).first()
        )
        if user_id is None:
            raise forms.ValidationError(f"nobody is called {username!r}")
        return user_id

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"].strip()
        if "\x00" in kind:
            raise forms.ValidationError("a kind cannot contain NUL")
        return kind

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "the period ends before it starts")
        return data

    def audit_filter(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            actor_id=data["actor"],
            kind=data["kind"],
            conversation_id=data["conversation"],
            since=_start_of(data["since"]),
            until=_start_of(data["until"] + timedelta(days=1)) if data["until"] else None,
        )


def _start_of(day) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


@require_GET
@console_view
def audit(request):
    require_audit_role(request.user)  # before reading the filters: they name people
    form = AuditFilterForm(request.GET)
    rows, next_before, status = [], None, 200
    if form.is_valid():
        events = audit_events(request.user, form.audit_filter(), before_id=form.cleaned_data["before"])
        rows, next_before = page(events, PAGE_SIZE)
    else:
        status = 400
    names = actor_names(rows)
    for event in rows:
        event.actor_name = names.get(event.actor_id, "")
        event.data_json = json.dumps(event.data, ensure_ascii=False, sort_keys=True)
    params = request.GET.copy()
    params.pop("before", None)
    context = {
        "form": form,
        "events": rows,
        "next_before": next_before,
        "query": params.urlencode(),
        "known_kinds": KNOWN_KINDS,
        "paged": bool(request.GET.get("before")),
    }
    return render(request, "security/audit.html", context, status=status)

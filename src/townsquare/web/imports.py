"""Console pages for file imports (admins and supervisors): upload a file, follow its import while
the task worker runs it, download its reject report."""

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from townsquare.inbox.imports import (
    ImportRefused,
    UploadTooLarge,
    file_name,
    is_finished,
    rejects_file,
    require_import_role,
    start_import,
    visible_imports,
)
from townsquare.inbox.models import Channel
from townsquare.inbox.visibility import visible_channels
from townsquare.web.access import console_view

RECENT = 50
FORMAT_CHOICES = [
    ("twcs", "TWCS CSV (Customer Support on Twitter)"),
    ("jsonl", "JSONL (one message object per line)"),
]


class ChannelChoice(forms.ModelChoiceField):
    def label_from_instance(self, channel: Channel) -> str:
        return channel.name if channel.is_active else f"{channel.name} (inactive)"


class ImportForm(forms.Form):
    channel = ChannelChoice(queryset=Channel.objects.none(), empty_label=None)
    format = forms.ChoiceField(choices=FORMAT_CHOICES)
    file = forms.FileField()

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels


def _with_names(runs):
    runs = list(runs)
    for run in runs:
        run.file_name = file_name(run)
    return runs


def _page(request, form: ImportForm, status: int = 200):
    context = {"form": form, "imports": _with_names(visible_imports(request.user)[:RECENT])}
    return render(request, "web/imports.html", context, status=status)


@require_http_methods(["GET", "POST"])
@console_view
def imports(request):
    require_import_role(request.user)
    channels = visible_channels(request.user)
    if request.method == "GET":
        return _page(request, ImportForm(channels=channels))
    form = ImportForm(request.POST, request.FILES, channels=channels)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        run = start_import(request.user, data["channel"], data["file"], data["format"])
    except ImportRefused as exc:
        form.add_error(exc.field if exc.field in form.fields else "channel", str(exc))
        return _page(request, form, status=413 if isinstance(exc, UploadTooLarge) else 400)
    return redirect("web:import", import_id=run.pk)


@require_GET
@console_view
@vary_on_headers("HX-Request")  # the same URL answers the page or the status partial
def import_detail(request, import_id: int):
    run = get_object_or_404(visible_imports(request.user), pk=import_id)
    run.file_name = file_name(run)
    context = {"run": run, "finished": is_finished(run), "has_rejects": rejects_file(run) is not None}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "web/_import_status.html" if partial else "web/import_detail.html"
    return render(request, template, context)


@require_GET
@console_view
def import_rejects(request, import_id: int):
    run = get_object_or_404(visible_imports(request.user), pk=import_id)
    report = rejects_file(run)
    if report is None:
        raise Http404("this import has no reject report")
    return FileResponse(
        report.open("rb"),
        as_attachment=True,
        filename=f"import-{run.pk}-rejects.csv",
        content_type="text/csv",
    )

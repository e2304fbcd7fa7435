"""Console pages for outgoing webhooks (admins only): endpoints, their secret once, the delivery log.

Every action goes through townsquare.hooks.services, which checks that the user is an admin.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from ninja.errors import HttpError

from townsquare.api.cursor import Ordering, paginate
from townsquare.hooks import services
from townsquare.hooks.models import ALL_KINDS, MAX_URL_LENGTH, WebhookKind
from townsquare.hooks.validation import MAX_DESCRIPTION, HookInputError
from townsquare.web.access import console_view

KIND_CHOICES = [(ALL_KINDS, "Every event (also kinds added later)"), *WebhookKind.choices]
NEWEST_FIRST = Ordering("console-deliveries", "created_at", descending=True)
LOG_PAGE = 25


class EndpointForm(forms.Form):
    url = forms.CharField(label="URL", max_length=MAX_URL_LENGTH, help_text="http:// or https://")
    description = forms.CharField(max_length=MAX_DESCRIPTION, required=False)
    kinds = forms.MultipleChoiceField(
        label="Events", choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple, initial=[ALL_KINDS]
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)


def _save(form: EndpointForm, action):
    """Run `action(cleaned data)`; a refusal from the service becomes the form's field error."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except HookInputError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@console_view
def webhooks(request):
    endpoints = services.endpoints(request.user)  # Forbidden (403) for everyone but admins
    form = EndpointForm(request.POST or None)
    created = secret = None
    if request.method == "POST":
        made = _save(
            form,
            lambda data: services.create_endpoint(
                request.user,
                data["url"],
                data["kinds"],
                description=data["description"],
                is_active=data["is_active"],
            ),
        )
        if made is None:
            return render(request, "web/hooks.html", {"endpoints": endpoints, "form": form}, status=400)
        (created, secret), form = made, EndpointForm()
    context = {"endpoints": endpoints, "form": form, "created": created, "secret": secret}
    response = render(request, "web/hooks.html", context)
    return _no_store(response) if secret else response


@require_http_methods(["GET", "POST"])
@console_view
def webhook(request, endpoint_id: int):
    endpoint = services.endpoint_for(request.user, endpoint_id)
    form = _edit_form(endpoint, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _save(form, lambda data: services.update_endpoint(request.user, endpoint, **data)) is None:
            return _detail(request, endpoint, form, status=400)
        messages.success(request, "Webhook saved.")
        return redirect("web:webhook", endpoint_id=endpoint.pk)
    return _detail(request, endpoint, form)


def _edit_form(endpoint, data=None) -> EndpointForm:
    initial = {name: getattr(endpoint, name) for name in ("url", "description", "kinds", "is_active")}
    return EndpointForm(data, initial=initial)


def _detail(request, endpoint, form, *, secret: str = "", status: int = 200):
    try:
        page = paginate(
            services.deliveries_for(request.user, endpoint),
            NEWEST_FIRST,
            request.GET.get("cursor") or None,
            LOG_PAGE,
        )
    except HttpError as exc:
        return HttpResponseBadRequest(str(exc))
    context = {"endpoint": endpoint, "form": form, "page": page, "secret": secret}
    response = render(request, "web/hooks_detail.html", context, status=status)
    return _no_store(response) if secret else response


@require_POST
@console_view
def rotate(request, endpoint_id: int):
    endpoint = services.endpoint_for(request.user, endpoint_id)
    secret = services.rotate_secret(request.user, endpoint)
    # Rendered, not redirected: the new secret is shown in this answer only.
    return _detail(request, endpoint, _edit_form(endpoint), secret=secret)


@require_POST
@console_view
def send_test(request, endpoint_id: int):
    endpoint = services.endpoint_for(request.user, endpoint_id)
    delivery = services.send_test(request.user, endpoint)
    if delivery.status == "succeeded":
        messages.success(request, f"Test ping delivered: HTTP {delivery.last_status_code}.")
    else:
        messages.error(request, f"Test ping failed: {delivery.last_error}.")
    return redirect("web:webhook", endpoint_id=endpoint.pk)


@require_POST
@console_view
def delete(request, endpoint_id: int):
    endpoint = services.endpoint_for(request.user, endpoint_id)
    services.delete_endpoint(request.user, endpoint)
    messages.success(request, f"Webhook {endpoint.url} deleted.")
    return redirect("web:webhooks")


@require_POST
@console_view
def redeliver(request, delivery_id: int):
    delivery = services.delivery_for(request.user, delivery_id)
    try:
        services.redeliver(request.user, delivery)
    except HookInputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Queued to send again.")
    return redirect("web:webhook", endpoint_id=delivery.endpoint_id)

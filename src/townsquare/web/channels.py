"""Console page for channels: everyone with console access sees the list and its counters, staff
also each channel's health and last error; admins add channels and rotate secrets, and see a
secret once, right after either. Each channel's own page is in `channel_detail`."""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.connectors.overview import channel_overviews
from townsquare.inbox.channels import ChannelError, create_channel, require_admin, rotate_secret
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.inbox.visibility import visible_channels
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role
from townsquare.web.access import console_view

# Kinds that need settings before they work: adding one leads straight to its configure page.
CONFIGURE_FIRST = {ChannelKind.EMAIL, ChannelKind.FEDIVERSE}


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=Channel._meta.get_field("name").max_length)
    kind = forms.ChoiceField(choices=ChannelKind.choices, initial=ChannelKind.WEBHOOK)


def _page(request, form: ChannelForm | None = None, shown=None, secret: str = "", status: int = 200):
    is_admin = request.user.role == Role.ADMIN
    context = {
        "overviews": channel_overviews(visible_channels(request.user)),
        "is_admin": is_admin,
        # Ambassadors see community channels' names and counters only, no health or errors.
        "is_staff": request.user.role in STAFF_CONSOLE_ROLES,
        "form": (form or ChannelForm()) if is_admin else None,
        "shown": shown,
        "secret": secret,
        "webhook_url": request.build_absolute_uri(
            reverse("api-v1:receive_messages", kwargs={"channel_id": shown.pk})
        )
        if shown
        else "",
    }
    response = render(request, "web/channels.html", context, status=status)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@console_view
def channels(request):
    visible_channels(request.user)  # customers get the console's 403 before anything else
    if request.method == "GET":
        return _page(request)
    require_admin(request.user)
    form = ChannelForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        channel, secret = create_channel(
            request.user, form.cleaned_data["name"], form.cleaned_data["kind"], {}
        )
    except ChannelError as exc:
        form.add_error("name", str(exc))
        return _page(request, form, status=400)
    if channel.kind in CONFIGURE_FIRST:
        # Its signing secret is of no use to these kinds; their settings are what comes next.
        return redirect(reverse("web:channel", args=[channel.pk]) + "?added=1")
    return _page(request, shown=channel, secret=secret)


@require_POST
@console_view
def rotate(request, channel_id: int):
    require_admin(request.user)
    channel = get_object_or_404(visible_channels(request.user), pk=channel_id)
    return _page(request, shown=channel, secret=rotate_secret(request.user, channel))

"""/channels/<id>/: a channel's health and last error for staff; admins also configure it.

Supervisors and agents see health but no setting values and no forms; admins edit the settings
from the connector's schema, replace or clear secrets (never shown back), switch the channel
on or off, and download input that was rejected. Admins and supervisors test the connection.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.config import (
    channel_overview,
    configure_channel,
    secret_names_set,
    secrets_readable,
    set_channel_active,
    test_connection,
)
from townsquare.connectors.models import RejectedInbound
from townsquare.connectors.registry import connector_class
from townsquare.connectors.rejected import raw_download
from townsquare.inbox.channels import require_admin
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.inbox.visibility import Forbidden, visible_channels
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role
from townsquare.web.access import console_view
from townsquare.web.channel_forms import ChannelSettingsForm

SNIPPET_TEMPLATE = "livechat/snippet.html"
REJECTED_SHOWN = 50
ADDED = "Channel added. Fill in its settings, save, then test the connection."


def staff_channel(user, channel_id: int) -> Channel:
    """The channel, for admins, supervisors and agents; 403 for other roles, 404 if unknown."""
    channels = visible_channels(user)  # 403 for roles without console access
    if user.role not in STAFF_CONSOLE_ROLES:
        raise Forbidden("channel settings and health are for care staff")
    return get_object_or_404(channels, pk=channel_id)


def _schema(channel: Channel):
    try:
        return connector_class(channel.kind).settings_schema
    except LookupError:
        return ()


def _settings_form(channel: Channel, data=None) -> ChannelSettingsForm:
    return ChannelSettingsForm(
        _schema(channel), dict(channel.settings or {}), secret_names_set(channel), data
    )


def _snippet_template() -> str:
    try:
        get_template(SNIPPET_TEMPLATE)
    except TemplateDoesNotExist:
        return ""
    return SNIPPET_TEMPLATE


def _page(request, channel: Channel, *, form=None, test_result=None, notice="", status=200):
    is_admin = request.user.role == Role.ADMIN
    rejected = RejectedInbound.objects.filter(channel=channel).defer("raw")[:REJECTED_SHOWN]
    context = {
        "channel": channel,
        "overview": channel_overview(channel),
        "is_admin": is_admin,
        "can_test": request.user.role in {Role.ADMIN, Role.SUPERVISOR},
        "form": (form or _settings_form(channel)) if is_admin else None,
        "secrets_readable": secrets_readable(channel) if is_admin else True,
        "test_result": test_result,
        "notice": notice,
        "rejected": rejected,
        "email_address": (channel.settings or {}).get("address", "")
        if channel.kind == ChannelKind.EMAIL
        else "",
        "snippet_template": _snippet_template() if channel.kind == ChannelKind.LIVECHAT else "",
    }
    response = render(request, "web/channel_detail.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@console_view
def channel_detail(request, channel_id: int):
    channel = staff_channel(request.user, channel_id)
    if request.method == "GET":
        added = request.GET.get("added") == "1" and request.user.role == Role.ADMIN
        return _page(request, channel, notice=ADDED if added else "")
    require_admin(request.user)
    form = _settings_form(channel, request.POST)
    if not form.is_valid():
        return _page(request, channel, form=form, status=400)
    settings, secrets = form.changes()
    if form.errors:
        return _page(request, channel, form=form, status=400)
    try:
        channel = configure_channel(request.user, channel, settings=settings, secrets=secrets)
    except ConfigInvalid as refusal:
        form.show_refusal(refusal)
        return _page(request, channel, form=form, status=400)
    return _page(request, channel, notice="Settings saved.")


@require_POST
@console_view
def test_channel(request, channel_id: int):
    channel = staff_channel(request.user, channel_id)
    return _page(request, channel, test_result=test_connection(request.user, channel))


@require_POST
@console_view
def switch_channel(request, channel_id: int):
    channel = staff_channel(request.user, channel_id)
    require_admin(request.user)
    wanted = request.POST.get("active")
    if wanted not in {"on", "off"}:
        return HttpResponse("Say active=on or active=off.", status=400, content_type="text/plain")
    set_channel_active(request.user, channel, wanted == "on")
    channel.refresh_from_db()
    return _page(
        request, channel, notice="Channel switched on." if channel.is_active else "Channel switched off."
    )


@require_GET
@console_view
def rejected_raw(request, channel_id: int, rejected_id: int):
    channel = staff_channel(request.user, channel_id)
    require_admin(request.user)
    return raw_download(get_object_or_404(RejectedInbound, channel=channel, pk=rejected_id))

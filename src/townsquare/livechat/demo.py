"""A plain host page that embeds the chat widget: to try a live chat channel as a visitor would.

It is public like the widget itself, shows nothing about the channel but its number, and only
exists for active live chat channels.
"""

from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from townsquare.inbox.models import Channel, ChannelKind


@require_GET
def demo_page(request, channel_id: int):
    channel = get_object_or_404(Channel, pk=channel_id, kind=ChannelKind.LIVECHAT, is_active=True)
    context = {
        "channel_id": channel.pk,
        "widget_url": request.build_absolute_uri(static("livechat/widget.js")),
    }
    return render(request, "livechat/demo.html", context)

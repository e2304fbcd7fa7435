"""The channel page shows an admin the snippet that puts a live chat channel's widget on a site."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from townsquare.inbox.models import Channel, ChannelKind


@pytest.fixture
def site_chat(db):
    return Channel.objects.create(name="site chat", kind=ChannelKind.LIVECHAT)


def test_the_snippet_names_this_server_and_the_channel(site_chat, settings):
    settings.ALLOWED_HOSTS = ["care.example.com"]
    request = RequestFactory().get("/channels/", HTTP_HOST="care.example.com", secure=True)
    html = render_to_string("livechat/snippet.html", {"channel": site_chat, "request": request})
    snippet = (
        '&lt;script src="https://care.example.com/static/livechat/widget.js" '
        f'data-townsquare-channel="{site_chat.pk}" async&gt;&lt;/script&gt;'
    )
    assert snippet in html
    assert f'href="/livechat/{site_chat.pk}/demo/"' in html
    assert 'data-testid="copy-snippet"' in html

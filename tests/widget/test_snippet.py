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


def test_grace_finds_the_snippet_on_the_chat_channels_page(client, grace, site_chat):
    client.force_login(grace)
    response = client.get(f"/channels/{site_chat.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="livechat-snippet"' in body
    assert f'data-townsquare-channel="{site_chat.pk}"' in body


def test_no_snippet_on_other_channels_pages(client, grace, twitter):
    client.force_login(grace)
    response = client.get(f"/channels/{twitter.pk}/")
    assert response.status_code == 200
    assert 'data-testid="livechat-snippet"' not in response.content.decode()

"""Anyone can try a live chat channel on its demo page, a plain host page embedding the widget."""

import pytest

from townsquare.inbox.models import Channel, ChannelKind


@pytest.fixture
def site_chat(db):
    return Channel.objects.create(name="site chat", kind=ChannelKind.LIVECHAT)


def test_the_demo_page_embeds_the_widget_with_the_snippet(client, site_chat):
    response = client.get(f"/livechat/{site_chat.pk}/demo/")
    assert response.status_code == 200
    body = response.content.decode()
    tag = f'<script src="http://testserver/static/livechat/widget.js" data-townsquare-channel="{site_chat.pk}" async>'
    assert tag in body
    assert "site chat" not in body  # the page names no internal channel name


def test_no_demo_page_for_other_kinds_unknown_or_switched_off_channels(client, site_chat, twitter):
    assert client.get(f"/livechat/{twitter.pk}/demo/").status_code == 404
    assert client.get("/livechat/999999/demo/").status_code == 404
    Channel.objects.filter(pk=site_chat.pk).update(is_active=False)
    assert client.get(f"/livechat/{site_chat.pk}/demo/").status_code == 404


def test_the_demo_page_only_answers_get(client, site_chat):
    assert client.post(f"/livechat/{site_chat.pk}/demo/").status_code == 405


def test_the_widget_script_is_served_small(client, site_chat):
    from django.contrib.staticfiles import finders

    path = finders.find("livechat/widget.js")
    assert path is not None
    script = open(path, encoding="utf-8").read()
    assert len(script.encode()) < 18 * 1024
    # Everything a visitor or an agent writes is put in as text, never parsed as HTML.
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script

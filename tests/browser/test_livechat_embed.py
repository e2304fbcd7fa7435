"""The widget on the brand's own site, another origin than Townsquare's: pages of an allowed origin
chat; pages of any other origin are told the chat is not for them."""

import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.asgi_servers import free_port
from tests.browser.livechat_pages import LIVE, chromium, site_fixture  # noqa: F401

pytestmark = pytest.mark.browser

SHOP_PORT = free_port()
SHOP = f"http://localhost:{SHOP_PORT}"


@pytest.fixture(scope="module")
def web(request, tmp_path_factory):
    channels = {
        "shop chat": {"allowed_origins": [SHOP], "agents_online_mode": "always"},
        "other brand": {"allowed_origins": ["https://other-brand.example"], "agents_online_mode": "always"},
    }
    for site in site_fixture(request, tmp_path_factory, channels=channels):
        web = site.web()
        web.channels, web.secrets = site.channels, site.secrets
        yield web


@pytest.fixture(scope="module")
def shop(web):
    """The brand's site: a page per channel that embeds the widget with the snippet."""

    class ShopPage(BaseHTTPRequestHandler):
        def do_GET(self):
            path, _, signed_in = self.path.partition("?")
            channel = path.strip("/")
            body = (
                "<!doctype html><title>Shop</title><h1>Our shop</h1>"
                + (signed_in_visitor(web.secrets["shop chat"]) if signed_in else "")
                + f'<script src="{web.url}/static/livechat/widget.js" data-townsquare-channel="{channel}" async></script>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", SHOP_PORT), ShopPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SHOP
    server.shutdown()
    server.server_close()


def test_a_visitor_chats_from_the_brands_own_site(chromium, web, shop):  # noqa: F811
    page = chromium.new_page()
    page.goto(f"{shop}/{web.channels['shop chat']}/")
    page.get_by_role("button", name="Chat with us").click()
    box = page.get_by_role("textbox", name="Message", exact=True)
    box.fill("Hello from the shop")
    box.press("Enter")
    sent = page.get_by_role("log", name="Messages").locator("li").filter(has_text="Hello from the shop")
    expect(sent).to_have_count(1)
    expect(sent).not_to_have_class("in pending", timeout=LIVE)
    page.close()


def signed_in_visitor(secret: str) -> str:
    """What the shop's server writes into its page for Dana, signed in: who she is, signed."""
    identity = {"id": "u-77", "email": "dana@example.org", "name": "Dana", "ts": int(time.time())}
    payload = json.dumps(identity, sort_keys=True, separators=(",", ":")).encode()
    signature = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
    config = json.dumps({"identity": identity, "identity_signature": signature})
    return f"<script>window.TownsquareChat = {config};</script>"


def test_a_visitor_the_shop_knows_chats_as_herself(chromium, web, shop):  # noqa: F811
    page = chromium.new_page()
    page.goto(f"{shop}/{web.channels['shop chat']}/?signed-in")
    page.get_by_role("button", name="Chat with us").click()
    box = page.get_by_role("textbox", name="Message", exact=True)
    box.fill("It's Dana, about my account")
    box.press("Enter")
    sent = page.get_by_role("log", name="Messages").locator("li").filter(has_text="about my account")
    expect(sent).not_to_have_class("in pending", timeout=LIVE)
    expect(page.get_by_role("dialog", name="Chat").locator(".status")).to_be_empty()
    page.close()


def test_a_site_the_channel_does_not_allow_cannot_chat(chromium, web, shop):  # noqa: F811
    page = chromium.new_page()
    page.goto(f"{shop}/{web.channels['other brand']}/")
    page.get_by_role("button", name="Chat with us").click()
    status = page.get_by_role("dialog", name="Chat").get_by_role("status").first
    # The refusal is readable by the refused page: the widget says why and stops trying.
    expect(status).to_have_class(re.compile(r"\berror\b"), timeout=LIVE)
    expect(status).to_have_text("This site may not use the channel's chat.")
    expect(page.get_by_role("log", name="Messages").locator("li")).to_have_count(0)
    page.close()

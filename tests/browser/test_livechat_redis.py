"""The same chat across two web processes: Dana on one, Alice on the other, events through Redis.

Both processes and the task worker share one database (SQLite in WAL mode, as several processes
on one machine may) and the Redis channel layer under a key prefix of this test run's own.
"""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.asgi_servers import redis_layer
from tests.browser.livechat_pages import LIVE, Agent, Visitor, chromium, site_fixture  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    layer = redis_layer(f"ts-widget-{uuid.uuid4().hex[:12]}")
    yield from site_fixture(request, tmp_path_factory, TOWNSQUARE_LIVE_POLL_SECONDS="60", **layer)


def test_dana_on_one_process_and_alice_on_another_chat_live(chromium, site):  # noqa: F811
    shop_side, console_side = site.web(), site.web()
    site.worker()
    assert shop_side.port != console_side.port

    alice = Agent(chromium, console_side.url, "alice")
    alice.socket_open()
    alice.page.evaluate("window.stillSamePage = true")
    dana = Visitor(chromium, shop_side.url, site.channels["site chat"])
    dana.open_chat()
    dana.say("Do you ship to Norway?")

    row = alice.page.get_by_test_id("conversation-row").filter(has_text="Do you ship to Norway?")
    expect(row).to_have_count(1, timeout=LIVE)
    assert alice.page.evaluate("window.stillSamePage") is True
    row.get_by_role("link").click()
    alice.socket_open()
    expect(dana.page.get_by_test_id("seen")).to_have_text("Seen", timeout=LIVE)

    dana.page.get_by_role("textbox", name="Message", exact=True).press_sequentially("And to")
    expect(alice.page.get_by_test_id("customer-typing")).to_be_visible(timeout=LIVE)
    dana.say("And to Iceland?")
    expect(alice.thread().get_by_text("And to Iceland?")).to_have_count(1, timeout=LIVE)

    alice.answer("We ship to both, in 3 to 5 days.")
    expect(dana.message("We ship to both")).to_have_count(1, timeout=LIVE)
    for text in ("Do you ship to Norway?", "And to Iceland?"):
        expect(dana.message(text)).to_have_count(1)
        expect(alice.thread().get_by_text(text)).to_have_count(1)

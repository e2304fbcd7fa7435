"""Alice answers a visitor who left an email after hours and closed the page; the channel has no
email channel for offline answers, so the reply cannot be delivered: Alice's open conversation
says so at once, without a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.livechat_pages import LIVE, Agent, Visitor, chromium, site_fixture  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    yield from site_fixture(
        request,
        tmp_path_factory,
        channels={"after hours": {"agents_online_mode": "never"}},
        TOWNSQUARE_LIVE_POLL_SECONDS="60",
        # A visitor whose page is closed counts as gone after a second (the default is a minute).
        TOWNSQUARE_LIVECHAT_PRESENCE_SECONDS="1",
    )


def test_a_reply_that_cannot_be_delivered_shows_as_failed_live(chromium, site):  # noqa: F811
    web = site.web()
    site.worker()
    dana = Visitor(chromium, web.url, site.channels["after hours"])
    dana.page.get_by_role("button", name="Chat with us").click()
    form = dana.page.get_by_role("form", name="Leave a message")
    form.get_by_label("Your email").fill("dana@example.com")
    form.get_by_label("Your message").fill("My invoice shows the wrong address.")
    form.get_by_role("button", name="Send").click()
    expect(dana.page.get_by_role("dialog", name="Chat")).to_contain_text("Thank you", timeout=LIVE)
    dana.context.close()

    alice = Agent(chromium, web.url, "alice")
    alice.page.get_by_test_id("conversation-row").filter(has_text="wrong address").get_by_role("link").click()
    alice.socket_open()
    alice.page.evaluate("window.stillSamePage = true")
    alice.answer("Fixed: the new invoice is on its way.")
    failed = alice.page.get_by_test_id("live-reply-failed")
    expect(failed).to_contain_text("A reply could not be delivered", timeout=LIVE)
    expect(failed).to_contain_text("offline_email_channel")
    assert alice.page.evaluate("window.stillSamePage") is True

"""The two sides of a live chat journey: a visitor on a page embedding the widget, an agent's console."""

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.asgi_servers import Site
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.console_login import sign_in

LIVE = 10_000  # ms: what "live" may take at most on a busy two-core machine


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def site_fixture(request, tmp_path_factory, **options):
    """Start a Site for a module; print its processes' logs when one of its tests failed."""
    failed_before = request.session.testsfailed
    site = Site(tmp_path_factory.mktemp("site"), **options)
    try:
        yield site
    finally:
        site.stop()
        if request.session.testsfailed > failed_before:
            # Past pytest's capture: at module teardown it would file them under a passing test.
            with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
                print(site.logs())


class Visitor:
    """A visitor in a browser context of their own, on the demo page of a live chat channel."""

    def __init__(self, browser, base_url: str, channel_id: int):
        self.context = browser.new_context(viewport={"width": 1100, "height": 800})
        self.page = self.context.new_page()
        self.page.goto(f"{base_url}/livechat/{channel_id}/demo/")
        self.widget = self.page.locator("[data-townsquare-chat]")

    def open_chat(self) -> None:
        self.page.get_by_role("button", name="Chat with us").click()
        expect(self.page.get_by_role("dialog", name="Chat")).to_be_visible()

    def say(self, text: str) -> None:
        box = self.page.get_by_role("textbox", name="Message", exact=True)
        box.fill(text)
        box.press("Enter")

    def messages(self):
        return self.page.get_by_role("log", name="Messages").locator("li")

    def message(self, text: str):
        return self.messages().filter(has_text=text)

    def status(self):
        return self.page.get_by_role("dialog", name="Chat").get_by_role("status").first


class Agent:
    """A staff member signed in to the console in a browser context of their own."""

    def __init__(self, browser, base_url: str, username: str):
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        sign_in(self.page, base_url, username, "/")

    def socket_open(self) -> None:
        expect(self.page.locator("html")).to_have_attribute("data-live-socket", "open", timeout=LIVE)

    def thread(self):
        return self.page.get_by_test_id("thread")

    def answer(self, text: str) -> None:
        self.page.get_by_test_id("reply-text").fill(text)
        self.page.get_by_test_id("send-reply").click()

"""Alice and Carol, in two browsers, see each other's changes without reloading."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.browser.console_login import sign_in
from tests.browser.serial_live_server import serialize_live_server
from tests.web.care_builders import care_conversation, profile, queue

pytestmark = pytest.mark.browser
serialize_live_server()


@pytest.fixture
def two_browsers():
    """Two separate browser contexts (two people, two sessions) in one chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield [browser.new_context(viewport={"width": 1280, "height": 900}).new_page() for _ in range(2)]
        finally:
            browser.close()


@pytest.fixture
def waiting(alice, carol, twitter, settings):
    settings.LIVE_POLL_SECONDS = 0.5
    devices = queue("Devices")
    profile(alice, queues=[devices])
    return care_conversation(twitter, "My headphones stopped charging", in_queue=devices)


def test_an_assignment_and_a_resolution_show_up_in_the_other_browser(
    alice, carol, waiting, live_server, two_browsers
):
    alices, carols = two_browsers
    sign_in(alices, live_server.url, "alice", "/?view=mine")
    expect(alices.get_by_test_id("empty")).to_be_visible()
    alices.evaluate("window.stillSamePage = true")

    sign_in(carols, live_server.url, "carol", f"/conversations/{waiting.pk}/")
    carols.get_by_test_id("assign-to").select_option(str(alice.pk))
    carols.get_by_test_id("assign").click()
    expect(carols.get_by_test_id("conversation-assignee")).to_contain_text("Alice")

    # Alice's "Mine" list picks it up from the event log, without a reload.
    row = alices.get_by_test_id("conversation-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("My headphones stopped charging")
    expect(alices.get_by_test_id("view-count").first).to_have_text("1")
    assert alices.evaluate("window.stillSamePage") is True
    screenshot(alices, "console-live-assigned.png")

    carols.evaluate("window.stillSamePage = true")
    row.get_by_role("link").click()
    alices.get_by_test_id("status-resolved").click()
    expect(alices.get_by_test_id("reply-done")).to_contain_text("resolved")

    # Carol's open conversation page follows: status in the head, without a reload.
    expect(carols.get_by_test_id("conversation-status")).to_have_text("Resolved")
    assert carols.evaluate("window.stillSamePage") is True
    screenshot(carols, "console-live-resolved.png")

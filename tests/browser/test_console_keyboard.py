"""Alice works the inbox from the keyboard: j/k to move, Enter to open, e to resolve, ? for help."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.console_login import sign_in
from tests.browser.serial_live_server import serialize_live_server
from tests.web.care_builders import care_conversation
from townsquare.inbox.models import Conversation

pytestmark = pytest.mark.browser
serialize_live_server()


@pytest.fixture
def mine(alice, twitter, settings):
    settings.LIVE_POLL_SECONDS = 0.5
    # Created oldest first, so the list (newest activity first) shows them in reverse.
    return [
        care_conversation(twitter, text, assignee=alice, minutes_ago=minutes)
        for text, minutes in (("Charger is hot", 30), ("Screen flickers", 20), ("Battery drains", 10))
    ]


def selected(page):
    return page.locator("tr.selected")


def test_alice_moves_opens_and_resolves_from_the_keyboard(alice, mine, live_server, page):
    sign_in(page, live_server.url, "alice", "/?view=mine")
    rows = page.get_by_test_id("conversation-row")
    expect(rows).to_have_count(3)

    page.keyboard.press("j")
    expect(selected(page)).to_contain_text("Battery drains")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(selected(page)).to_contain_text("Charger is hot")
    page.keyboard.press("k")
    expect(selected(page)).to_contain_text("Screen flickers")

    # Typing in the search box is typing, not a shortcut.
    page.keyboard.press("/")
    expect(page.get_by_label("Search")).to_be_focused()
    page.keyboard.type("jk")
    expect(page.get_by_label("Search")).to_have_value("jk")
    expect(selected(page)).to_contain_text("Screen flickers")
    page.keyboard.press("Escape")
    page.get_by_label("Search").blur()

    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcuts-help")).to_be_visible()
    expect(page.get_by_test_id("shortcuts-help")).to_contain_text("Resolve the conversation")
    screenshot(page, "console-shortcuts-help.png")
    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcuts-help")).to_be_hidden()

    page.keyboard.press("Enter")
    expect(page.get_by_test_id("conversation-status")).to_have_text("Open")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{mine[1].pk}")
    page.wait_for_load_state("load")  # the shortcuts script is deferred

    page.keyboard.press("r")
    expect(page.get_by_test_id("reply-text")).to_be_focused()
    page.keyboard.type("e")  # in the reply box: a letter, not "resolve"
    expect(page.get_by_test_id("reply-text")).to_have_value("e")
    page.get_by_test_id("reply-text").fill("")
    page.get_by_test_id("reply-text").blur()

    page.keyboard.press("e")
    # The status buttons answer in the reply box; the page head follows through the live poll.
    expect(page.get_by_test_id("conversation-status")).to_have_text("Resolved")
    assert Conversation.objects.get(pk=mine[1].pk).status == "resolved"

    page.keyboard.press("g")
    page.keyboard.press("i")
    expect(page).to_have_url(f"{live_server.url}/")

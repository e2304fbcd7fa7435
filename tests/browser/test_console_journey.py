"""Alice, in a real browser: logs in, narrows the list by channel and text, opens a conversation."""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import T0, conversation
from townsquare.people.models import Customer

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# refuse the test's own ORM calls while it runs.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def inbox(twitter, hook, dana_customer):
    conversation(
        twitter,
        [
            ("in", "My blender arrived broken"),
            ("out", "Sorry to hear that! Which order?"),
            ("in", "Order 1234"),
        ],
        customer=dana_customer,
        handle="dana_o",
        status="open",
    )
    conversation(twitter, [("in", "Battery drains in an hour")], handle="sam", start=T0 + timedelta(hours=1))
    conversation(hook, [("in", "Where is my refund?")], handle="lee", start=T0 + timedelta(hours=2))


@pytest.fixture
def dana_customer(db):
    return Customer.objects.create(display_name="Dana Ortiz")


@pytest.fixture
def page():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def test_alice_filters_the_list_and_reads_a_thread(alice, inbox, live_server, page):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()
    expect(page.get_by_test_id("role")).to_have_text("Agent")
    rows = page.get_by_test_id("conversation-row")
    expect(rows).to_have_count(3)
    # A marker on window survives only if filtering swaps the results in place (htmx), not a reload.
    page.evaluate("window.stillSamePage = true")

    page.get_by_label("Channel").select_option("twitter")
    expect(page).to_have_url(f"{live_server.url}/?channel=twitter&status=&q=")
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Where is my refund?")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-list.png"), full_page=True)

    page.get_by_label("Search").fill("blender")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(f"{live_server.url}/?channel=twitter&status=&q=blender")
    assert page.evaluate("window.stillSamePage") is True

    page.get_by_role("link", name="My blender arrived broken").click()
    thread = page.get_by_test_id("message")
    expect(thread).to_have_count(3)
    expect(thread.nth(0)).to_contain_text("Customer")
    expect(thread.nth(0)).to_contain_text("@dana_o")
    expect(thread.nth(1)).to_contain_text("Brand")
    expect(thread.nth(1)).to_contain_text("Which order?")
    expect(thread.nth(2)).to_contain_text("Order 1234")
    expect(page.get_by_test_id("customer-name")).to_have_text("Dana Ortiz")
    expect(page.get_by_test_id("conversation-channel")).to_have_text("twitter")

    page.screenshot(path=str(ARTIFACTS / "console-conversation.png"), full_page=True)

    page.go_back()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Search")).to_have_value("blender")

"""Alice, in a real browser: logs in, narrows the list by channel and text, opens a conversation."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.web.conftest import T0, conversation
from townsquare.people.models import Customer

pytestmark = pytest.mark.browser


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
    # htmx binds the filter form's change trigger once its deferred script ran: a change made
    # before that is a plain change nobody listens to.
    page.wait_for_load_state("load")
    # A marker on window survives only if filtering swaps the results in place (htmx), not a reload.
    page.evaluate("window.stillSamePage = true")

    page.get_by_label("Channel").select_option("twitter")
    expect(page).to_have_url(f"{live_server.url}/?channel=twitter&status=&q=")
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Where is my refund?")).to_have_count(0)
    screenshot(page, "console-list.png")

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

    screenshot(page, "console-conversation.png")

    page.go_back()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Search")).to_have_value("blender")

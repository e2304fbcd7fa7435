"""In a real browser: Alice fills a canned reply, adds a pitch and the guard blocks it; Carol overrides
with a reason; the reply is delivered, Carol resolves, Dana answers the CSAT survey, the score shows."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page, screenshot  # noqa: F401 (the page fixture)
from tests.conftest import PASSWORD
from townsquare.replies.canned import create_canned
from townsquare.replies.csat import survey_path
from townsquare.replies.models import CsatSurvey, Reply

from .helpers import deliver_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PITCH_TAIL = " Use code SAVE20 for 20% off your next order!"


def log_in(page, base: str, username: str) -> None:  # noqa: F811 (the browser page)
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page.locator("[data-testid=role]")).to_be_visible()


def test_canned_reply_guard_override_resolve_and_csat(live_server, page, alice, carol, dana_asks):  # noqa: F811
    create_canned(
        carol,
        title="Where is my order",
        shortcut="where-order",
        text="Hi {{customer.first_name}}, order {{order_number}} ships today. {{agent.name}}",
    )
    conversation_url = f"{live_server.url}/conversations/{dana_asks.pk}/"

    log_in(page, live_server.url, "alice")
    page.goto(conversation_url)
    page.select_option("[data-testid=canned-picker]", label="/where-order · Where is my order (en)")
    expect(page.locator("#reply-text")).to_have_value("Hi Dana, order 48213 ships today. Alice")
    page.locator("#reply-text").press("End")
    page.locator("#reply-text").type(PITCH_TAIL)
    page.click("[data-testid=send-reply]")
    blocked = page.locator("[data-testid=guard-blocked]")
    expect(blocked).to_contain_text("SAVE20")
    expect(page.locator("[data-testid=override-reason]")).to_have_count(0)
    screenshot(page, "replies-guard-blocked.png")

    page.click("text=Log out")
    log_in(page, live_server.url, "carol")
    page.goto(conversation_url)
    page.fill("#reply-text", "Hi Dana, order 48213 ships today." + PITCH_TAIL)
    page.fill("[data-testid=override-reason]", "Dana asked for a coupon on the phone")
    page.click("[data-testid=send-reply]")
    expect(page.locator("[data-testid=reply-done]")).to_contain_text("Reply scheduled")
    expect(page.locator("[data-testid=undo-reply]")).to_be_visible()

    deliver_now(Reply.objects.get(status="scheduled"))  # what the worker does when the window ends
    page.goto(conversation_url)
    expect(page.locator(".message-out")).to_contain_text("SAVE20")
    page.click("[data-testid=status-resolved]")
    expect(page.locator("[data-testid=csat-result]")).to_contain_text("no answer yet")

    page.goto(live_server.url + survey_path(CsatSurvey.objects.get()))
    page.check("input[name=score][value='5']")
    page.fill("textarea[name=comment]", "Quick and kind")
    page.click("text=Send")
    expect(page.locator("[data-testid=csat-message]")).to_contain_text("Thank you")
    page.goto(conversation_url)
    expect(page.locator("[data-testid=csat-result]")).to_contain_text("5/5")
    screenshot(page, "replies-resolved-with-csat.png")

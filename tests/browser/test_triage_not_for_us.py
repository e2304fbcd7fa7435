"""Alice, in a real browser: finds a message triage set aside, moves it back, and sees it in the inbox."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.console_login import sign_in
from tests.labels.console_factories import first_inbound, labelled
from tests.web.conftest import T0, conversation

pytestmark = pytest.mark.browser


@pytest.fixture
def inbox(twitter):
    question = conversation(twitter, [("in", "How do I descale the kettle?")], handle="dana")
    labelled(first_inbound(question), kind="question", priority="normal")
    complaint = conversation(
        twitter,
        [("in", "Third broken kettle, mail me at dana@example.com")],
        handle="sam",
        start=T0 + timedelta(hours=1),
    )
    labelled(
        first_inbound(complaint),
        kind="complaint",
        sentiment="negative",
        priority="high",
        pii=[{"kind": "email", "start": 31, "end": 47}],
    )
    spam = conversation(
        twitter, [("in", "Cheap followers at example.biz")], handle="bot", start=T0 + timedelta(hours=2)
    )
    labelled(first_inbound(spam), kind="spam", spam_score=0.98, invites_reply=False)
    chatter = conversation(
        twitter,
        [("in", "Our team kettle is named Kevin, my kettle is broken though")],
        handle="lee",
        start=T0 + timedelta(hours=3),
    )
    labelled(first_inbound(chatter), kind="chatter", invites_reply=False)
    return chatter


def test_alice_moves_a_message_back_from_not_for_us(alice, inbox, live_server, page):
    # sign_in waits for the page's deferred scripts: the Kind filter submits itself on change only
    # once they have run (a select before that left the list unfiltered on a busy CI machine).
    sign_in(page, live_server.url, "alice")
    rows = page.get_by_test_id("conversation-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Kevin")).to_have_count(0)
    page.get_by_label("Kind", exact=True).select_option("complaint")
    expect(rows).to_have_count(1)
    # Empty label filters stay out of the address, so the existing filters' URLs are unchanged.
    expect(page).to_have_url(f"{live_server.url}/?channel=&status=&kind=complaint&q=")
    screenshot(page, "triage-inbox-filtered.png")

    page.get_by_role("link", name="Not for us").click()
    expect(page.get_by_role("heading", name="Not for us")).to_be_visible()
    expect(rows).to_have_count(2)
    reasons = page.get_by_test_id("not-for-us-reason")
    expect(reasons).to_have_text(["Chatter that does not invite a reply", "Spam"])
    screenshot(page, "triage-not-for-us.png")

    page.get_by_role("link", name="Our team kettle is named Kevin").click()
    labels = page.get_by_test_id("message-labels")
    expect(labels).to_contain_text("Not for us: chatter that does not invite a reply")
    # htmx binds the correction form once the page's scripts have run; a click before that posts it
    # the plain way (a full page load), which is a different journey.
    page.wait_for_load_state("load")
    page.evaluate("window.stillSamePage = true")
    page.get_by_role("button", name="Move back to the inbox").click()
    expect(page.get_by_test_id("reviewed-by")).to_contain_text("Corrected by Alice")
    expect(page.get_by_role("button", name="Mark not for us")).to_be_visible()
    # The conversation header follows: htmx swaps the roll-up in out of band.
    expect(page.get_by_test_id("conversation-not-for-us")).to_have_count(0)
    assert page.evaluate("window.stillSamePage") is True  # htmx swapped the labels in place
    screenshot(page, "triage-moved-back.png")

    page.get_by_role("link", name="‹ Conversations").click()
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Our team kettle is named Kevin")
    page.get_by_role("link", name="Not for us").click()
    expect(rows).to_have_count(1)

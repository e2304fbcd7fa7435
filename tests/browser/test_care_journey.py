"""The care journey in two browsers: Alice takes a conversation from the keyboard, answers with a
suggested canned reply, the guard blocks her pitch, Carol overrides it with a reason, and the
conversation resolves — each seeing the other's changes live."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.console_login import sign_in
from tests.browser.serial_live_server import serialize_live_server
from tests.browser.test_console_live import two_browsers  # noqa: F401 (fixture)
from tests.web.care_builders import care_conversation, profile, queue
from townsquare.events.models import Event
from townsquare.people.models import Customer
from townsquare.replies.models import CannedReply

pytestmark = pytest.mark.browser
serialize_live_server()
PITCH = "Glad it is sorted — and use code SAVE20 for 20% off your next order!"


@pytest.fixture
def broken_blender(alice, carol, twitter, settings):
    settings.LIVE_POLL_SECONDS = 0.5
    devices = queue("Devices")
    profile(alice, queues=[devices])
    CannedReply.objects.create(
        title="Sorry it arrived broken",
        shortcut="broken",
        language="en",
        text="Hi {{customer.first_name}}, sorry it arrived broken. A replacement is on its way.",
    )
    dana = Customer.objects.create(display_name="Dana Ortiz")  # never opted in to offers
    return care_conversation(
        twitter, "My blender arrived broken", customer=dana, in_queue=devices, language="en", kind="problem"
    )


def test_take_reply_blocked_pitch_override_resolve(alice, carol, broken_blender, live_server, two_browsers):  # noqa: F811
    alices, carols = two_browsers
    conv = broken_blender
    sign_in(alices, live_server.url, "alice", "/?view=unassigned")
    rows = alices.get_by_test_id("conversation-row")
    expect(rows).to_have_count(1)
    sign_in(carols, live_server.url, "carol", f"/conversations/{conv.pk}/")
    carols.evaluate("window.stillSamePage = true")

    # Alice: j selects the row, Enter opens it, a takes it.
    alices.keyboard.press("j")
    alices.keyboard.press("Enter")
    expect(alices.get_by_role("heading", level=1)).to_contain_text(f"#{conv.pk}")
    # The shortcuts script is deferred: a key pressed before the load event would beat it.
    alices.wait_for_load_state("load")
    alices.keyboard.press("a")
    expect(alices.get_by_test_id("conversation-assignee")).to_contain_text("Alice")
    expect(carols.get_by_test_id("conversation-assignee")).to_contain_text("Alice")  # live at Carol's

    # A suggested canned reply fills the draft, rendered for Dana; Alice sends it.
    alices.get_by_test_id("use-suggestion").first.click()
    draft = alices.get_by_test_id("reply-text")
    expect(draft).to_have_value("Hi Dana, sorry it arrived broken. A replacement is on its way.")
    alices.get_by_test_id("send-reply").click()
    # The first check loads the guard's promotion model: allow for it.
    expect(alices.get_by_test_id("reply").first).to_contain_text(
        "A replacement is on its way", timeout=30_000
    )

    # The pitch does not leave: Dana never opted in to offers.
    alices.get_by_test_id("reply-text").fill(PITCH)
    alices.get_by_test_id("send-reply").click()
    blocked = alices.get_by_test_id("guard-blocked")
    expect(blocked).to_be_visible()
    expect(blocked).to_contain_text("Not sent")
    screenshot(alices, "journey-guard-blocked.png")

    # Carol overrides with a written reason, which is logged.
    carols.get_by_test_id("reply-text").fill(PITCH)
    carols.get_by_test_id("override-reason").fill("Dana asked for a discount code on the phone")
    carols.get_by_test_id("send-reply").click()
    # Her page was opened before Alice replied: collision detection asks her to read that first.
    expect(carols.get_by_test_id("reply-warnings")).to_contain_text("someone else replied")
    carols.get_by_test_id("acknowledge-warnings").check()
    carols.get_by_test_id("override-reason").fill("Dana asked for a discount code on the phone")
    carols.get_by_test_id("send-reply").click()
    expect(carols.get_by_text("Guard overridden by Carol")).to_be_visible()
    assert Event.objects.filter(kind="guard.overridden", conversation_id=conv.pk).exists()

    # Alice resolves with e; Carol's page follows.
    alices.get_by_test_id("reply-text").fill("")
    alices.get_by_test_id("reply-text").blur()
    alices.keyboard.press("e")
    expect(alices.get_by_test_id("conversation-status")).to_have_text("Resolved")
    expect(carols.get_by_test_id("conversation-status")).to_have_text("Resolved")
    screenshot(carols, "journey-resolved.png")

"""In the browser, by keyboard where a member would: Bob proposes a rule from the form, Eve opens the
vote, Dana votes and sees the tally and the quorum progress move."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page, screenshot  # noqa: F401  (the page fixture)
from tests.browser.serial_live_server import serialize_live_server
from tests.conftest import PASSWORD
from townsquare.community.models import Proposal

pytestmark = pytest.mark.browser
serialize_live_server()


def sign_in(browser_page, base: str, username: str, path: str) -> None:
    browser_page.goto(f"{base}/login/?next={path}")
    browser_page.get_by_label("Username").fill(username)
    browser_page.get_by_label("Password").fill(PASSWORD)
    browser_page.get_by_role("button", name="Log in").click()
    browser_page.wait_for_url(f"{base}{path}")


def test_bob_proposes_eve_opens_the_vote_dana_votes(members, founding_rules, eve, live_server, page):  # noqa: F811
    base = live_server.url
    sign_in(page, base, "bob", "/community/proposals/new/")
    page.get_by_label("What do you propose?").select_option("add")
    page.get_by_label("Rule title").fill("No referral links")
    page.get_by_label("Rule text (Markdown)").fill("Do not post referral or affiliate links.")
    page.get_by_label("Why?").fill("They look like help and are ads.")
    page.get_by_role("button", name="Open the proposal for discussion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a rule: No referral links")
    proposal = Proposal.objects.get()

    moderator = page.context.browser.new_page()
    sign_in(moderator, base, "eve", f"/community/proposals/{proposal.pk}/")
    moderator.get_by_role("button", name="Open the vote now").click()
    expect(moderator.get_by_text("Quorum: 0 of 3 votes")).to_be_visible()

    dana = page.context.browser.new_page()
    sign_in(dana, base, "dana", f"/community/proposals/{proposal.pk}/")
    dana.get_by_label("Yes").focus()
    dana.keyboard.press("Space")
    dana.keyboard.press("Tab")
    dana.keyboard.press("Enter")
    expect(dana.get_by_test_id("yes")).to_have_text("1")
    expect(dana.get_by_text("Quorum: 1 of 3 votes")).to_be_visible()
    expect(dana.get_by_role("group", name="Your vote: yes. Change it while the vote is open")).to_be_visible()
    screenshot(dana, "community-guideline-vote.png")

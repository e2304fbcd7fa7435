"""In a real browser: a visitor reads the community, signs up, asks, accepts an answer; a member
votes with htmx and the score changes in place; the keyboard reaches the main content first."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import page, screenshot  # noqa: F401  (the chromium page fixture)
from tests.conftest import PASSWORD
from townsquare.community.models import Topic
from townsquare.community.posting import answer

pytestmark = pytest.mark.browser


def test_a_visitor_signs_up_asks_and_accepts_an_answer(devices_space, members, live_server, page):  # noqa: F811
    cache.clear()
    page.goto(f"{live_server.url}/community/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.get_by_role("link", name="Devices").first.click()
    expect(page.get_by_role("heading", name="Devices")).to_be_visible()
    page.get_by_role("link", name="Ask a question").click()
    expect(page).to_have_url(f"{live_server.url}/login/?next=/community/s/devices/ask/")
    page.get_by_role("link", name="Sign up").last.click()
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_label("Display name").fill("Lena")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(f"{live_server.url}/community/s/devices/ask/")
    page.get_by_label("Title").fill("Case does not close all the way")
    page.get_by_label("Details").fill("The lid *springs* back open.")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", name="Case does not close all the way")).to_be_visible()
    topic = Topic.objects.get(title="Case does not close all the way")
    answer(members["bob"], topic, "Clean the magnets with a dry cloth.")
    page.reload()
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_test_id("accepted")).to_be_visible()
    screenshot(page, "community-topic.png")
    assert Topic.objects.get(pk=topic.pk).accepted_post_id is not None


def test_dana_upvotes_in_place(question, bobs_answer, members, live_server, page):  # noqa: F811
    cache.clear()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/community/")
    page.get_by_role("link", name="My headphones will not pair").click()
    answer_block = page.get_by_test_id("answer")
    answer_block.get_by_role("button", name="Upvote").click()
    expect(answer_block.get_by_label("Score 1")).to_be_visible()
    expect(answer_block.get_by_role("button", name="Upvote")).to_have_attribute("aria-pressed", "true")

"""In the browser: Alice opens Dana's Spanish tweet, sees the English community answer under
"Answered in the community", and one click puts the reply with its link into her reply box."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page, screenshot  # noqa: F401 (fixture)
from tests.browser.console_login import sign_in
from tests.browser.serial_live_server import serialize_live_server
from tests.community.bridge.test_answer_with_a_community_link import (  # noqa: F401 (fixtures)
    answered,
    fresh_vector_index,
    tweet,
)

pytestmark = pytest.mark.browser
serialize_live_server()


def test_one_click_puts_the_link_in_the_reply_box(page, live_server, alice, answered, tweet):  # noqa: F811
    sign_in(page, live_server.url, "alice", f"/conversations/{tweet.pk}/")
    panel = page.get_by_test_id("community-suggestions")
    expect(panel.get_by_role("heading", name="Answered in the community")).to_be_visible()
    expect(panel.get_by_role("link", name=answered.title)).to_be_visible()
    panel.get_by_role("button", name="Reply with this link").click()
    box = page.get_by_test_id("reply-text")
    expect(box).to_be_focused()
    expect(box).to_have_value(
        f"Esto ya tiene respuesta en nuestra comunidad: «{answered.title}» "
        f"{live_server.url}/community/t/{answered.pk}/my-headphones-will-not-pair-with-my-phone/"
    )
    screenshot(page, "community-link-reply.png")

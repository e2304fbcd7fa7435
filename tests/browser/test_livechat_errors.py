"""What a visitor sees when the chat says no: a file too large or of the wrong kind, a session token
that no longer works, a host identity with a bad signature, messages too fast; and the offline
form when nobody is there."""

import base64

import pytest
from playwright.sync_api import expect

from tests.browser.livechat_pages import LIVE, Agent, Visitor, chromium, site_fixture  # noqa: F401

pytestmark = pytest.mark.browser

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
CHANNELS = {
    "site chat": {"allowed_origins": [], "agents_online_mode": "always"},
    "small files": {"agents_online_mode": "always", "max_upload_bytes": 2048, "upload_types": ["png"]},
    "after hours": {"agents_online_mode": "never"},
    "staffed when open": {"agents_online_mode": "auto"},
}


@pytest.fixture(scope="module")
def web(request, tmp_path_factory):
    for site in site_fixture(request, tmp_path_factory, channels=CHANNELS):
        web = site.web()
        web.channels = site.channels
        yield web


def attach(visitor: Visitor, name: str, mime_type: str, content: bytes) -> None:
    visitor.page.locator("[data-townsquare-chat] input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime_type, "buffer": content}]
    )


def test_a_file_over_the_limit_is_refused_before_it_is_sent(chromium, web):  # noqa: F811
    dana = Visitor(chromium, web.url, web.channels["small files"])
    dana.open_chat()
    uploads = []
    dana.page.on("request", lambda request: uploads.append(request.url) if "/upload" in request.url else None)
    attach(dana, "holiday.png", "image/png", PNG + b"\0" * 5000)
    expect(dana.status()).to_have_text("That file is too large: at most 2 KB.")
    assert uploads == []
    expect(dana.messages()).to_have_count(1)  # the greeting only
    dana.context.close()


def test_the_server_refuses_a_file_that_is_not_what_it_claims(chromium, web):  # noqa: F811
    dana = Visitor(chromium, web.url, web.channels["small files"])
    dana.open_chat()
    attach(dana, "photo.png", "image/png", b"MZ\x90\x00 this is a program, not a picture")
    expect(dana.status()).to_have_text("This kind of file is not accepted here.", timeout=LIVE)
    expect(dana.messages()).to_have_count(1)
    dana.context.close()


def test_a_picture_within_the_limits_is_sent_and_linked(chromium, web):  # noqa: F811
    dana = Visitor(chromium, web.url, web.channels["small files"])
    dana.open_chat()
    attach(dana, "receipt.png", "image/png", PNG)
    link = dana.page.get_by_role("link", name="📎 receipt.png")
    expect(link).to_have_count(1, timeout=LIVE)
    expect(dana.page.locator("[data-townsquare-chat] .status")).to_be_empty()
    dana.context.close()


def test_a_session_token_that_no_longer_works_starts_a_new_chat(chromium, web):  # noqa: F811
    channel = web.channels["site chat"]
    dana = Visitor(chromium, web.url, channel)
    dana.page.evaluate(
        "([key, token]) => localStorage.setItem(key, JSON.stringify({token}))",
        [f"townsquare.chat.{channel}", "eyJzIjoiZm9yZ2VkIn0:forged:signature"],
    )
    dana.page.reload()
    dana.open_chat()
    dana.say("Is my old chat gone?")
    sent = dana.message("Is my old chat gone?")
    expect(sent).to_have_count(1)
    expect(sent).not_to_have_class("in pending", timeout=LIVE)
    stored = dana.page.evaluate(f"JSON.parse(localStorage.getItem('townsquare.chat.{channel}')).token")
    assert stored and "forged" not in stored
    dana.context.close()


def test_a_host_identity_with_a_bad_signature_is_refused_with_the_reason(chromium, web):  # noqa: F811
    channel = web.channels["site chat"]
    context = chromium.new_context()
    context.add_init_script(
        'window.TownsquareChat = {identity: {id: "42", email: "dana@example.com", ts: Math.floor(Date.now() / 1000)},'
        ' identity_signature: "00ff"}'
    )
    page = context.new_page()
    page.goto(f"{web.url}/livechat/{channel}/demo/")
    page.get_by_role("button", name="Chat with us").click()
    status = page.get_by_role("dialog", name="Chat").get_by_role("status").first
    expect(status).to_have_text("Identity_signature does not match the identity.", timeout=LIVE)
    context.close()


def test_a_visitor_sending_too_fast_is_told_and_nothing_is_lost(chromium, web):  # noqa: F811
    dana = Visitor(chromium, web.url, web.channels["site chat"])
    dana.open_chat()
    for n in range(24):
        dana.say(f"spam {n:02d}")
    expect(dana.status()).to_contain_text("too fast", timeout=LIVE)
    # The refused ones go out again a little later; each shows once.
    for n in range(24):
        expect(dana.message(f"spam {n:02d}")).to_have_count(1)
    expect(dana.page.locator("[data-townsquare-chat] li.pending")).to_have_count(0, timeout=30_000)
    dana.context.close()


def test_when_nobody_is_online_the_visitor_leaves_an_email(chromium, web):  # noqa: F811
    dana = Visitor(chromium, web.url, web.channels["after hours"])
    dana.page.get_by_role("button", name="Chat with us").click()
    form = dana.page.get_by_role("form", name="Leave a message")
    expect(form).to_be_visible(timeout=LIVE)
    expect(dana.page.get_by_role("form", name="Write a message")).to_be_hidden()
    form.get_by_label("Your email").fill("dana@example.com")
    form.get_by_label("Your name (optional)").fill("Dana")
    form.get_by_label("Your message").fill("Please call me back about order 1234.")
    form.get_by_role("button", name="Send").click()
    expect(dana.page.get_by_role("dialog", name="Chat")).to_contain_text(
        "Thank you. We will answer at dana@example.com.", timeout=LIVE
    )
    dana.context.close()


def test_escape_closes_the_chat_and_gives_focus_back(chromium, web):  # noqa: F811
    dana = Visitor(chromium, web.url, web.channels["site chat"])
    dana.open_chat()
    expect(dana.page.get_by_role("textbox", name="Message", exact=True)).to_be_focused()
    dana.page.keyboard.press("Escape")
    expect(dana.page.get_by_role("dialog", name="Chat")).to_be_hidden()
    expect(dana.page.get_by_role("button", name="Chat with us")).to_be_focused()
    dana.context.close()


def test_markup_in_a_message_is_shown_as_text_never_run(chromium, web):  # noqa: F811
    dana = Visitor(chromium, web.url, web.channels["site chat"])
    dana.open_chat()
    markup = '<img src=x onerror="window.pwned = 1"><b>bold</b>'
    dana.say(markup)
    sent = dana.message("bold")
    expect(sent).to_have_text(markup)
    expect(sent).not_to_have_class("in pending", timeout=LIVE)
    assert dana.page.evaluate("window.pwned") is None
    assert dana.page.locator("[data-townsquare-chat] li img, [data-townsquare-chat] li b").count() == 0
    dana.context.close()


def test_the_chat_is_open_while_someone_has_the_console_open(chromium, web):  # noqa: F811
    channel = web.channels["staffed when open"]
    early = Visitor(chromium, web.url, channel)
    early.page.get_by_role("button", name="Chat with us").click()
    expect(early.page.get_by_role("form", name="Leave a message")).to_be_visible(timeout=LIVE)
    early.context.close()

    alice = Agent(chromium, web.url, "alice")
    alice.socket_open()
    later = Visitor(chromium, web.url, channel)
    later.open_chat()
    expect(later.message("How can we help")).to_have_count(1, timeout=LIVE)  # the session answered
    expect(later.page.get_by_role("form", name="Write a message")).to_be_visible()
    expect(later.page.get_by_role("form", name="Leave a message")).to_be_hidden()
    later.context.close()
    alice.context.close()

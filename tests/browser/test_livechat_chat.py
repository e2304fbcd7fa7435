"""Dana chats from a shop's page; Alice, in the console, sees it live, answers, and Dana sees the answer.

The servers are real (uvicorn with WebSockets, a task worker delivering replies), on the embedded
default: SQLite and the in-memory channel layer in one web process. The console's polling is set
to once a minute, so whatever shows up within seconds came over the WebSockets.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.livechat_pages import LIVE, Agent, Visitor, chromium, site_fixture  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    yield from site_fixture(request, tmp_path_factory, TOWNSQUARE_LIVE_POLL_SECONDS="60")


@pytest.fixture(scope="module")
def web(site):
    web = site.web()
    site.worker()
    return web


def start_chat(chromium, web, site, first: str):  # noqa: F811
    """Alice on the conversation list, Dana opening the chat and writing `first`."""
    alice = Agent(chromium, web.url, "alice")
    alice.socket_open()
    alice.page.evaluate("window.stillSamePage = true")
    dana = Visitor(chromium, web.url, site.channels["site chat"])
    dana.open_chat()
    dana.say(first)
    expect(dana.message(first)).to_have_count(1, timeout=LIVE)
    row = alice.page.get_by_test_id("conversation-row").filter(has_text=first)
    expect(row).to_have_count(1, timeout=LIVE)
    assert alice.page.evaluate("window.stillSamePage") is True
    row.get_by_role("link").click()
    expect(alice.thread()).to_contain_text(first)
    alice.socket_open()
    return alice, dana


def test_dana_chats_and_alice_answers_live(chromium, web, site):  # noqa: F811
    alice, dana = start_chat(chromium, web, site, "Hello, my order 1234 is late")
    alice.page.evaluate("window.stillSamePage = true")

    # Alice opened the thread: Dana's widget says her message was seen.
    expect(dana.page.get_by_test_id("seen")).to_have_text("Seen", timeout=LIVE)

    # Dana types: Alice sees it; Dana's next message shows in Alice's thread without a reload.
    dana.page.get_by_role("textbox", name="Message", exact=True).press_sequentially("It was due")
    expect(alice.page.get_by_test_id("customer-typing")).to_be_visible(timeout=LIVE)
    dana.say("It was due on Monday")
    expect(alice.thread().get_by_text("It was due on Monday")).to_have_count(1, timeout=LIVE)

    # Alice types and answers; Dana sees her typing, then the answer, live.
    alice.page.get_by_test_id("reply-text").press_sequentially("Sorry")
    expect(dana.page.get_by_role("dialog", name="Chat")).to_contain_text("Alice is typing", timeout=LIVE)
    alice.answer("Sorry about that, Dana: it ships today and you get the shipping back.")
    answer = dana.message("it ships today")
    expect(answer).to_have_count(1, timeout=LIVE)
    expect(answer).to_have_class("out")
    expect(dana.page.get_by_role("dialog", name="Chat")).not_to_contain_text("Alice is typing")
    # Dana's chat is open, so she has read the answer: Alice's page says so.
    expect(alice.page.get_by_test_id("customer-read")).to_have_text("Seen by the customer.", timeout=LIVE)
    expect(alice.thread().get_by_text("it ships today")).to_have_count(1, timeout=LIVE)
    assert alice.page.evaluate("window.stillSamePage") is True
    screenshot(dana.page, "livechat-visitor.png")
    screenshot(alice.page, "livechat-agent.png")

    # Dana comes back later (a reload): the same session, the whole conversation, nothing twice.
    dana.page.reload()
    dana.open_chat()
    for text in ("Hello, my order 1234 is late", "It was due on Monday", "it ships today"):
        expect(dana.message(text)).to_have_count(1, timeout=LIVE)
    alice.context.close()
    dana.context.close()


def test_a_dropped_connection_resumes_with_nothing_lost_or_doubled(chromium, web, site):  # noqa: F811
    alice, dana = start_chat(chromium, web, site, "Hi, is anyone there?")
    alice.answer("Yes, Alice here. How can I help?")
    expect(dana.message("Alice here")).to_have_count(1, timeout=LIVE)

    # Dana's connection drops. She goes on writing; Alice answers meanwhile.
    dana.context.set_offline(True)
    expect(dana.status()).to_contain_text("Reconnecting", timeout=LIVE)
    dana.say("My parcel says delivered")
    dana.say("but nothing is here")
    alice.answer("Let me check with the courier.")
    expect(alice.thread().get_by_text("Let me check with the courier.")).to_have_count(1, timeout=LIVE)
    alice.answer("The courier left it with a neighbour at number 12.")
    expect(alice.thread().get_by_text("neighbour at number 12")).to_have_count(1, timeout=LIVE)

    # Back online: the widget resumes; each message shows once on both sides, in order.
    dana.context.set_offline(False)
    expected = [
        "Hi, is anyone there?",
        "Alice here",
        "My parcel says delivered",
        "but nothing is here",
        "Let me check with the courier.",
        "neighbour at number 12",
    ]
    for text in expected:
        expect(dana.message(text)).to_have_count(1, timeout=LIVE)
        expect(alice.thread().get_by_text(text)).to_have_count(1, timeout=LIVE)
    expect(dana.page.get_by_role("log", name="Messages").locator("li.pending")).to_have_count(0)
    texts = dana.messages().all_inner_texts()
    positions = [next(i for i, shown in enumerate(texts) if text in shown) for text in expected]
    # Dana's two offline messages come after Alice's first answer; the replies Alice wrote while
    # Dana was away may sit before or after them (both sides wrote at once), never twice.
    assert positions[0] < positions[1] < positions[2] < positions[3]
    assert positions[4] < positions[5]
    screenshot(dana.page, "livechat-resumed.png")
    alice.context.close()
    dana.context.close()


def test_a_server_restart_loses_nothing_the_visitor_wrote_meanwhile(chromium, site):  # noqa: F811
    web = site.web()  # a web process of its own, to restart
    site.worker()
    alice, dana = start_chat(chromium, web, site, "Are you open on Sunday?")
    alice.answer("Yes, from 10 to 4.")
    expect(dana.message("from 10 to 4")).to_have_count(1, timeout=LIVE)

    def dana_writes_while_the_server_is_down():
        expect(dana.status()).to_contain_text("Reconnecting", timeout=LIVE)
        dana.say("Great, and on holidays?")
        dana.say("Like next Monday")

    site.restart(web, down_while=dana_writes_while_the_server_is_down)
    for text in ("Great, and on holidays?", "Like next Monday"):
        sent = dana.message(text)
        expect(sent).to_have_count(1)
        expect(sent).not_to_have_class("in pending", timeout=30_000)
        expect(alice.thread().get_by_text(text)).to_have_count(1, timeout=30_000)
    for text in ("Are you open on Sunday?", "from 10 to 4"):
        expect(dana.message(text)).to_have_count(1)
    alice.context.close()
    dana.context.close()

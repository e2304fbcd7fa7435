"""Journey 6, "peers first, staff as backstop", in the browser: Farid asks in Spanish and the ask
form shows a similar English question; he asks anyway, Bob answers, Farid accepts, and Bob's
reputation and badge appear on his profile. A question nobody answered for 13 hours lands in
Alice's console."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.console_login import sign_in
from tests.browser.serial_live_server import serialize_live_server
from tests.care.routing_helpers import on_duty, queue, team
from tests.community.conftest import at_trust_level
from tests.conftest import PASSWORD
from townsquare.community.accepting import accept
from townsquare.community.bridge.unanswered import escalate_topic
from townsquare.community.models import Space, Topic
from townsquare.community.posting import answer, ask
from townsquare.community.search.embeddings import embed_topics
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.browser
serialize_live_server()


@pytest.fixture
def community(alice, bob, farid, eve):
    channel = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    devices = Space.objects.create(slug="devices", name="Devices", language="en", channel=channel)
    espanol = Space.objects.create(
        slug="dispositivos", name="Dispositivos", language="es", channel=channel, unanswered_after_hours=12
    )
    community_queue = queue("Community", position=20, rules={"channel_kind": ["community"]})
    queue("Devices", position=100, team=team("Devices", alice))
    on_duty(bob, queues=[community_queue])
    on_duty(alice)
    at_trust_level(bob, 3)
    at_trust_level(eve, 2)
    solved = ask(
        eve,
        devices,
        "My headphones will not connect to my phone",
        "They blink red and never show up in the Bluetooth list.",
    )
    accept(eve, answer(bob, solved, "Hold the power button for 10 seconds to reset them, then pair again."))
    embed_topics([solved.pk])
    return {"devices": devices, "espanol": espanol, "solved": solved}


def community_sign_in(page, base_url: str, username: str, path: str) -> None:
    page.goto(f"{base_url}/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    page.wait_for_load_state("load")  # htmx (deferred) drives the similar-questions panel


def test_farid_asks_bob_answers_farid_accepts(community, farid, bob, live_server, page):
    base = live_server.url
    community_sign_in(page, base, "farid", "/community/s/dispositivos/ask/")
    page.get_by_label("Title").fill("Mis auriculares no se conectan al teléfono")
    similar = page.get_by_test_id("similar-question")
    expect(similar.first).to_contain_text("My headphones will not connect to my phone")
    screenshot(page, "community-ask-similar.png")
    page.get_by_label("Title").fill("Mis auriculares no se conectan al teléfono nuevo")
    page.locator("textarea[name=body]").fill("Parpadean en rojo y el teléfono no los encuentra.")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mis auriculares")
    topic = Topic.objects.get(title__startswith="Mis auriculares")
    assert topic.language == "es"

    # Bob answers from his own browser session.
    bobs = page.context.browser.new_page()
    community_sign_in(bobs, base, "bob", f"/community/t/{topic.pk}/")
    bobs.locator("#answer-body").fill(
        "Mantén pulsado el botón 10 segundos para reiniciarlos y vuelve a emparejar."
    )
    bobs.get_by_role("button", name="Post your answer").click()
    expect(bobs.get_by_test_id("answer")).to_have_count(1)

    # Farid accepts it; Bob's reputation and a badge appear on his profile.
    page.reload()
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("accepted")).to_be_visible()
    page.goto(f"{base}/community/u/bob/")
    expect(page.get_by_test_id("reputation")).to_contain_text("30")  # two accepted answers, 15 each
    expect(page.get_by_test_id("badges")).to_contain_text("accepted", ignore_case=True)
    screenshot(page, "community-bob-profile.png")


def test_a_stale_question_lands_in_alices_queue(community, alice, farid, live_server, page):
    stale = ask(
        farid, community["espanol"], "La batidora muestra el error E4", "El motor se para a los dos segundos."
    )
    asked = timezone.now() - timedelta(hours=13)
    Topic.objects.filter(pk=stale.pk).update(created_at=asked)
    assert escalate_topic(stale.pk) is not None
    sign_in(page, live_server.url, "alice", "/")
    row = page.get_by_test_id("conversation-row").filter(has_text="error E4")
    expect(row).to_have_count(1)
    screenshot(page, "community-stale-in-console.png")

"""Canned replies with variables, one text per language, fallback to English, suggestions."""

import pytest

from townsquare.inbox.models import Conversation
from townsquare.inbox.visibility import Forbidden
from townsquare.labels.models import MessageLabels
from townsquare.people.models import Customer
from townsquare.replies.canned import CannedError, create_canned, render_canned, update_canned
from townsquare.replies.suggest import suggest_canned

WHERE_EN = "Hi {{customer.first_name}}, order {{order_number}} is on its way. {{agent.name}}"
WHERE_ES = "Hola {{customer.first_name}}, el pedido {{order_number}} está en camino. {{agent.name}}"


@pytest.fixture
def where_is_my_order(carol):
    english = create_canned(carol, title="Where is my order", shortcut="where-order", text=WHERE_EN)
    create_canned(carol, title="Dónde está mi pedido", shortcut="where-order", language="es", text=WHERE_ES)
    return english


def test_variables_are_filled_from_the_customer_the_agent_and_the_order_in_the_thread(
    alice, dana_asks, where_is_my_order
):
    rendered = render_canned(where_is_my_order, dana_asks, alice)
    assert rendered.text == "Hi Dana, order 48213 is on its way. Alice"
    assert rendered.missing == []


def test_the_conversations_language_is_picked(alice, dana_asks, where_is_my_order):
    Conversation.objects.filter(pk=dana_asks.pk).update(language="es")
    dana_asks.refresh_from_db()
    assert render_canned(where_is_my_order, dana_asks, alice).text.startswith("Hola Dana, el pedido 48213")


def test_a_language_without_a_text_falls_back_to_english(alice, dana_asks, where_is_my_order):
    Conversation.objects.filter(pk=dana_asks.pk).update(language="de")
    dana_asks.refresh_from_db()
    assert render_canned(where_is_my_order, dana_asks, alice).text.startswith("Hi Dana")


def test_the_customers_order_attribute_wins_and_a_missing_value_is_left_to_fill(
    alice, dana_asks, where_is_my_order
):
    Customer.objects.filter(pk=dana_asks.customer_id).update(attributes={"order_number": "A-77"})
    fresh = Conversation.objects.get(pk=dana_asks.pk)
    assert "order A-77 is" in render_canned(where_is_my_order, fresh, alice).text
    Customer.objects.filter(pk=dana_asks.customer_id).update(attributes={})
    dana_asks.messages.update(text="It has not arrived")
    rendered = render_canned(where_is_my_order, Conversation.objects.get(pk=dana_asks.pk), alice)
    assert "{{order_number}}" in rendered.text and rendered.missing == ["order_number"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hi {{customer.nickname}}", "unknown variable"),
        ("Hi {{ customer.name", "write each variable"),
        ("", "empty"),
    ],
)
def test_unknown_or_broken_variables_are_refused_on_save(carol, text, message):
    with pytest.raises((CannedError, ValueError), match=message):
        create_canned(carol, title="Hi", shortcut="hi", text=text)


def test_the_same_shortcut_twice_in_one_language_is_refused(carol, where_is_my_order):
    with pytest.raises(CannedError, match="already has a text in en"):
        create_canned(carol, title="Again", shortcut="where-order", text="Hi")


def test_agents_use_canned_replies_but_only_supervisors_and_admins_change_them(
    alice, carol, where_is_my_order
):
    with pytest.raises(Forbidden):
        create_canned(alice, title="Mine", shortcut="mine", text="Hi")
    with pytest.raises(Forbidden):
        update_canned(alice, where_is_my_order, text="Hacked")
    assert update_canned(carol, where_is_my_order, title="Order status").title == "Order status"


def test_suggestions_rank_language_match_then_matching_kind_and_intent(
    alice, carol, dana_asks, where_is_my_order
):
    create_canned(
        carol, title="Thanks for the praise", shortcut="thanks", text="Thank you {{customer.name}}!"
    )
    create_canned(carol, title="Card arrival", shortcut="card", text="Your card arrives in 5 days.")
    create_canned(carol, title="Solo en francés", shortcut="fr-only", language="fr", text="Bonjour")
    message = dana_asks.messages.get()
    MessageLabels.objects.create(
        message=message, conversation_id=dana_asks.pk, kind="problem", intents=[["card_arrival", 0.9]]
    )
    suggestions = suggest_canned(dana_asks, alice)
    assert [s.rendered.canned.shortcut for s in suggestions] == ["card", "thanks", "where-order"]
    assert suggestions[0].score == 2 + 2  # English, then "card" and "arrival" from the intent
    assert suggestions[0].reasons == ["written in en", "mentions arrival, card"]
    assert suggestions[1].rendered.text == "Thank you Dana Ortiz!"


def test_creating_changing_and_deleting_a_canned_reply_are_in_the_audit_log(carol):
    from townsquare.events.models import Event
    from townsquare.replies.canned import delete_canned

    canned = create_canned(carol, title="Thanks", shortcut="thanks", text="Thanks {{customer.first_name}}!")
    update_canned(carol, canned, title="Thank you")
    delete_canned(carol, canned)
    log = [(e.kind, e.actor_id, e.data["shortcut"]) for e in Event.objects.filter(kind__startswith="canned.")]
    assert log == [
        ("canned.created", carol.pk, "thanks"),
        ("canned.updated", carol.pk, "thanks"),
        ("canned.deleted", carol.pk, "thanks"),
    ]

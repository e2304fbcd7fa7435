"""Recording a grant or a revocation: latest wins, an event per record, who may record it."""

import pytest

from tests.api.factories import make_customer
from townsquare.events.models import Event
from townsquare.inbox.visibility import Forbidden
from townsquare.people.consent import InvalidConsent, consent_state, has_consent, record_consent

WORDING = "Yes, send me offers and discount codes by email."

# Dana has a conversation the staff in these tests can see.
pytestmark = pytest.mark.usefixtures("dana_conversation")


def test_grant_then_revoke_latest_wins_with_events(carol, dana):
    assert not has_consent(dana, "offers")
    record_consent(carol, dana, "offers", granted=True, source="livechat", wording=WORDING)
    assert has_consent(dana, "offers") and not has_consent(dana, "product_news")
    record_consent(carol, dana, "offers", granted=False, source="email", wording="Unsubscribe from offers")
    assert not has_consent(dana, "offers")

    events = list(Event.objects.filter(kind__startswith="consent.").values_list("kind", "actor_id", "data"))
    assert events == [
        ("consent.granted", carol.pk, {"customer_id": dana.pk, "purpose": "offers", "source": "livechat"}),
        ("consent.revoked", carol.pk, {"customer_id": dana.pk, "purpose": "offers", "source": "email"}),
    ]


def test_state_names_the_deciding_record_per_purpose(carol, dana):
    record_consent(carol, dana, "product_news", granted=True, source="console", wording="News: yes")
    revoked = record_consent(carol, dana, "product_news", granted=False, source="console", wording="News: no")
    state = consent_state(dana)
    assert state == {
        "support_followup": None,
        "product_news": revoked,
        "offers": None,
        "community_publish": None,
    }


def test_customer_acting_through_a_channel_records_without_actor(dana, twitter):
    entry = record_consent(
        None, dana, "offers", granted=True, source="livechat", wording=WORDING, channel=twitter
    )
    assert entry.recorded_by is None and entry.channel == twitter
    assert has_consent(dana, "offers")


def test_agent_records_for_customer_of_a_conversation_they_see(alice, dana_conversation, dana):
    record_consent(alice, dana, "support_followup", granted=True, source="console", wording="Follow up: yes")
    assert has_consent(dana, "support_followup")


def test_agent_cannot_record_for_customer_they_cannot_see(alice):
    stranger = make_customer("Stranger")
    with pytest.raises(Forbidden):
        record_consent(alice, stranger, "offers", granted=True, source="console", wording=WORDING)


@pytest.mark.parametrize("persona", ["bob", "eve", "farid"])
def test_ambassadors_moderators_and_customers_never_record(persona, request, dana, dana_conversation):
    with pytest.raises(Forbidden):
        record_consent(
            request.getfixturevalue(persona), dana, "offers", granted=True, source="console", wording=WORDING
        )
    assert not has_consent(dana, "offers")


@pytest.mark.parametrize(
    ("purpose", "source", "wording", "message"),
    [
        ("newsletter", "console", WORDING, "unknown purpose 'newsletter'"),
        ("offers", "fax", WORDING, "unknown source 'fax'"),
        ("offers", "console", "   ", "the exact wording shown to the customer is required"),
        ("offers", "console", "x" * 5001, "longer than 5000"),
    ],
)
def test_bad_input_is_refused_and_nothing_recorded(carol, dana, purpose, source, wording, message):
    with pytest.raises(InvalidConsent, match=message):
        record_consent(carol, dana, purpose, granted=True, source=source, wording=wording)
    assert not Event.objects.filter(kind__startswith="consent.").exists()


def test_an_answer_from_the_future_is_refused(carol, dana):
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(InvalidConsent, match="in the future"):
        record_consent(
            carol,
            dana,
            "offers",
            granted=True,
            source="import",
            wording=WORDING,
            recorded_at=timezone.now() + timedelta(days=1),
        )

"""People move a conversation up the ladder by hand: ambassador → agent → supervisor, each step logged."""

import pytest
from django.urls import reverse

from townsquare.care.escalation import EscalationError, escalate
from townsquare.events.models import Event
from townsquare.inbox.visibility import Forbidden

pytestmark = pytest.mark.django_db


def steps(conversation):
    return list(Event.objects.filter(kind="conversation.escalated", conversation_id=conversation.pk))


def test_bob_hands_a_case_to_staff_and_lets_go_of_it(bobs_question, bob):
    assert escalate(bob, bobs_question, reason="needs a refund") == "agent"
    bobs_question.refresh_from_db()
    assert bobs_question.escalation_level == "agent"
    assert bobs_question.assignee_id is None and bobs_question.queue_id is None
    [step] = steps(bobs_question)
    assert step.actor_id == bob.pk
    assert step.data == {
        "from_level": "ambassador",
        "to_level": "agent",
        "reason": "needs a refund",
        "automatic": False,
    }
    released = Event.objects.get(kind="conversation.unassigned", conversation_id=bobs_question.pk)
    assert released.data == {"reason": "escalated", "assignee_id": bob.pk}


def test_alice_escalates_to_a_supervisor(alices_complaint, alice):
    assert escalate(alice, alices_complaint, reason="legal threat") == "supervisor"
    alices_complaint.refresh_from_db()
    assert alices_complaint.assignee_id is None


def test_a_supervisor_keeps_what_they_hold(alices_complaint, carol):
    alices_complaint.assignee = carol
    alices_complaint.escalation_level = "agent"  # Carol took an agent-level case herself
    alices_complaint.save()
    assert escalate(carol, alices_complaint, reason="watch it", to_level="supervisor") == "supervisor"
    alices_complaint.refresh_from_db()
    assert alices_complaint.assignee_id == carol.pk


def test_the_top_of_the_ladder_is_the_end(alices_complaint, alice):
    escalate(alice, alices_complaint, reason="legal threat")
    with pytest.raises(EscalationError, match="top of the ladder"):
        escalate(alice, alices_complaint, reason="again")
    assert len(steps(alices_complaint)) == 1


def test_only_supervisors_choose_the_level(alices_complaint, bobs_question, alice, carol):
    with pytest.raises(Forbidden):
        escalate(alice, bobs_question, reason="skip", to_level="supervisor")
    assert escalate(carol, bobs_question, reason="VIP customer", to_level="supervisor") == "supervisor"


def test_a_reason_is_required(alices_complaint, alice):
    with pytest.raises(EscalationError, match="say why"):
        escalate(alice, alices_complaint, reason="   ")
    assert steps(alices_complaint) == []


def test_a_resolved_conversation_is_not_escalated(alices_complaint, alice):
    alices_complaint.status = "resolved"
    alices_complaint.save()
    with pytest.raises(EscalationError, match="reopen"):
        escalate(alice, alices_complaint, reason="late")


def test_roles_without_the_console_may_not_escalate(alices_complaint, eve, farid):
    for person in (eve, farid):
        with pytest.raises(Forbidden):
            escalate(person, alices_complaint, reason="no")


# --- through the API ---------------------------------------------------------------------------


def test_api_escalates_and_lists_the_steps(client, bearer, alice, alices_complaint):
    url = f"/api/v1/conversations/{alices_complaint.pk}/escalate"
    answer = client.post(
        url, {"reason": "legal threat"}, content_type="application/json", headers=bearer(alice)
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "conversation_id": alices_complaint.pk,
        "escalation_level": "supervisor",
        "assignee_id": None,
    }
    history = client.get(f"/api/v1/conversations/{alices_complaint.pk}/escalations", headers=bearer(alice))
    assert [(s["from_level"], s["to_level"], s["automatic"]) for s in history.json()] == [
        ("agent", "supervisor", False)
    ]
    again = client.post(url, {"reason": "more"}, content_type="application/json", headers=bearer(alice))
    assert again.status_code == 409
    assert "top of the ladder" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status"),
    [({}, 422), ({"reason": ""}, 422), ({"reason": "x", "to_level": "ceo"}, 422), ({"reason": 5}, 422)],
)
def test_api_rejects_bad_bodies(client, bearer, alice, alices_complaint, body, status):
    url = f"/api/v1/conversations/{alices_complaint.pk}/escalate"
    answer = client.post(url, body, content_type="application/json", headers=bearer(alice))
    assert answer.status_code == status
    assert steps(alices_complaint) == []


def test_api_unknown_and_forbidden(client, bearer, alice, eve, alices_complaint):
    missing = client.post(
        "/api/v1/conversations/999999/escalate",
        {"reason": "x"},
        content_type="application/json",
        headers=bearer(alice),
    )
    assert missing.status_code == 404
    moderator = client.post(
        f"/api/v1/conversations/{alices_complaint.pk}/escalate",
        {"reason": "x"},
        content_type="application/json",
        headers=bearer(eve),
    )
    assert moderator.status_code == 403


# --- from the console --------------------------------------------------------------------------


def test_console_shows_the_ladder_and_escalates(client, alice, alices_complaint):
    client.force_login(alice)
    page = client.get(reverse("web:conversation", args=[alices_complaint.pk]))
    assert b'data-testid="escalation-level">agent<' in page.content
    answer = client.post(reverse("web:escalate", args=[alices_complaint.pk]), {"reason": "legal threat"})
    assert answer.status_code == 302
    page = client.get(reverse("web:conversation", args=[alices_complaint.pk]))
    assert b'data-testid="escalation-level">supervisor<' in page.content
    assert b"legal threat" in page.content


def test_console_refuses_a_missing_reason_and_an_unknown_level(client, carol, alices_complaint):
    client.force_login(carol)
    url = reverse("web:escalate", args=[alices_complaint.pk])
    assert client.post(url, {"reason": ""}).status_code == 409
    assert client.post(url, {"reason": "x", "to_level": "ceo"}).status_code == 400
    assert steps(alices_complaint) == []


def test_console_one_click_hand_over_for_bob(client, bob, bobs_question):
    client.force_login(bob)
    page = client.get(reverse("web:conversation", args=[bobs_question.pk]))
    assert b'data-testid="hand-to-staff"' in page.content
    answer = client.post(
        reverse("web:escalate", args=[bobs_question.pk]), {"reason": "Handed to staff by the ambassador"}
    )
    assert answer.status_code == 302
    bobs_question.refresh_from_db()
    assert bobs_question.escalation_level == "agent"

"""The moderation API: members flag, moderators act with a reason, anyone reads the public log."""

import pytest

from townsquare.community.models import Flag, ModerationAction, Suspension, Visibility
from townsquare.people.tokens import create_token

pytestmark = pytest.mark.django_db
API = "/api/v1/community"


def auth(user) -> dict:
    return {"Authorization": f"Bearer {create_token(user, 'test')[1]}"}


def test_dana_flags_and_eve_hides_through_the_api(client, bobs_answer, members, eve, rule_3):
    dana = auth(members["dana"])
    created = client.post(
        f"{API}/flags",
        {"post_id": bobs_answer.pk, "reason": "rule", "rule": 3, "note": "referral code"},
        content_type="application/json",
        headers=dana,
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "open" and created.json()["reporter"] is None
    again = client.post(
        f"{API}/flags",
        {"post_id": bobs_answer.pk, "reason": "spam"},
        content_type="application/json",
        headers=dana,
    )
    assert again.status_code == 409
    listed = client.get(f"{API}/flags", headers=auth(eve))
    assert [item["reporter"] for item in listed.json()] == ["dana"]
    assert client.get(f"{API}/flags", headers=dana).status_code == 403
    hidden = client.post(
        f"{API}/posts/{bobs_answer.pk}/moderation",
        {"action": "hide", "reason": "Referral code in the answer", "rule": 3},
        content_type="application/json",
        headers=auth(eve),
    )
    assert hidden.status_code == 200, hidden.content
    assert hidden.json()["rule"] == 3 and hidden.json()["action"] == "hide"
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.HIDDEN and Flag.objects.get().status == "upheld"


def test_bad_requests_get_clear_answers(client, bobs_answer, question, members, eve):
    headers = auth(eve)
    no_reason = client.post(
        f"{API}/posts/{bobs_answer.pk}/moderation",
        {"action": "hide", "reason": "no"},
        content_type="application/json",
        headers=headers,
    )
    assert no_reason.status_code == 400 and "reason of at least" in no_reason.json()["detail"]
    unknown = client.post(
        f"{API}/posts/999999/moderation",
        {"action": "hide", "reason": "Advert for a shop"},
        content_type="application/json",
        headers=headers,
    )
    assert unknown.status_code == 404 and unknown.json()["detail"] == "post 999999 does not exist"
    bad_action = client.post(
        f"{API}/topics/{question.pk}/moderation",
        {"action": "delete", "reason": "Advert for a shop"},
        content_type="application/json",
        headers=headers,
    )
    assert bad_action.status_code == 422
    as_bob = client.post(
        f"{API}/topics/{question.pk}/moderation",
        {"action": "close", "reason": "Solved already"},
        content_type="application/json",
        headers=auth(members["bob"]),
    )
    assert as_bob.status_code == 403
    assert not ModerationAction.objects.exists()


def test_suspend_lift_and_slow_mode(client, members, eve, alice, devices_space):
    headers = auth(eve)
    created = client.post(
        f"{API}/suspensions",
        {"user_id": members["dana"].pk, "days": 3, "reason": "Insulted members"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    staff = client.post(
        f"{API}/suspensions",
        {"user_id": alice.pk, "days": 3, "reason": "Insulted members"},
        content_type="application/json",
        headers=headers,
    )
    assert staff.status_code == 403
    lifted = client.delete(
        f"{API}/suspensions/{created.json()['id']}",
        {"reason": "Apologised to everyone"},
        content_type="application/json",
        headers=headers,
    )
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]
    assert Suspension.objects.get().lifted_at is not None
    slow = client.patch(
        f"{API}/spaces/{devices_space.pk}/slow-mode",
        {"seconds": 300, "reason": "Heated recall thread"},
        content_type="application/json",
        headers=headers,
    )
    assert slow.json() == {"space_id": devices_space.pk, "slow_mode_seconds": 300}
    missing = client.patch(
        f"{API}/spaces/999999/slow-mode",
        {"seconds": 300, "reason": "Heated recall thread"},
        content_type="application/json",
        headers=headers,
    )
    assert missing.status_code == 404


def test_the_public_log_names_no_one(client, bobs_answer, members, eve, rule_3):
    client.post(
        f"{API}/posts/{bobs_answer.pk}/moderation",
        {"action": "hide", "reason": "Referral code in the answer", "rule": 3},
        content_type="application/json",
        headers=auth(eve),
    )
    client.post(
        f"{API}/suspensions",
        {"user_id": members["dana"].pk, "days": 3, "reason": "Insulted members"},
        content_type="application/json",
        headers=auth(eve),
    )
    public = client.get(f"{API}/moderation/log")
    assert public.status_code == 200
    suspension, hiding = public.json()
    assert (
        hiding["by"] == "moderator"
        and hiding["rule"] == 3
        and hiding["reason"] == "Referral code in the answer"
    )
    assert hiding["moderator"] is None and hiding["target_user"] is None and hiding["details"] is None
    assert hiding["post_id"] is None  # the answer is hidden: not linked
    assert "dana" not in public.content.decode() and "eve" not in public.content.decode().lower()
    full = client.get(f"{API}/moderation/log", headers=auth(eve)).json()
    assert full[0]["target_user"] == "Dana" and full[1]["moderator"] == "Eve"
    older = client.get(f"{API}/moderation/log?before={suspension['id']}").json()
    assert [entry["id"] for entry in older] == [hiding["id"]]


def test_moderators_list_held_posts_and_suspensions(client, question, members, eve, settings):
    from townsquare.community.posting import answer

    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0
    held = answer(members["bob"], question, "Cheap watches at example.shop")
    listed = client.get(f"{API}/moderation/held", headers=auth(eve)).json()
    assert [(item["kind"], item["id"], item["author"]) for item in listed] == [("post", held.pk, "bob")]
    assert listed[0]["reason"].startswith("held for review")
    assert client.get(f"{API}/moderation/held", headers=auth(members["dana"])).status_code == 403
    client.post(
        f"{API}/suspensions",
        {"user_id": members["dana"].pk, "days": 3, "reason": "Insulted members"},
        content_type="application/json",
        headers=auth(eve),
    )
    suspensions = client.get(f"{API}/suspensions", headers=auth(eve)).json()
    assert [item["user_id"] for item in suspensions] == [members["dana"].pk]
    assert client.get(f"{API}/suspensions", headers=auth(members["farid"])).status_code == 403

"""Eve works the moderation queue page: flagged and held posts, with forms that need a reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.community.conftest import at_trust_level
from tests.conftest import make_user
from townsquare.community.models import ModerationAction, Space, Visibility
from townsquare.community.moderation.flags import flag
from townsquare.community.posting import answer
from townsquare.people.models import Role

pytestmark = pytest.mark.django_db
URL = "/community/moderation/"


def test_only_moderators_and_leaders_open_the_queue(client, members, eve, alice):
    assert client.get(URL).status_code == 302  # sign in first
    for user in (members["farid"], members["dana"], members["bob"], alice):
        client.force_login(user)
        page = client.get(URL)
        assert page.status_code == 403 and "moderators" in page.content.decode()
    client.force_login(at_trust_level(members["dana"], 4))
    page = client.get(URL)
    assert page.status_code == 200 and "Suspend a member" not in page.content.decode()
    client.force_login(eve)
    page = client.get(URL)
    assert page.status_code == 200 and "Suspend a member" in page.content.decode()


def test_eve_hides_a_flagged_answer_from_the_queue(client, bobs_answer, members, eve, rule_3):
    flag(members["dana"], post_id=bobs_answer.pk, reason="spam", note="shop link")
    client.force_login(eve)
    page = client.get(URL).content.decode()
    assert "1 open flag" in page and "dana: Spam or advertising" in page and "shop link" in page
    refused = client.post(
        "/community/moderation/act",
        {"target": "post", "target_id": bobs_answer.pk, "action": "hide", "reason": ""},
    )
    assert refused.status_code == 400 and "reason" in refused.content.decode()
    done = client.post(
        "/community/moderation/act",
        {
            "target": "post",
            "target_id": bobs_answer.pk,
            "action": "hide",
            "reason": "Shop link",
            "rule": rule_3.pk,
        },
    )
    assert done.status_code == 302 and done["Location"] == URL
    bobs_answer.refresh_from_db()
    assert bobs_answer.visibility == Visibility.HIDDEN
    assert bobs_answer.visibility_reason == "Hidden by a moderator: Shop link (rule 3: No referral links)"
    assert "No open flags." in client.get(URL).content.decode()
    again = client.post(
        "/community/moderation/act",
        {"target": "post", "target_id": bobs_answer.pk, "action": "hide", "reason": "Shop link"},
    )
    assert again.status_code == 409 and "already hidden" in again.content.decode()


def test_eve_approves_held_spam_from_the_queue(client, question, members, eve, settings):
    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0
    held = answer(members["bob"], question, "Try the reset button under the ear cup.")
    client.force_login(eve)
    assert "Try the reset button" in client.get(URL).content.decode()
    client.post(
        "/community/moderation/act",
        {"target": "post", "target_id": held.pk, "action": "approve", "reason": "A real answer"},
    )
    held.refresh_from_db()
    assert held.visibility == Visibility.VISIBLE


def test_eve_suspends_lifts_and_sets_slow_mode(client, members, eve, devices_space):
    client.force_login(eve)
    done = client.post(
        "/community/moderation/suspend", {"username": "dana", "days": 2, "reason": "Insulted members"}
    )
    assert done.status_code == 302
    page = client.get(URL).content.decode()
    assert "Insulted members" in page
    unknown = client.post(
        "/community/moderation/suspend", {"username": "nobody", "days": 2, "reason": "Insulted members"}
    )
    assert unknown.status_code == 400 and "No member is called “nobody”" in unknown.content.decode()
    staff = client.post(
        "/community/moderation/suspend", {"username": "eve", "days": 2, "reason": "Testing it"}
    )
    assert staff.status_code == 400 and "yourself" in staff.content.decode()
    suspension = ModerationAction.objects.get(action="suspend").data["suspension"]
    client.post(f"/community/moderation/suspensions/{suspension}/lift", {"reason": "Apologised to all"})
    client.post(
        f"/community/moderation/spaces/{devices_space.pk}/slow-mode",
        {"seconds": 90, "reason": "Heated thread"},
    )
    assert Space.objects.get(pk=devices_space.pk).slow_mode_seconds == 90
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        "slow_mode",
        "unsuspend",
        "suspend",
    ]


def test_a_leader_cannot_suspend_from_the_page(client, members):
    client.force_login(at_trust_level(members["dana"], 4))
    refused = client.post(
        "/community/moderation/suspend", {"username": "farid", "days": 2, "reason": "Insulted members"}
    )
    assert refused.status_code == 403 and not ModerationAction.objects.exists()


def test_forms_need_the_csrf_token(bobs_answer, eve):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(eve)
    refused = strict.post(
        "/community/moderation/act",
        {"target": "post", "target_id": bobs_answer.pk, "action": "hide", "reason": "Shop link"},
    )
    assert refused.status_code == 403 and not ModerationAction.objects.exists()


def test_the_queue_costs_the_same_queries_however_long_it_is(client, question, members, eve, settings):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.force_login(eve)
    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0
    flaggers = [at_trust_level(make_user(f"member{n}", Role.CUSTOMER, ["en"]), 1) for n in range(2)]
    first = answer(members["bob"], question, "Held answer number one.")
    flag(flaggers[0], topic_id=question.pk, reason="off_topic")
    baseline = queries()
    for n in range(5):
        posted = answer(make_user(f"poster{n}", Role.CUSTOMER, ["en"]), question, f"Held answer {n} here.")
        assert posted.visibility == Visibility.HELD
    flag(flaggers[1], topic_id=question.pk, reason="spam")
    assert first.pk and queries() == baseline


def test_the_console_links_moderators_to_the_queue(client, eve, alice):
    from django.urls import reverse

    client.force_login(eve)
    assert f'href="{URL}"' in client.get(reverse("web:tokens")).content.decode()
    client.force_login(alice)
    assert f'href="{URL}"' not in client.get(reverse("web:tokens")).content.decode()


def test_a_topic_page_link_fills_in_the_form(client, bobs_answer, eve):
    client.force_login(eve)
    page = client.get(f"{URL}?target=post&id={bobs_answer.pk}").content.decode()
    assert f'name="target_id" value="{bobs_answer.pk}"' in page
    assert '<option value="post" selected>' in page


def test_every_id_on_the_queue_page_is_unique(client, bobs_answer, members, eve, rule_3):
    import re

    flag(members["dana"], post_id=bobs_answer.pk, reason="spam")
    client.force_login(eve)
    page = client.get(URL).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert target in ids, f"label for a missing id {target}"

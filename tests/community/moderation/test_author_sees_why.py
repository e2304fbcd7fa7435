"""Farid's question is hidden: on its page he reads why (the reason and the rule), and is notified."""

import pytest

from townsquare.community.models import Notification
from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.flags import flag

pytestmark = pytest.mark.django_db


def topic_page(client, topic):
    return client.get(f"/community/t/{topic.pk}/")


def test_farid_sees_why_his_question_was_hidden(client, question, members, eve, rule_3):
    moderate(eve, "hide", topic_id=question.pk, reason="Shares a referral code", rule=3)
    client.force_login(members["farid"])
    page = topic_page(client, question)
    if page.status_code in (301, 302):
        page = client.get(page["Location"])
    assert page.status_code == 200
    assert (
        "Hidden by a moderator: Shares a referral code (rule 3: No referral links)" in page.content.decode()
    )
    notice = Notification.objects.get(user=members["farid"], kind="moderation")
    assert notice.topic_id == question.pk and "rule 3: No referral links" in notice.text


def test_bob_sees_his_answer_is_hidden_after_flags(client, bobs_answer, question, members):
    from tests.community.conftest import at_trust_level

    at_trust_level(members["dana"], 3)
    flag(members["dana"], post_id=bobs_answer.pk, reason="offensive")
    client.force_login(members["bob"])
    page = topic_page(client, question)
    if page.status_code in (301, 302):
        page = client.get(page["Location"])
    assert "until a moderator reviews it (rude or abusive)" in page.content.decode()

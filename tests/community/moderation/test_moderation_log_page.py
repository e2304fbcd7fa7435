"""The moderation log is public: what, when, which rule, which role, why - and no names."""

import re

import pytest

from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.suspensions import suspend

pytestmark = pytest.mark.django_db
URL = "/community/moderation/log/"


def test_anyone_reads_the_log_without_private_data(client, bobs_answer, members, eve, rule_3):
    moderate(eve, "hide", post_id=bobs_answer.pk, reason="Referral code in the answer", rule=3)
    suspend(eve, members["dana"].pk, days=2, reason="Insulted members twice")
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Referral code in the answer" in text and "Rule 3: No referral links" in text
    assert "Insulted members twice" in text and ">moderator<" in text
    assert not re.search(r"\b(Dana|dana|Eve|eve)\b", text)
    assert "Hold the power button" not in text  # the hidden answer's text


def test_eve_sees_the_full_log(client, bobs_answer, members, eve):
    moderate(eve, "edit", post_id=bobs_answer.pk, body="Hold it down.", reason="Removed a shop link")
    client.force_login(eve)
    text = client.get(URL).content.decode()
    assert "Eve" in text and "Bob" in text and "Hold the power button" in text
    assert client.get(URL + "?before=abc").status_code == 200

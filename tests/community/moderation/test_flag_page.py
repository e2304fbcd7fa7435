"""Dana flags Bob's answer from its page; Farid (new) is told he needs trust level 1."""

import pytest

from townsquare.community.models import Flag

pytestmark = pytest.mark.django_db


def url(post) -> str:
    return f"/community/flag/post/{post.pk}/"


def test_dana_flags_an_answer_from_the_page(client, bobs_answer, members, rule_3):
    assert client.get(url(bobs_answer)).status_code == 302  # sign in first
    client.force_login(members["dana"])
    page = client.get(url(bobs_answer))
    assert page.status_code == 200 and "Rule 3: No referral links" in page.content.decode()
    missing_rule = client.post(url(bobs_answer), {"reason": "rule"})
    assert missing_rule.status_code == 400 and "rule number" in missing_rule.content.decode()
    done = client.post(url(bobs_answer), {"reason": "rule", "rule": rule_3.pk, "note": "a referral code"})
    assert done.status_code == 302 and done["Location"].startswith(f"/community/t/{bobs_answer.topic_id}/")
    assert Flag.objects.get().note == "a referral code"
    again = client.post(url(bobs_answer), {"reason": "spam"})
    assert again.status_code == 409 and "already flagged" in again.content.decode()


def test_farid_is_told_what_he_needs(client, bobs_answer, members):
    client.force_login(members["farid"])
    refused = client.post(url(bobs_answer), {"reason": "spam"})
    assert refused.status_code == 403 and "trust level 1" in refused.content.decode()
    assert client.get("/community/flag/post/999999/").status_code == 404
    assert client.get(f"/community/flag/space/{bobs_answer.pk}/").status_code == 404
    assert not Flag.objects.exists()

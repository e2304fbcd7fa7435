"""Resolution rate, reopen rate and the share resolved by peers, each a proportion with its n."""

import pytest
from scipy import stats

from tests.insights.care_story import MONDAY, care, converse, seconds

pytestmark = pytest.mark.django_db


def clopper_pearson(k, n):
    low = 0.0 if k == 0 else stats.beta.ppf(0.025, k, n - k + 1)
    high = 1.0 if k == n else stats.beta.ppf(0.975, k + 1, n - k)
    return low, high


def test_resolution_rate_is_resolved_now_among_all_conversations(hook):
    for i in range(7):
        converse(hook, MONDAY + seconds(i), reply_after=60, resolve_after=600)
    converse(hook, MONDAY, reply_after=60, resolve_after=600, reopen_after=900)  # open again
    for _ in range(4):
        converse(hook, MONDAY)
    rate = care()["figures"]["resolution_rate"]
    assert (rate["value"], rate["n"]) == (pytest.approx(7 / 12, abs=1e-6), 12)
    assert rate["ci95"] == pytest.approx(list(clopper_pearson(7, 12)), abs=1e-6)


def test_reopen_rate_is_reopened_among_conversations_ever_resolved(hook):
    for _ in range(6):
        converse(hook, MONDAY, reply_after=60, resolve_after=600)
    for _ in range(2):
        converse(hook, MONDAY, reply_after=60, resolve_after=600, reopen_after=700)
    converse(hook, MONDAY)  # never resolved: not in the base
    rate = care()["figures"]["reopen_rate"]
    assert (rate["value"], rate["n"]) == (pytest.approx(2 / 8, abs=1e-6), 8)


def test_peer_share_counts_ambassador_and_community_resolutions_among_resolved(hook, bob, alice):
    converse(hook, MONDAY, assignee=bob, reply_after=60, resolve_after=600)  # bob the ambassador
    converse(hook, MONDAY, peer=True, reply_after=60, resolve_after=600)  # an accepted community answer
    for _ in range(3):
        converse(hook, MONDAY, assignee=alice, reply_after=60, resolve_after=600)
    converse(hook, MONDAY, peer=True)  # a peer answered but it is not resolved: not in the base
    share = care()["figures"]["peer_share"]
    assert (share["value"], share["n"]) == (pytest.approx(2 / 5, abs=1e-6), 5)
    assert share["too_small"]

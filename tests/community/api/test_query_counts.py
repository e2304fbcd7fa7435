"""Reading the community costs the same number of queries however many topics, answers and
comments there are (an N+1 query fails here)."""

import pytest

from townsquare.community.posting import answer, ask, comment

from .conftest import API

pytestmark = pytest.mark.django_db


def grow(space, members, topics: int, answers: int):
    made = []
    for n in range(topics):
        topic = ask(
            members["farid"], space, f"Question number {n} about pairing", "It blinks red.", tags=[f"t{n}"]
        )
        for m in range(answers):
            reply = answer(members["bob"], topic, f"Answer {m}: hold the button.")
            comment(members["dana"], topic, f"Thanks {m}", parent=reply)
        made.append(topic)
    return made


def queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_and_topic_do_not_grow(client, devices_space, members, django_assert_max_num_queries):
    small = grow(devices_space, members, topics=1, answers=1)
    list_small = queries(client, f"{API}/topics", django_assert_max_num_queries, 10)
    topic_small = queries(client, f"{API}/topics/{small[0].pk}", django_assert_max_num_queries, 10)
    big = grow(devices_space, members, topics=5, answers=2)
    assert queries(client, f"{API}/topics", django_assert_max_num_queries, 10) == list_small
    assert queries(client, f"{API}/topics/{big[-1].pk}", django_assert_max_num_queries, 10) == topic_small

"""A question with many answers reads page by page: the accepted one first, then by score."""

import pytest

from townsquare.community.models import Post, Topic
from townsquare.community.views.thread import ANSWERS_PER_PAGE

pytestmark = pytest.mark.django_db


def test_answers_come_in_pages_with_the_accepted_one_first(client, devices_space, members):
    topic = Topic.objects.create(
        space=devices_space, title="Which cable?", body="For charging.", author=members["farid"]
    )
    answers = [
        Post.objects.create(topic=topic, author=members["bob"], body=f"Answer number {i}", score=i % 7)
        for i in range(ANSWERS_PER_PAGE + 5)
    ]
    accepted = answers[-1]
    Topic.objects.filter(pk=topic.pk).update(accepted_post=accepted, answer_count=len(answers))
    first = client.get(f"/community/t/{topic.pk}/which-cable/")
    shown = [entry.post.pk for entry in first.context["thread"].answers]
    assert len(shown) == ANSWERS_PER_PAGE and shown[0] == accepted.pk
    scores = [entry.post.score for entry in first.context["thread"].answers[1:]]
    assert scores == sorted(scores, reverse=True)
    assert f"{len(answers)} answers" in first.content.decode()
    second = client.get(f"/community/t/{topic.pk}/which-cable/", {"page": 2})
    rest = [entry.post.pk for entry in second.context["thread"].answers]
    assert len(rest) == 5 and not set(rest) & set(shown)
    assert {*shown, *rest} == {answer.pk for answer in answers}
    # Nonsense page numbers are the first page, never an error.
    for page in ("x", "-1", "0", "99999999999"):
        assert client.get(f"/community/t/{topic.pk}/which-cable/", {"page": page}).status_code == 200

"""Farid opens his question after Bob answered: that notification is read, others stay unread."""

import pytest

from townsquare.community.models import Notification
from townsquare.community.posting import answer, ask

pytestmark = pytest.mark.django_db


def test_opening_a_topic_marks_its_notifications_read(client, devices_space, members):
    farid, bob = members["farid"], members["bob"]
    question = ask(farid, devices_space, "Headphones will not pair", "They blink red.")
    other = ask(farid, devices_space, "Speaker is quiet", "Even at full volume.")
    answer(bob, question, "Hold the button for ten seconds.")
    answer(bob, other, "Check the equaliser settings.")
    unread = Notification.objects.filter(user=farid, read_at__isnull=True)
    assert unread.filter(topic=question).exists() and unread.filter(topic=other).exists()
    client.force_login(farid)
    assert client.get(f"/community/t/{question.pk}/", follow=True).status_code == 200
    assert not unread.filter(topic=question).exists()
    assert unread.filter(topic=other).exists()

"""Staff answers appear in the care timeline as the brand's replies, Farid's follow-ups as his
messages; other members' answers stay in the community."""

import pytest

from tests.community.conftest import at_trust_level
from townsquare.community.posting import answer, comment
from townsquare.inbox.models import Message

pytestmark = pytest.mark.django_db


def thread(topic):
    topic.refresh_from_db()
    return list(
        Message.objects.filter(conversation=topic.conversation_id)
        .order_by("created_at", "id")
        .values_list("direction", "external_id")
    )


def test_staff_answer_and_askers_comment_are_mirrored(farids_question, members, alice):
    at_trust_level(alice, 2)
    staff = answer(alice, farids_question, "Hold the button for ten seconds until it blinks blue.")
    peer = answer(members["dana"], farids_question, "Mine needed a firmware update first.")
    thanks = comment(members["farid"], farids_question, "That worked, thank you!", parent=staff)
    assert thread(farids_question) == [
        ("in", f"topic:{farids_question.pk}"),
        ("out", f"post:{staff.pk}"),
        ("in", f"post:{thanks.pk}"),
    ]
    assert not Message.objects.filter(external_id=f"post:{peer.pk}").exists()
    brand = Message.objects.get(external_id=f"post:{staff.pk}").author
    assert brand.is_brand and brand.customer_id is None

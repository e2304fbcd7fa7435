"""Who waits after a batch: the oldest customer message after the brand's last one, per conversation."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from townsquare.inbox.ingest.store import _waiting_customers


@dataclass
class Stub:
    created_at: datetime
    direction: str
    auto_reply: bool


def by_definition(new, conversation_of, written):
    """The rule spelled out: sort each conversation's messages by time (ties keep batch order)."""
    threads: dict[int, list] = {}
    for e, m in new.items():
        messages = threads.setdefault(conversation_of[e], [])
        if not m.auto_reply:
            messages.append((m.created_at, m.direction, written[e]))
    waiting = {}
    for conversation_id, messages in threads.items():
        messages.sort(key=lambda item: item[0])
        brand = [i for i, (_, direction, _) in enumerate(messages) if direction == "out"]
        unanswered = messages[brand[-1] + 1 :] if brand else messages
        waiting[conversation_id] = (bool(brand), unanswered[0][2] if unanswered else None)
    return waiting


T0 = datetime(2026, 11, 20, tzinfo=UTC)
MESSAGE = st.tuples(st.integers(0, 5), st.sampled_from(["in", "out"]), st.booleans(), st.integers(1, 4))


@given(st.lists(MESSAGE, max_size=40))
def test_the_two_pass_answer_is_the_rule(messages):
    new = {
        f"m{i}": Stub(T0 + timedelta(minutes=minute), d, auto)
        for i, (minute, d, auto, _) in enumerate(messages)
    }
    conversation_of = {f"m{i}": c for i, (*_, c) in enumerate(messages)}
    written = {e: f"written {e}" for e in new}
    assert _waiting_customers(new, conversation_of, written) == by_definition(new, conversation_of, written)


def test_a_customer_writing_at_the_same_minute_as_the_brand_waits_if_listed_after_it():
    new = {"b": Stub(T0, "out", False), "c": Stub(T0, "in", False), "d": Stub(T0, "in", True)}
    waiting = _waiting_customers(new, dict.fromkeys(new, 1), {e: e for e in new})
    assert waiting == {1: (True, "c")}

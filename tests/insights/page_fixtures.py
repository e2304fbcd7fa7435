"""A small, hand-checkable set of conversations and their facts for the insights pages' tests.

Twitter: 11 conversations answered after 1, 2, … 11 minutes, 8 of them resolved.
Email: 4 conversations answered after 30 minutes, none resolved.
Facts are written straight into the projection (the fold has its own tests), next to real
conversations so drill-down links lead somewhere.
"""

from datetime import UTC, datetime, timedelta

from tests.web.conftest import conversation
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.insights import report
from townsquare.insights.models import ConversationFact

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TWITTER_WAITS = [60 * k for k in range(1, 12)]
EMAIL_WAITS = [1800] * 4


def fact(conv, *, channel, wait: float, resolved: bool, day: int) -> ConversationFact:
    started = START + timedelta(days=day)
    return ConversationFact.objects.create(
        conversation_id=conv.pk,
        channel_id=channel.pk,
        channel_kind=channel.kind,
        started_at=started,
        first_inbound_at=started,
        first_response_at=started + timedelta(seconds=wait),
        first_response_seconds=wait,
        status="resolved" if resolved else "open",
        resolved_at=started + timedelta(hours=2) if resolved else None,
        resolution_seconds=7200.0 if resolved else None,
        inbound_count=1,
        outbound_count=1,
        language="en",
        kind="question",
    )


def build(twitter: Channel, *, extra: int = 0) -> dict:
    """The fixture; `extra` more twitter conversations (answered after an hour) to check that a
    page costs the same number of queries with more data."""
    email = Channel.objects.create(name="email", kind=ChannelKind.EMAIL)
    made = {"twitter": [], "email": []}
    waits = [("twitter", twitter, w, i < 8) for i, w in enumerate(TWITTER_WAITS)]
    waits += [("email", email, w, False) for w in EMAIL_WAITS]
    waits += [("twitter", twitter, 3600.0, True)] * extra
    for i, (name, channel, wait, resolved) in enumerate(waits):
        conv = conversation(channel, [("in", f"{name} question {i}"), ("out", "answer")], handle=f"c{i}")
        fact(conv, channel=channel, wait=wait, resolved=resolved, day=i % 7)
        made[name].append(conv)
    return {"email_channel": email, **made}


def only_sections(monkeypatch, **sections) -> None:
    """The report computes just these sections: figures checked by hand do not depend on what
    the other areas' sections do with the same data (they have their own tests)."""
    monkeypatch.setattr(report, "SECTION_MODULES", [])
    monkeypatch.setattr(report, "SECTIONS", dict(sections))

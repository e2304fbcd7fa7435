"""A conversation's messages as the SLA clocks see them: who spoke when, in thread order."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from townsquare.inbox.models import Direction, Message


@dataclass(frozen=True, slots=True)
class Said:
    inbound: bool
    written_at: datetime  # when the author wrote it: thread order
    received_at: datetime  # when Townsquare had it: the team cannot answer before


class Timeline:
    def __init__(self, said: list[Said]):
        self.said = said  # oldest first

    def first_inbound(self) -> Said | None:
        return next((s for s in self.said if s.inbound), None)

    def first_reply_after(self, moment: datetime | None) -> datetime | None:
        """When the brand first wrote after `moment`."""
        if moment is None:
            return None
        return next((s.written_at for s in self.said if not s.inbound and s.written_at > moment), None)

    def first_inbound_after(self, moment: datetime) -> Said | None:
        return next((s for s in self.said if s.inbound and s.written_at > moment), None)

    def last_reply(self) -> datetime | None:
        return next((s.written_at for s in reversed(self.said) if not s.inbound), None)


def timelines(conversation_ids) -> dict[int, Timeline]:
    """The timelines of these conversations, in one query (served by the message_thread index)."""
    said: dict[int, list[Said]] = defaultdict(list)
    rows = (
        Message.objects.filter(conversation_id__in=list(conversation_ids))
        .order_by("conversation_id", "created_at", "id")
        .values_list("conversation_id", "direction", "created_at", "received_at")
    )
    for conversation_id, direction, written, received in rows:
        said[conversation_id].append(Said(direction == Direction.INBOUND, written, received))
    return {cid: Timeline(said.get(cid, [])) for cid in conversation_ids}

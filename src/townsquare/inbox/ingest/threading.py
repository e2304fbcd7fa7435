"""Which conversation each newly stored message belongs to. Pure Python, no database.

A reply joins its parent's conversation. The parent may be in the same batch, already stored,
or not stored yet; in the last case the reply starts a provisional conversation of its own,
which is merged into the parent's when the parent arrives (see store.py). A message may carry a
hint instead (`InboundMessage.conversation_id`, e.g. an email's reply token): when its parent is
unknown it joins that conversation rather than starting one.
"""

from dataclasses import dataclass, field


@dataclass
class NewConversation:
    root: str  # external id of the message that starts it
    members: list[str] = field(default_factory=list)


@dataclass
class Threading:
    # external id -> id of an existing conversation it joins
    joins: dict[str, int] = field(default_factory=dict)
    # conversations to create, each with the external ids of its messages
    new: list[NewConversation] = field(default_factory=list)
    # external id -> database id of its parent (known now)
    parent_ids: dict[str, int] = field(default_factory=dict)


def thread_batch(
    parents: dict[str, str | None],
    new_ids: dict[str, int],
    stored_parents: dict[str, tuple[int, int | None]],
    hints: dict[str, int] | None = None,
) -> Threading:
    """Place new messages into conversations.

    parents:        external id -> parent external id (or None), for every newly stored message
    new_ids:        external id -> database id, for every newly stored message
    stored_parents: parent external id -> (database id, conversation id) for parents already stored
    hints:          external id -> existing conversation id to join when no parent places the message
    """
    result = Threading()
    anchor: dict[str, tuple[str, object]] = {}  # external id -> ("join", conv id) | ("new", root)

    for external_id in parents:
        if external_id in anchor:
            continue
        chain: list[str] = []
        seen: set[str] = set()
        current = external_id
        found: tuple[str, object] | None = None
        while True:
            if current in anchor:
                found = anchor[current]
                break
            chain.append(current)
            seen.add(current)
            parent = parents.get(current)
            if parent is None or parent in seen:  # a root, or a reply cycle in bad data
                found = _new_or_hinted(current, hints)
                break
            if parent in new_ids:
                current = parent
                continue
            known = stored_parents.get(parent)
            if known is not None and known[1] is not None:
                found = ("join", known[1])
            else:
                found = _new_or_hinted(current, hints)  # parent not stored yet: provisional conversation
            break
        for member in chain:
            anchor[member] = found

    groups: dict[str, NewConversation] = {}
    for external_id, (how, target) in anchor.items():
        if how == "join":
            result.joins[external_id] = target
        else:
            group = groups.get(target)
            if group is None:
                group = groups[target] = NewConversation(root=target)
                result.new.append(group)
            group.members.append(external_id)
        parent = parents[external_id]
        if parent is not None and parent != external_id:
            if parent in new_ids:
                result.parent_ids[external_id] = new_ids[parent]
            elif parent in stored_parents:
                result.parent_ids[external_id] = stored_parents[parent][0]
    return result


def _new_or_hinted(external_id: str, hints: dict[str, int] | None) -> tuple[str, object]:
    if hints and external_id in hints:
        return ("join", hints[external_id])
    return ("new", external_id)

"""The process-wide duplicate index, warmed from stored fingerprints and kept in step with them.

One global index (not one per channel): the same outage reported by email and on a social
network, or one spam campaign across channels, is one group; memory is bounded by
TRIAGE_DUPLICATE_WINDOW whatever the number of channels. Before each batch the index loads the
fingerprints other processes stored since it last looked, so several workers (or a `retriage`
run) agree on the groups.
"""

import threading

from django.conf import settings

from townsquare.labels.models import MessageLabels

_lock = threading.Lock()
_state: dict = {}


def duplicate_index():
    """The index, caught up with every fingerprint stored so far (the newest window of them)."""
    from townsquare.triage.dedupe import DuplicateIndex

    with _lock:
        window = settings.TRIAGE_DUPLICATE_WINDOW
        if _state.get("window") != window:
            _state.update(window=window, index=DuplicateIndex(max_items=window), seen_up_to=None)
        _catch_up(_state, window)
        return _state["index"]


def forget() -> None:
    """Drop the index; the next batch rebuilds it from storage (tests, or after a bulk retriage)."""
    with _lock:
        _state.clear()


def _catch_up(state: dict, window: int) -> None:
    from townsquare.triage.dedupe import Fingerprint

    stored = MessageLabels.objects.filter(fingerprint__isnull=False, duplicate_group__isnull=False)
    if state["seen_up_to"] is not None:
        stored = stored.filter(semantic_at__gt=state["seen_up_to"])
    rows = list(
        stored.order_by("-semantic_at", "-message_id").values_list(
            "message_id", "duplicate_group", "fingerprint", "semantic_at"
        )[:window]
    )
    if not rows:
        return
    rows.reverse()  # load() wants them in the order they were first added
    state["index"].load(
        (str(message_id), group, Fingerprint.from_bytes(bytes(data))) for message_id, group, data, _ in rows
    )
    state["seen_up_to"] = rows[-1][3]

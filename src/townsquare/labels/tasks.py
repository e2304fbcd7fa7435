"""Background triage: the fast path on queue `triage` (its own quick-polling worker), then the
semantic path on queue `semantic`, so embedding work never delays the next fast batch."""

from townsquare.tasks import reliable_task
from townsquare.tasks.reliable import running_result_id

MAX_ATTEMPTS = 3


class TriageIncomplete(RuntimeError):
    """Some messages of the batch failed; the retry runs only those."""


def attempt_number() -> int:
    """Which attempt of its task this is (1 outside a database worker)."""
    from townsquare.tasks.attempts import attempt_of

    result_id = running_result_id.get()
    return 1 if result_id is None else attempt_of(result_id).number


def not_yet_labelled(message_ids: list[int]) -> list[int]:
    """On a retry, only the messages the earlier attempt did not label (failed or never stored)."""
    from townsquare.labels.models import MessageLabels, TriageStatus

    done = MessageLabels.objects.filter(message_id__in=message_ids).exclude(status=TriageStatus.FAILED)
    return sorted(set(message_ids) - set(done.values_list("message_id", flat=True)))


@reliable_task(max_attempts=MAX_ATTEMPTS, queue_name="triage")
def triage_fast_task(message_ids: list[int], then_semantic: bool = True) -> dict:
    """Fast labels for these messages, then (unless told not to) the semantic path for those that
    got them."""
    from townsquare.labels.enqueue import enqueue_semantic
    from townsquare.labels.fast import label_fast

    retry = attempt_number() > 1
    outcome = label_fast(not_yet_labelled(message_ids) if retry else message_ids)
    if outcome.labelled and then_semantic:
        enqueue_semantic(outcome.labelled)
    if outcome.failed:
        raise TriageIncomplete(f"{len(outcome.failed)} of {len(message_ids)} messages failed the fast path")
    return outcome.as_dict()


@reliable_task(max_attempts=MAX_ATTEMPTS, queue_name="semantic")
def triage_semantic_task(message_ids: list[int]) -> dict:
    from townsquare.labels.semantic import label_semantic

    outcome = label_semantic(message_ids, only_failed=attempt_number() > 1)
    if outcome.failed:
        raise TriageIncomplete(
            f"{len(outcome.failed)} of {len(message_ids)} messages failed the semantic path"
        )
    return outcome.as_dict()

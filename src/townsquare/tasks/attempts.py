"""Following a reliable task across its attempts."""

from dataclasses import dataclass
from uuid import UUID

from django_tasks_db.models import DBTaskResult

from townsquare.tasks.models import Attempt


@dataclass(frozen=True)
class AttemptNumber:
    number: int
    first_result_id: UUID


def attempt_of(result_id) -> AttemptNumber:
    row = Attempt.objects.filter(result_id=result_id).values_list("number", "first_result_id").first()
    if row is None:
        return AttemptNumber(1, UUID(str(result_id)))
    return AttemptNumber(*row)


def latest_attempt(result_id) -> DBTaskResult:
    """The newest attempt of the task that `result_id` (any of its attempts) belongs to."""
    first = attempt_of(result_id).first_result_id
    newest = (
        Attempt.objects.filter(first_result_id=first).order_by("-number").values_list("result_id").first()
    )
    return DBTaskResult.objects.get(id=newest[0] if newest else first)

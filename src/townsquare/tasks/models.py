"""Attempt numbers of reliable tasks: each retry is a new task result, linked to the ones before."""

from django.db import models
from django_tasks_db.models import DBTaskResult


class Attempt(models.Model):
    """Attempt 2, 3, … of a reliable task. A task result without a row here is a first attempt."""

    result = models.OneToOneField(DBTaskResult, on_delete=models.CASCADE, primary_key=True, related_name="+")
    number = models.PositiveSmallIntegerField()
    # Plain ids: the results of earlier attempts may be pruned before this one.
    first_result_id = models.UUIDField(db_index=True)
    # Unique: a failed attempt has at most one successor, whoever noticed the failure.
    previous_result_id = models.UUIDField(unique=True)

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.first_result_id}"

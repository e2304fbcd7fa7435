import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from townsquare.events.log import record
from townsquare.events.models import AppendOnlyError, Event


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_app():
    event = record("demo.happened", data={"n": 1})
    event.data = {"n": 2}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(kind="x")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()


@pytest.mark.django_db
def test_the_database_refuses_updates_to_events():
    event = record("demo.happened")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET kind = 'edited' WHERE id = %s", [event.pk])
    assert Event.objects.get(pk=event.pk).kind == "demo.happened"

"""The full-text index follows every way a topic is written, not only the services: a bulk
import, a moderator's update, an edited accepted answer, a deleted topic. And if a later schema
change rebuilds the topic table (SQLite drops its triggers then), migrate puts them back."""

import pytest
from django.db import connection

from townsquare.community.models import Post, Topic
from townsquare.community.search import schema, search

pytestmark = pytest.mark.django_db


def found(text):
    return [result.topic.pk for result in search(text, mode="text").results]


def test_rows_written_without_the_services_are_indexed(devices_space):
    # As the Stack Exchange importer writes them: bulk inserts, then accepted answers set by update.
    router, battery = Topic.objects.bulk_create(
        [
            Topic(space=devices_space, title="Router resets every night", body="It reboots at 3 am."),
            Topic(space=devices_space, title="Battery drains overnight", body="The router is fine."),
        ]
    )
    if router.pk is None:  # backends without RETURNING on bulk inserts
        router, battery = Topic.objects.order_by("pk")
    reply = Post.objects.create(topic=battery, body="Replace the purple cable.")
    assert found("router") == [router.pk, battery.pk]
    assert found("purple") == []
    Topic.objects.filter(pk=battery.pk).update(accepted_post=reply)
    assert found("purple") == [battery.pk]
    Post.objects.filter(pk=reply.pk).update(body="Replace the orange cable.")
    assert found("orange") == [battery.pk] and found("purple") == []
    Topic.objects.filter(pk=router.pk).update(title="Modem resets every night")
    assert found("modem") == [router.pk]
    Topic.objects.filter(pk=battery.pk).delete()
    assert found("router") == [] and found("orange") == []


def test_migrate_puts_back_triggers_a_table_rebuild_dropped(devices_space):
    Topic.objects.create(space=devices_space, title="Router resets every night", body="At 3 am.")
    with connection.cursor() as cursor:
        for name in schema.SQLITE_TRIGGERS if connection.vendor == "sqlite" else schema.POSTGRES_TRIGGERS:
            on = (
                ""
                if connection.vendor == "sqlite"
                else f" ON {'community_post' if 'answer' in name else 'community_topic'}"
            )
            cursor.execute(f"DROP TRIGGER {name}{on}")
    assert schema.missing_triggers(connection)
    written_meanwhile = Topic.objects.create(space=devices_space, title="Charger gets hot", body="Very hot.")
    assert found("charger") == []
    assert schema.ensure(connection) is True
    assert schema.missing_triggers(connection) == []
    assert found("charger") == [written_meanwhile.pk]
    assert len(found("router")) == 1
    assert schema.ensure(connection) is False


def test_an_index_from_an_older_version_is_rebuilt(devices_space):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's index has had one version so far")
    topic = Topic.objects.create(space=devices_space, title="¿Cómo reinicio el módem?", body="Cada noche.")
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON TABLE community_topic_search IS 'townsquare search v1'")
        cursor.execute("UPDATE community_topic_search SET document = to_tsvector('simple', 'stale')")
    assert found("modem") == []
    assert schema.ensure(connection) is True
    assert found("modem") == [topic.pk]
    assert schema.ensure(connection) is False

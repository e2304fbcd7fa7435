"""Community search: topic embeddings, and the full-text index each database keeps by itself.

The full-text index is maintained by triggers in the database, not by the services, so every
way a topic is written (the services, a bulk import, an admin edit, a moderator's change) keeps
it in step. SQLite gets an FTS5 table (title, body, the accepted answer's text); PostgreSQL gets
a side table with one weighted `tsvector` per topic and a GIN index (configuration 'simple': no
stemming, so every language is treated alike). Neither table is a Django model: Django never
reads or writes them except through `townsquare.community.search` (whose `schema` module holds
the SQL, so that `post_migrate` can put back triggers a later table rebuild dropped).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def install(apps, schema_editor):
    from townsquare.community.search import schema

    schema.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from townsquare.community.search import schema

    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TopicEmbedding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("vector", models.BinaryField()),
                ("model_version", models.CharField(max_length=40)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "topic",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="embedding",
                        to="community.topic",
                    ),
                ),
            ],
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]

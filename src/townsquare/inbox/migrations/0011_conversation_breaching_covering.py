# The breaching-soon index also carries queue, assignee and waiting_since, so the saved views'
# open counts (and the visibility test on those rows) read the index alone.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inbox', '0010_inbox_page_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='conversation',
            name='conversation_breaching',
        ),
        migrations.AddIndex(
            model_name='conversation',
            index=models.Index(
                fields=['not_for_us', 'status', 'sla_due_at', 'id', 'queue', 'assignee', 'waiting_since'],
                name='conversation_breaching',
            ),
        ),
    ]

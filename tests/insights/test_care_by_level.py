"""Carol reads the care figures by who handled the conversations: ambassadors, agents, supervisors."""

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.insights.filters import Filters
from townsquare.insights.models import ConversationFact
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db


def test_the_table_by_level_names_each_rung(alice, bob):
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    rows = []
    for number, (user, level) in enumerate([(alice, "agent")] * 3 + [(bob, "ambassador")] * 2 + [(None, "")]):
        rows.append(
            ConversationFact(
                conversation_id=number + 1,
                started_at=start + timedelta(hours=number),
                first_inbound_at=start + timedelta(hours=number),
                assignee_id=user.pk if user else None,
                handler_level=level,
            )
        )
    ConversationFact.objects.bulk_create(rows)
    care = build_report(Filters(), sections=["care"], fresh=False).as_json()["care"]
    tables = {table["dimension"]: table for table in care["tables"]}
    by_level = {row["label"]: row["volume"]["value"] for row in tables["level"]["rows"]}
    assert by_level["agent"] == 3
    assert by_level["ambassador"] == 2
    by_agent = {row["label"]: row["volume"]["value"] for row in tables["agent"]["rows"]}
    assert by_agent["alice"] == 3 and by_agent["bob"] == 2

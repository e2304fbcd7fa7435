"""After an import, members' reputation and counters are what a fold of the event log gives."""

import io
import json

import pytest
from django.core.management import call_command

from tests.community.importers.conftest import XML_SAMPLE, ingest
from townsquare.community.models import Member

pytestmark = pytest.mark.django_db


def dry_run_recompute() -> dict:
    out = io.StringIO()
    call_command("community-recompute", "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_running_values_kept_by_the_import_equal_the_recomputed_ones():
    summary = ingest(XML_SAMPLE, "--no-recompute")

    assert summary["recomputed"] is False
    assert Member.objects.filter(reputation__gt=0).exists()
    differences = dry_run_recompute()
    assert differences["members_checked"] == Member.objects.count()
    for change in differences["changes"]:
        # The import keeps reputation and counters; trust levels and badges are the recompute's job.
        assert set(change) <= {"user", "trust_level"}, change


def test_the_import_ends_with_the_recompute_so_trust_levels_and_badges_follow_the_history():
    summary = ingest(XML_SAMPLE)

    assert summary["recomputed"] is True
    assert dry_run_recompute()["members_changed"] == 0
    assert Member.objects.filter(trust_level__gte=1).exists()

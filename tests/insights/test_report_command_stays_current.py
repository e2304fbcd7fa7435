"""`townsquare run`'s periodic checks fold new events, so a report needs no catching up."""

import pytest

from tests.insights.twcs_by_hand import ingest, threads
from townsquare.insights.filters import Filters
from townsquare.insights.models import ConversationFact
from townsquare.insights.projection import behind
from townsquare.insights.report import build_report
from townsquare.ops import periodic

pytestmark = pytest.mark.django_db


def test_the_periodic_checks_fold_the_event_log():
    ingest()
    assert ConversationFact.objects.count() == 0 and behind() > 0
    assert periodic.refresh_insights in periodic.JOBS
    periodic.refresh_insights("worker-1")
    assert behind() == 0
    assert ConversationFact.objects.count() == len(threads()) == 13
    # A report that folds nothing itself already has every conversation.
    assert build_report(Filters(), sections=[], fresh=False).as_json()["resolution_rate"]["n"] == 13

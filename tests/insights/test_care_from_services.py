"""Through the real services: threads ingested from a file, resolved and reopened by Carol, rated
through the survey link; the care section agrees with what happened, counted by hand."""

import io
import json
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from tests.insights.care_story import care
from townsquare.inbox.models import Conversation
from townsquare.replies.csat import answer_survey
from townsquare.replies.models import CsatSurvey
from townsquare.replies.status import change_status

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
WAITS = [45, 300, 60, 1200, 90, 30, 600, 150, 75, 3600, 20]  # seconds to the brand's reply, one per thread


def ingest(hook, tmp_path):
    lines = []
    for i, wait in enumerate(WAITS):
        asked = START + timedelta(hours=i)
        lines.append(
            {
                "id": f"q{i}",
                "author": f"customer{i}",
                "text": "my order is late, help?",
                "created_at": asked.isoformat(),
            }
        )
        lines.append(
            {
                "id": f"a{i}",
                "author": "brand",
                "text": "Sorry! Looking into it now.",
                "created_at": (asked + timedelta(seconds=wait)).isoformat(),
                "direction": "out",
                "in_reply_to": f"q{i}",
            }
        )
    lines.append(
        {
            "id": "lonely",
            "author": "customer99",
            "text": "anyone there?",
            "created_at": START.isoformat(),
        }
    )
    path = tmp_path / "threads.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(path), "--format", "jsonl", "--channel", hook.name, "--json", stdout=out)
    assert json.loads(out.getvalue())["stored"] == len(lines)


def resolve(actor, conversation):
    if conversation.status == "new":
        change_status(actor, conversation, "open")
    change_status(actor, conversation, "resolved")


@pytest.fixture
def untriaged(settings):
    settings.TRIAGE_ON_INGEST = False


def test_care_figures_follow_ingest_status_changes_and_survey_answers(hook, carol, tmp_path, untriaged):
    ingest(hook, tmp_path)
    conversations = list(Conversation.objects.order_by("started_at", "pk"))
    assert len(conversations) == len(WAITS) + 1
    for conversation in conversations[:6]:
        resolve(carol, conversation)
    change_status(carol, conversations[0], "open")  # reopened: resolved once, not now
    scores = [5, 4, 2, 5]
    for conversation, score in zip(conversations[1:5], scores, strict=True):
        answer_survey(CsatSurvey.objects.get(conversation=conversation).token, score)

    figures = care()["figures"]
    assert figures["volume"]["value"] == len(WAITS) + 1
    assert figures["first_response_median"]["n"] == len(WAITS)
    assert figures["first_response_median"]["value"] == pytest.approx(statistics.median(WAITS))
    assert (figures["resolution_rate"]["value"], figures["resolution_rate"]["n"]) == (
        pytest.approx(5 / 12, abs=1e-6),
        12,
    )
    assert (figures["reopen_rate"]["value"], figures["reopen_rate"]["n"]) == (
        pytest.approx(1 / 6, abs=1e-6),
        6,
    )
    assert figures["csat_mean"]["value"] == pytest.approx(statistics.mean(scores), abs=1e-6)
    assert figures["csat_satisfied"]["value"] == pytest.approx(3 / 4, abs=1e-6)

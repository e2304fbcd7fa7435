"""An operator runs `townsquare community-escalate` from cron; `townsquare run` sweeps on its own."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from townsquare.events.models import Event
from townsquare.ops import periodic

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("community-escalate", *args, stdout=out)
    return out.getvalue()


def test_dry_run_then_sweep(farids_question):
    due = (farids_question.created_at + timedelta(hours=24)).isoformat()
    early = (farids_question.created_at + timedelta(hours=23)).isoformat()
    assert json.loads(run("--dry-run", "--json", "--now", early)) == {"due": []}
    assert json.loads(run("--dry-run", "--json", "--now", due)) == {"due": [farids_question.pk]}
    assert not Event.objects.filter(kind="community.question_escalated").exists()
    farids_question.refresh_from_db()
    assert run("--now", due) == (
        f"escalated: topic {farids_question.pk} -> conversation {farids_question.conversation_id}\n"
    )
    assert run("--now", due) == "escalated: none\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "yesterday"], "not an ISO 8601"),
        (["--now", "2026-11-20T10:00"], "no time zone"),
        (["--limit", "0"], "at least 1"),
    ],
)
def test_bad_arguments(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db(transaction=True)  # the checks close the connection when done
def test_the_periodic_checks_sweep(farids_question, devices_space):
    devices_space.unanswered_after_hours = 0
    devices_space.save()
    periodic.run_periodic_checks("live-worker")
    assert Event.objects.filter(kind="community.question_escalated").count() == 1
    farids_question.refresh_from_db()
    assert farids_question.escalated_at is not None

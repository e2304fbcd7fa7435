"""The demo comes with a care set-up, so `make run` shows routing, SLA clocks and canned replies at once."""

import pytest

from townsquare.care.models import AgentProfile, Queue, Team
from townsquare.care.rules import validate_rules
from townsquare.ops.seed import seed_demo
from townsquare.replies.canned import check_template
from townsquare.replies.models import CannedReply
from townsquare.sla.calendar import make_calendar
from townsquare.sla.models import BusinessCalendar, SlaPolicy

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Team, Queue, AgentProfile, BusinessCalendar, SlaPolicy, CannedReply)]


def test_the_demo_has_teams_queues_agents_slas_and_canned_replies(settings):
    settings.TRIAGE_ON_INGEST = False
    seed_demo()
    assert counts() == [2, 3, 4, 1, 3, 6]
    assert set(Team.objects.get(name="Billing").members.values_list("username", flat=True)) == {
        "bruno",
        "carol",
    }
    spanish = Queue.objects.get(name="Spanish")
    assert spanish.rules == {"language": ["es"]} and spanish.team.name == "Billing"
    bob = AgentProfile.objects.get(user__username="bob")
    assert list(bob.queues.values_list("name", flat=True)) == ["Community"]


def test_everything_the_demo_seeds_passes_the_validation_a_user_would_meet(settings):
    settings.TRIAGE_ON_INGEST = False
    seed_demo()
    for queue in Queue.objects.all():
        assert validate_rules(queue.rules) == queue.rules
    calendar = BusinessCalendar.objects.get()
    make_calendar(calendar.time_zone, calendar.hours, calendar.holidays.values_list("date", flat=True))
    for canned in CannedReply.objects.all():
        check_template(canned.text)


def test_seeding_again_changes_nothing(settings):
    settings.TRIAGE_ON_INGEST = False
    seed_demo()
    before = counts()
    seed_demo()
    assert counts() == before

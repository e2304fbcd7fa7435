"""`townsquare run` sends due SLA warnings and breaches from its periodic check, next to task recovery."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.sla.helpers import converse, policy
from townsquare.events.models import Event
from townsquare.ops.management.commands import run
from townsquare.sla.clocks import start_clocks

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_periodic_check_sends_breaches(twitter):
    policy(first_response_minutes=30)
    long_ago = timezone.now() - timedelta(hours=2)
    dana = converse(twitter, ("in", long_ago))
    start_clocks([dana.pk], now=long_ago)

    run.worker_supervisor().periodic("live-worker")

    assert Event.objects.filter(kind="sla.breached", conversation_id=dana.pk).count() == 1

"""`townsquare sla_check --loop`: a pass, a sleep without a database connection, the next pass."""

import pytest
from django.core.management import call_command

from tests.sla.helpers import MONDAY_9, converse, minutes, policy
from townsquare.events.models import Event
from townsquare.sla.clocks import start_clocks
from townsquare.sla.monitor import check

# The loop closes its connections between passes, which a test transaction would not survive.
pytestmark = pytest.mark.django_db(transaction=True)
T = MONDAY_9


def test_the_loop_keeps_checking_until_stopped(twitter, capsys, monkeypatch):
    policy(first_response_minutes=60, warn_before_minutes=15, resolution_minutes=None)
    dana = converse(twitter, ("in", T))
    start_clocks([dana.pk], now=T)
    monkeypatch.setattr("townsquare.sla.monitor._escalate", lambda conversation: False)
    passes = iter([T + minutes(50), T + minutes(61)])
    monkeypatch.setattr("townsquare.sla.management.commands.sla_check.check", lambda: check(now=next(passes)))
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("townsquare.sla.management.commands.sla_check.time.sleep", sleep)
    with pytest.raises(KeyboardInterrupt):
        call_command("sla_check", "--loop", "--interval", "5")
    assert sleeps == [5, 5]
    kinds = list(
        Event.objects.filter(kind__in=["sla.warning", "sla.breached"]).values_list("kind", flat=True)
    )
    assert kinds == ["sla.warning", "sla.breached"]
    assert "warnings 1" in capsys.readouterr().out

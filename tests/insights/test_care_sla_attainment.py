"""SLA attainment: met / (met + breached) among conversations whose timed clock started."""

import pytest

from tests.insights.care_story import MONDAY, care, converse

pytestmark = pytest.mark.django_db


def test_first_response_and_resolution_attainment_leave_out_running_and_untracked_clocks(hook):
    # Met: replied (first response) and resolved (resolution) with no breach.
    for _ in range(5):
        converse(
            hook,
            MONDAY,
            reply_after=60,
            resolve_after=600,
            sla={"first_response": "met", "resolution": "met"},
        )
    # First response breached, then replied and resolved: resolution met.
    for _ in range(2):
        converse(
            hook,
            MONDAY,
            reply_after=9000,
            resolve_after=9600,
            sla={"first_response": "breached", "resolution": "met"},
        )
    # Replied in time, resolution breached and still open.
    converse(hook, MONDAY, reply_after=60, sla={"first_response": "met", "resolution": "breached"})
    # Still waiting, clocks running: neither met nor breached yet.
    converse(hook, MONDAY, sla={"first_response": "running", "resolution": "running"})
    # No policy applied: untracked.
    converse(hook, MONDAY, reply_after=60, resolve_after=600)
    figures = care()["figures"]
    first, resolution, overall = (
        figures["sla_first_response"],
        figures["sla_resolution"],
        figures["sla_attainment"],
    )
    assert (first["value"], first["n"]) == (pytest.approx(6 / 8, abs=1e-6), 8)
    assert (resolution["value"], resolution["n"]) == (pytest.approx(7 / 8, abs=1e-6), 8)
    # Every timed clock met: the 5 only (the 2 + 1 breached one clock each).
    assert (overall["value"], overall["n"]) == (pytest.approx(5 / 8, abs=1e-6), 8)

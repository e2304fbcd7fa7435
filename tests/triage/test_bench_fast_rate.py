"""The fast-path bench reports messages per CPU-second: a per-core rate that other processes on
the machine do not lower (the wall-clock rate rides along for comparison)."""

from bench.triage import child, cpu_rate, rate


def test_cpu_rate_divides_by_cpu_seconds_not_wall_seconds():
    result = {"count": 1000, "seconds": 0.5, "cpu_seconds": 0.1}
    assert cpu_rate(result) == 10_000
    assert rate(result) == 2_000


def test_fast_child_reports_the_cpu_seconds_it_spent():
    result = child("fast", 300)
    assert result["count"] == 300
    assert 0 < result["cpu_seconds"]
    assert cpu_rate(result) > 0

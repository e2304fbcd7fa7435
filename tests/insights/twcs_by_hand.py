"""The TWCS sample's threads and their care figures, worked out from the CSV alone.

A thread is a tweet and every reply under it. First response: the first customer tweet to the
first brand tweet after it. Imported threads are resolved when the brand spoke last, at its last
tweet. Medians and their intervals, rates and their intervals are computed here from the
textbook formulas, never by the code under test.
"""

import csv
import io
import statistics
from datetime import datetime
from pathlib import Path

from django.core.management import call_command
from scipy import stats

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "twcs_sample.csv"


def ingest(channel: str = "twitter") -> None:
    call_command("ingest", str(FIXTURE), "--format", "twcs", "--channel", channel, stdout=io.StringIO())


def threads(path: Path = FIXTURE) -> list[dict]:
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    ids = {r["tweet_id"] for r in rows}
    parent = {r["tweet_id"]: r["in_response_to_tweet_id"] for r in rows}

    def root(tweet):
        while parent.get(tweet) in ids:
            tweet = parent[tweet]
        return tweet

    grouped: dict[str, list] = {}
    for r in rows:
        when = datetime.strptime(r["created_at"], "%a %b %d %H:%M:%S %z %Y")
        grouped.setdefault(root(r["tweet_id"]), []).append((when, r["inbound"] == "True"))
    found = []
    for messages in grouped.values():
        messages.sort()
        inbound = [t for t, is_in in messages if is_in]
        outbound = [t for t, is_in in messages if not is_in]
        first_in = inbound[0] if inbound else None
        after = [t for t in outbound if first_in and t >= first_in]
        ended_by_brand = bool(inbound and outbound and outbound[-1] >= inbound[-1])
        found.append(
            {
                "start": first_in or messages[0][0],
                "first_response": (after[0] - first_in).total_seconds() if after else None,
                "resolution": max(0.0, (outbound[-1] - first_in).total_seconds()) if ended_by_brand else None,
                "resolved": ended_by_brand,
            }
        )
    return found


def median_with_ci(values: list[float]) -> dict:
    """The median and the distribution-free interval between order statistics l and u, the
    narrowest symmetric pair with P(X(l) <= median <= X(u)) >= 95% (binomial(n, 1/2) tails)."""
    data = sorted(values)
    n = len(data)
    low = int(stats.binom.ppf(0.025, n, 0.5))
    high = int(stats.binom.ppf(0.975, n, 0.5)) + 1
    ci = [data[low - 1], data[high - 1]] if low >= 1 and high <= n else None
    return {"value": statistics.median(data), "n": n, "ci95": ci}


def rate_with_ci(successes: int, n: int) -> dict:
    """Clopper–Pearson: beta quantiles of the exact binomial interval."""
    low = 0.0 if successes == 0 else stats.beta.ppf(0.025, successes, n - successes + 1)
    high = 1.0 if successes == n else stats.beta.ppf(0.975, successes + 1, n - successes)
    return {"value": successes / n, "n": n, "ci95": [low, high]}


def headline(chosen: list[dict]) -> dict:
    return {
        "first_response_seconds": median_with_ci(
            [t["first_response"] for t in chosen if t["first_response"] is not None]
        ),
        "resolution_seconds": median_with_ci(
            [t["resolution"] for t in chosen if t["resolution"] is not None]
        ),
        "resolution_rate": rate_with_ci(sum(t["resolved"] for t in chosen), len(chosen)),
    }

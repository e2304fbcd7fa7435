"""One JSON line per result, so `make bench` output can be collected and compared by tools."""

import json
import sys


def emit(bench: str, metric: str, value: float, baseline: float, **extra) -> dict:
    result = {
        "bench": bench,
        "metric": metric,
        "value": round(value, 2),
        "baseline": round(baseline, 2),
        "ratio": round(value / baseline, 3) if baseline else None,
        **extra,
    }
    print(json.dumps(result), flush=True)
    return result


def note(text: str) -> None:
    # Progress goes to stderr so that stdout stays pure JSON lines.
    print(f"bench: {text}", file=sys.stderr, flush=True)

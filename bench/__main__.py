"""`python -m bench [--only ingest|webhook|triage] [--rows N]`: run the benchmarks, one JSON line per result."""

import argparse
import sys

BENCHES = ("ingest", "webhook", "triage")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=BENCHES, help="run one benchmark")
    parser.add_argument("--rows", type=int, default=200_000, help="rows in the ingest speed file")
    parser.add_argument("--memory-rows", type=int, default=1_000_000, help="rows in the ingest memory file")
    parser.add_argument("--messages", type=int, default=20_000, help="messages the webhook bench sends")
    args = parser.parse_args(argv)
    selected = [args.only] if args.only else list(BENCHES)
    if "ingest" in selected:
        from bench import ingest

        ingest.run(rows=args.rows, memory_rows=args.memory_rows)
    if "webhook" in selected:
        from bench import webhook

        webhook.run(messages=args.messages)
    if "triage" in selected:
        from bench import triage

        triage.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())

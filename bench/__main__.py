"""`python -m bench [--only ingest|webhook|triage|inbox|community|insights|livechat] [--rows N]`: run the benchmarks, one JSON line per result."""

import argparse
import sys
from pathlib import Path

BENCHES = ("ingest", "webhook", "triage", "inbox", "community", "insights", "livechat")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=BENCHES, help="run one benchmark")
    parser.add_argument("--rows", type=int, default=200_000, help="rows in the ingest speed file")
    parser.add_argument("--memory-rows", type=int, default=1_000_000, help="rows in the ingest memory file")
    parser.add_argument("--messages", type=int, default=20_000, help="messages the webhook bench sends")
    parser.add_argument("--inbox-messages", type=int, default=1_000_000, help="messages in the inbox fixture")
    parser.add_argument(
        "--inbox-conversations", type=int, help="conversations in the inbox fixture (default: messages / 5)"
    )
    parser.add_argument("--inbox-requests", type=int, default=200, help="timed requests per inbox page")
    parser.add_argument(
        "--inbox-budget",
        type=float,
        default=60.0,
        help="seconds at most per inbox page and mode (min 5 requests)",
    )
    parser.add_argument("--inbox-root", type=Path, help="where inbox fixtures are kept (default var/bench)")
    parser.add_argument("--inbox-pg-url", help="PostgreSQL database for the inbox bench (rebuilt when stale)")
    parser.add_argument(
        "--inbox-backends", default="sqlite,postgres", help="comma-separated: sqlite,postgres"
    )
    parser.add_argument(
        "--community-questions", type=int, default=100_000, help="questions in the community dumps"
    )
    parser.add_argument(
        "--community-posts", type=int, default=500_000, help="answers + comments in the community dumps"
    )
    parser.add_argument(
        "--community-requests", type=int, default=200, help="timed requests per community page"
    )
    parser.add_argument(
        "--community-pg-url", help="PostgreSQL database for the community bench (rebuilt when stale)"
    )
    parser.add_argument(
        "--community-backends", default="sqlite,postgres", help="comma-separated: sqlite,postgres"
    )
    parser.add_argument(
        "--insights-messages", type=int, default=1_000_000, help="messages in the insights log"
    )
    parser.add_argument(
        "--insights-conversations", type=int, help="conversations in the insights log (default: messages / 5)"
    )
    parser.add_argument("--insights-repeats", type=int, default=5, help="timed runs of each insights measure")
    parser.add_argument(
        "--insights-pg-url", help="PostgreSQL database for the insights bench (rebuilt when stale)"
    )
    parser.add_argument(
        "--insights-backends", default="sqlite,postgres", help="comma-separated: sqlite,postgres"
    )
    parser.add_argument(
        "--livechat-sessions", type=int, default=3000, help="chat sockets the sessions bench tries to hold"
    )
    parser.add_argument(
        "--livechat-fanout-sessions", type=int, default=200, help="visitors sending in the fan-out bench"
    )
    parser.add_argument(
        "--livechat-rate", type=float, default=200, help="chat messages per second, all visitors"
    )
    parser.add_argument("--livechat-seconds", type=float, default=20, help="seconds of timed chat messages")
    parser.add_argument(
        "--livechat-agents", type=int, default=2, help="agent console sockets timing arrivals"
    )
    parser.add_argument("--livechat-setups", default="embedded,redis", help="comma-separated: embedded,redis")
    parser.add_argument("--livechat-pg-url", help="PostgreSQL database of the redis setup (recreated)")
    parser.add_argument("--livechat-redis-url", help="Redis of the redis setup (keys under a bench prefix)")
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
    if "inbox" in selected:
        from bench import inbox

        inbox.run(
            messages=args.inbox_messages,
            conversations=args.inbox_conversations or max(1, args.inbox_messages // 5),
            requests=args.inbox_requests,
            warmup=max(1, min(20, args.inbox_requests // 10)),
            root=args.inbox_root or inbox.DEFAULT_ROOT,
            pg_url=args.inbox_pg_url or inbox.DEFAULT_PG_URL,
            budget=args.inbox_budget,
            backends=tuple(name.strip() for name in args.inbox_backends.split(",") if name.strip()),
        )
    if "community" in selected:
        from bench import community

        community.run(
            questions=args.community_questions,
            posts=args.community_posts,
            requests=args.community_requests,
            warmup=max(1, min(20, args.community_requests // 10)),
            root=args.inbox_root or community.DEFAULT_ROOT,
            pg_url=args.community_pg_url or community.DEFAULT_PG_URL,
            budget=args.inbox_budget,
            backends=tuple(name.strip() for name in args.community_backends.split(",") if name.strip()),
        )
    if "insights" in selected:
        from bench import insights

        insights.run(
            messages=args.insights_messages,
            conversations=args.insights_conversations or max(1, args.insights_messages // 5),
            repeats=args.insights_repeats,
            root=args.inbox_root or insights.DEFAULT_ROOT,
            pg_url=args.insights_pg_url or insights.DEFAULT_PG_URL,
            backends=tuple(name.strip() for name in args.insights_backends.split(",") if name.strip()),
        )
    if "livechat" in selected:
        from bench import livechat

        livechat.run(
            sessions=args.livechat_sessions,
            fanout_sessions=args.livechat_fanout_sessions,
            rate=args.livechat_rate,
            seconds=args.livechat_seconds,
            agents=args.livechat_agents,
            root=args.inbox_root or livechat.DEFAULT_ROOT,
            setup_names=tuple(name.strip() for name in args.livechat_setups.split(",") if name.strip()),
            pg_url=args.livechat_pg_url or livechat.DEFAULT_PG_URL,
            redis_url=args.livechat_redis_url or livechat.DEFAULT_REDIS_URL,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

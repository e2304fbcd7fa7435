"""Build the community bench's database by importing the synthetic dumps (a child with Django set up).

    python -m bench.community_fixture DUMP_DIR [--import-only | --after-only]

Each site's dump goes through the real importer (`import_stackexchange`), one space per site, and
is timed: this is the import throughput the bench reports. Then what a deployment would run
after an import: the search index and embeddings if the search package offers a rebuild, and
planner statistics. Prints one JSON line with the import summaries and timings.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

AFTER_IMPORT = (
    # What a deployment runs after an import: recognition from the log, then search's embeddings.
    ("community-recompute", []),
    ("community-embed", ["--all"]),
)


def after_import() -> dict:
    """Run the after-import commands that exist; {name: seconds or the error that stopped it}.

    Another part's command failing (a half-finished change) must not cost the imported fixture:
    the error is reported in the output and the pages are timed all the same.
    """
    from django.core.management import call_command, get_commands

    done, commands = {}, get_commands()
    for name, args in AFTER_IMPORT:
        if name not in commands:
            continue
        began = time.perf_counter()
        try:
            call_command(name, *args)
        except Exception as exc:  # noqa: BLE001 - reported, see the docstring
            done[name] = f"failed: {exc!r}"[:300]
            print(f"bench: community {name} failed: {exc!r}", file=sys.stderr, flush=True)
            continue
        done[name] = round(time.perf_counter() - began, 1)
    return done


def finish() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        from townsquare.ops.periodic import refresh_sqlite_statistics

        refresh_sqlite_statistics(force=True)
        return
    from django.apps import apps

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(apps.get_models())):
            cursor.execute(statement)
        cursor.execute("ANALYZE")


def main(dump_dir: Path, *, import_only: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    from townsquare.community.importers.stackexchange import import_stackexchange

    imports, began, cpu = [], time.perf_counter(), time.process_time()
    for folder in sorted(path for path in dump_dir.iterdir() if path.is_dir()):
        started = time.perf_counter()
        summary = import_stackexchange(folder, batch_size=5000, recompute=False)
        seconds = time.perf_counter() - started
        imports.append({**summary.as_dict(), "wall_seconds": round(seconds, 2)})
        print(
            f"bench: community import {folder.name}: {summary.posts:,} posts in {seconds:.1f}s "
            f"({summary.posts / seconds:,.0f} posts/s)",
            file=sys.stderr,
            flush=True,
        )
    import_seconds, import_cpu = time.perf_counter() - began, time.process_time() - cpu
    posts = sum(item["posts"] for item in imports)
    # Peak resident memory over all four imports (Linux reports KiB): flat means it does not grow
    # with the dump's size.
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    after = {} if import_only else after_import()
    started = time.perf_counter()
    finish()
    return {
        "imports": imports,
        "posts": posts,
        "topics": sum(item["topics"] for item in imports),
        "import_seconds": round(import_seconds, 2),
        "posts_per_s": round(posts / import_seconds, 1),
        # CPU seconds of this process: what the import costs on a machine busy with other work.
        "import_cpu_seconds": round(import_cpu, 2),
        "posts_per_cpu_s": round(posts / import_cpu, 1),
        "import_peak_rss_mb": round(peak_rss_mb, 1),
        "after_import": {**after, "statistics": round(time.perf_counter() - started, 1)},
    }


def resume() -> dict:
    """`--after-only`: the imports are in the database already (a build stopped after them)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    after = after_import()
    started = time.perf_counter()
    finish()
    return {"after_import": {**after, "statistics": round(time.perf_counter() - started, 1)}}


if __name__ == "__main__":
    if "--after-only" in sys.argv[2:]:
        print(json.dumps(resume()))
    else:
        print(json.dumps(main(Path(sys.argv[1]), import_only="--import-only" in sys.argv[2:])))

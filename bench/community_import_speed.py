"""Time the current importer on one site of the community bench's dumps, apart from the cached fixture.

    python -m bench.community_import_speed [SITE]

The cached fixture keeps the import timings of the run that built it; this imports one site's
dump (150,000 posts at the default sizes) into a fresh SQLite database with the code as it is
now, then writes the same rows with raw executemany into another, and prints one JSON line.
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench.community import DEFAULT_ROOT
from bench.community_cache import dumps
from bench.inbox_cache import django_env, run_child
from bench.report import emit


def main(site: str = "beer", root: Path = DEFAULT_ROOT) -> dict:
    folder = dumps(root, 100_000, 500_000) / f"{site}.stackexchange.com"
    work = Path(tempfile.mkdtemp(prefix="community-import-", dir=root))
    try:
        (work / "dump").mkdir()
        (work / "dump" / folder.name).symlink_to(folder)
        imported, empty = work / "imported", work / "empty"
        for data_dir in (imported, empty):
            data_dir.mkdir()
            run_child(
                ["-m", "townsquare.cli", "migrate", "--noinput", "--skip-checks"],
                django_env(data_dir),
                "migrate",
            )
        out = run_child(
            ["-m", "bench.community_fixture", str(work / "dump"), "--import-only"],
            django_env(imported),
            "import",
        )
        summary = json.loads(out.strip().splitlines()[-1])
        print(f"bench: community import of {site}: {json.dumps(summary)}", file=sys.stderr, flush=True)
        out = run_child(
            [
                "-m",
                "bench.community_baseline",
                str(imported / "townsquare.sqlite3"),
                str(empty / "townsquare.sqlite3"),
            ],
            django_env(empty),
            "baseline",
        )
        baseline = json.loads(out.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return emit(
        "community",
        "sqlite_import_one_site_posts_per_s",
        summary["posts_per_s"],
        baseline["posts_per_s"],
        unit="posts/s",
        baseline_name="the same rows with raw sqlite3 executemany",
        posts=summary["posts"],
        posts_per_cpu_s=summary["posts_per_cpu_s"],
        baseline_posts_per_cpu_s=baseline["posts_per_cpu_s"],
        import_peak_rss_mb=summary["import_peak_rss_mb"],
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])

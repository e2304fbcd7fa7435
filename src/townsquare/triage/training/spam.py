"""Spam head: youtube-spam comments (UCI, CC BY 4.0), 20% held out with the seed.

Adding enron-spam and arabic-spam-tweets lowered held-out F1(spam) on youtube-spam
(0.946 -> 0.939 at seed 0), so the shipped head uses youtube-spam alone.
"""

from pathlib import Path

from townsquare.triage.training import fit_linear_head
from townsquare.triage.training.datasets import held_out_split, read_rows

NAME = "spam"
DATASET = "youtube-spam/youtube_spam.csv"


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    rows = read_rows(data_dir, DATASET)
    texts = [row["content"] for row in rows]
    labels = [row["label"] for row in rows]
    train_rows, test_rows = held_out_split(labels, seed)
    head, report, _ = fit_linear_head(NAME, texts, labels, train_rows, test_rows, seed, c=30.0)
    path = head.save(out_dir)
    return {
        "model": NAME,
        "data": "youtube-spam",
        "rows": len(rows),
        "held_out": report,
        "positive": "spam",
        "artifact": str(path),
        "bytes": path.stat().st_size,
    }

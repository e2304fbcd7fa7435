"""Where the training data lives, how to read it, and the seeded held-out split."""

import csv
import os
from pathlib import Path

import numpy as np

_REPO = Path(__file__).resolve().parents[4]


class DataMissing(RuntimeError):
    """The training data directory or one of its files is not there."""


def default_data_dir() -> Path:
    """$TOWNSQUARE_TRAINING_DATA, else <repo>/../shared/data."""
    configured = os.environ.get("TOWNSQUARE_TRAINING_DATA")
    return Path(configured) if configured else _REPO.parent / "shared" / "data"


def read_rows(data_dir: Path, relative: str) -> list[dict[str, str]]:
    """Every row of one CSV under the data directory, as dicts keyed by its header."""
    path = Path(data_dir) / relative
    if not path.is_file():
        raise DataMissing(f"training data {path} is missing (set TOWNSQUARE_TRAINING_DATA or pass --data)")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def held_out_split(labels: list[str], seed: int, fraction: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row indices: `fraction` of each class held out, chosen with `seed`."""
    rng = np.random.default_rng(seed)
    labels_array = np.asarray(labels)
    train, test = [], []
    for label in sorted(set(labels)):
        rows = np.flatnonzero(labels_array == label)
        rng.shuffle(rows)
        cut = int(round(len(rows) * fraction))
        test.append(rows[:cut])
        train.append(rows[cut:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))

"""Trainers: seeded held-out scores, reproducible artifacts, clear errors without data."""

import csv
from pathlib import Path

import pytest

from townsquare.triage.heads import LinearHead
from townsquare.triage.training import promo
from townsquare.triage.training.datasets import DataMissing, held_out_split
from townsquare.triage.training.run import available_trainers, format_table, train_all

SPAM = ["check out my channel {}", "subscribe to my channel please {}", "free money at my site {}"]
HAM = ["this song is great {}", "I remember this from school {}", "best video ever {}"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A miniature copy of the shared data layout (synthetic rows) for the spam trainer."""
    rows = [
        ["f", "v", str(i), "a", "d", template.format(i), "1", "spam"] for i in range(20) for template in SPAM
    ]
    rows += [
        ["f", "v", str(i), "a", "d", template.format(i), "0", "ham"] for i in range(20) for template in HAM
    ]
    _write(
        tmp_path / "youtube-spam" / "youtube_spam.csv",
        ["source_file", "video", "comment_id", "author", "date", "content", "class", "label"],
        rows,
    )
    tweets = [["en", "train", f"watching the game tonight {i}", "neutral", "1"] for i in range(30)]
    _write(
        tmp_path / "xlmt-sentiment" / "train_val.csv", ["lang", "split", "text", "label", "label_id"], tweets
    )
    return tmp_path


def test_spam_trainer_reports_held_out_scores_and_writes_its_head(data_dir, tmp_path):
    (result,) = train_all(data_dir, tmp_path / "out", seed=0, only="spam")
    assert result["held_out"]["n"] == 24  # 20% of 120 youtube rows; the tweets are never held out
    assert result["held_out"]["per_class"]["spam"]["f1"] > 0.9
    head = LinearHead.load("spam", tmp_path / "out")
    assert head.classes == ("ham", "spam")
    assert "f1(spam)" in format_table([result])


def test_training_twice_gives_identical_artifacts(data_dir, tmp_path):
    train_all(data_dir, tmp_path / "first", seed=0, only="spam")
    train_all(data_dir, tmp_path / "second", seed=0, only="spam")
    assert (tmp_path / "first" / "spam.npz").read_bytes() == (tmp_path / "second" / "spam.npz").read_bytes()


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(DataMissing, match="TOWNSQUARE_TRAINING_DATA"):
        train_all(tmp_path / "nowhere", tmp_path / "out", only="spam")
    with pytest.raises(DataMissing, match="youtube_spam.csv"):
        train_all(tmp_path, tmp_path / "out", only="spam")


def test_held_out_split_is_seeded_stratified_and_disjoint():
    labels = ["a"] * 50 + ["b"] * 10
    train, test = held_out_split(labels, seed=0)
    assert sorted([*train, *test]) == list(range(60))
    assert [labels[i] for i in test].count("b") == 2
    assert list(test) == list(held_out_split(labels, seed=0)[1])
    assert list(test) != list(held_out_split(labels, seed=1)[1])


def test_every_fast_path_trainer_is_registered():
    assert {"spam", "promo", "complaint", "sentiment_fast"} <= set(available_trainers())


def test_promo_seed_set_has_offers_and_helpful_replies_in_many_languages():
    rows = promo._seed_rows()
    assert {row["label"] for row in rows} == {"promo", "not_promo"}
    for label in ("promo", "not_promo"):
        assert len({row["lang"] for row in rows if row["label"] == label}) >= 10

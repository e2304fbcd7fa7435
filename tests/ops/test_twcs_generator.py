"""The benchmark's TWCS generator writes files shaped like the real export, and the importer reads them."""

import csv
from datetime import datetime

from bench.twcs_gen import BRANDS, HEADER, generate
from townsquare.inbox.ingest.records import Reject
from townsquare.inbox.ingest.twcs import read_twcs


def test_rows_have_the_twcs_columns_and_parse(tmp_path):
    path = tmp_path / "twcs.csv"
    assert generate(path, 600, seed=3) == 600
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADER
        rows = list(reader)
    assert len(rows) == 600
    assert len({row["tweet_id"] for row in rows}) == 600
    for row in rows:
        datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y")
        assert row["inbound"] in {"True", "False"}
        if row["inbound"] == "True":
            assert row["author_id"].isdigit()
        else:
            assert row["author_id"] in BRANDS
            assert row["in_response_to_tweet_id"], "a brand tweet answers someone"


def test_threads_link_replies_to_tweets_in_the_file(tmp_path):
    path = tmp_path / "twcs.csv"
    generate(path, 2000, seed=5)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ids = {row["tweet_id"] for row in rows}
    replies = [row for row in rows if row["in_response_to_tweet_id"]]
    assert len(replies) > len(rows) / 3
    assert sum(row["in_response_to_tweet_id"] in ids for row in replies) >= len(replies) - 1
    texts = [row["text"] for row in rows]
    assert any("\n" in text for text in texts)
    assert any('"' in text for text in texts)
    assert any("," in text for text in texts)


def test_same_seed_same_file(tmp_path):
    generate(tmp_path / "a.csv", 300, seed=9)
    generate(tmp_path / "b.csv", 300, seed=9)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_the_importer_reads_every_row(tmp_path):
    path = tmp_path / "twcs.csv"
    generate(path, 1000, seed=1)
    with path.open("rb") as handle:
        outcomes = list(read_twcs(handle))
    assert not [outcome for outcome in outcomes if isinstance(outcome, Reject)]
    assert len(outcomes) == 1000

"""DuplicateIndex: exact and spun copies group, unrelated texts don't, groups are stable and bounded."""

import random

import numpy as np
import pytest

from townsquare.triage.dedupe import DuplicateIndex, Fingerprint, fingerprint, fingerprints
from townsquare.triage.dedupe.spinner import spin

SPAM = "Hey guys check out my new channel and subscribe, I make awesome videos every week!!! http://bit.ly/a1"
SPUN = (
    "Hi everyone take a look at my latest channel and sub, I create amazing clips every week :) www.x.example"
)
UNRELATED = "I love this song so much, it reminds me of the summer of my childhood"
OTHER = "My order arrived broken and nobody answers my emails"


def test_a_message_matching_nothing_starts_its_own_group():
    index = DuplicateIndex()
    assert index.add_many_detailed(["m1", "m2"], fingerprints([SPAM, UNRELATED])) == [
        ("m1", None),
        ("m2", None),
    ]


def test_exact_copy_after_normalisation_joins_the_group():
    index = DuplicateIndex()
    index.add("m1", fingerprint(SPAM))
    copy = SPAM.upper().replace("http://bit.ly/a1", "https://t.co/zz") + " 🔥"
    assert index.add_many_detailed(["m2"], [fingerprint(copy)]) == [("m1", "exact")]


def test_spun_copy_joins_the_group_as_near():
    index = DuplicateIndex()
    index.add("m1", fingerprint(SPAM))
    index.add("m2", fingerprint(UNRELATED))
    assert index.add_many_detailed(["m3"], [fingerprint(SPUN)]) == [("m1", "near")]


def test_seeded_spun_copies_of_real_comments_are_grouped():
    rng = random.Random(5)
    comments = [
        "Please subscribe to my channel, I upload new music videos every day and I need your support",
        "Check out this free app to get cheap followers fast, it really works for my account",
        "I think this song is really good and it makes me want to dance all night long",
    ]
    grouped = 0
    for comment in comments * 20:
        index = DuplicateIndex()
        index.add("original", fingerprint(comment))
        grouped += index.add("copy", fingerprint(spin(comment, rng))) == "original"
    # The spinner also swaps words the synonym map does not know; heavily spun copies may escape.
    assert grouped >= 0.75 * len(comments) * 20


def test_unrelated_and_same_topic_messages_are_not_grouped():
    index = DuplicateIndex()
    groups = index.add_many(
        ["a", "b", "c", "d"],
        fingerprints([OTHER, "My card was charged twice", "My card has not arrived", UNRELATED]),
    )
    assert groups == ["a", "b", "c", "d"]


def test_empty_and_emoji_only_messages_do_not_group_by_signature():
    index = DuplicateIndex()
    assert index.add_many(["a", "b", "c"], fingerprints(["", "🔥", "😂😂"])) == ["a", "b", "c"]


def test_duplicates_inside_one_batch_are_grouped():
    index = DuplicateIndex()
    assert index.add_many(["a", "b", "c"], fingerprints([SPAM, UNRELATED, SPUN])) == ["a", "b", "a"]


def test_batch_and_one_at_a_time_give_the_same_groups_and_later_adds_change_nothing():
    texts = [SPAM, UNRELATED, SPUN, OTHER, SPAM + " now", UNRELATED.upper()]
    keys = [f"k{i}" for i in range(len(texts))]
    batched = DuplicateIndex().add_many(keys, fingerprints(texts))
    one_by_one = DuplicateIndex()
    seen = []
    for key, fp in zip(keys, fingerprints(texts), strict=True):
        seen.append(one_by_one.add(key, fp))
        assert [one_by_one.group_of(k) for k in keys[: len(seen)]] == seen
    assert batched == seen == ["k0", "k1", "k0", "k3", "k0", "k1"]


def test_adding_a_known_key_again_keeps_its_group():
    index = DuplicateIndex()
    index.add("a", fingerprint(SPAM))
    index.add("b", fingerprint(SPUN))
    assert index.add_many_detailed(["b", "b"], fingerprints([UNRELATED, OTHER])) == [
        ("a", "near"),
        ("a", "near"),
    ]
    assert len(index) == 2


def test_oldest_items_are_evicted_beyond_max_items():
    index = DuplicateIndex(max_items=3)
    index.add_many(["a", "b", "c"], fingerprints([SPAM, UNRELATED, OTHER]))
    index.add("d", fingerprint("Completely different words about the weather in Lisbon today"))
    assert index.group_of("a") is None
    assert len(index) == 3
    # b is still indexed: its copy joins it (and pushes b out) ...
    assert index.add("e", fingerprint(UNRELATED)) == "b"
    assert index.group_of("b") is None
    # ... while a was forgotten: its exact copy starts a new group
    assert index.add("f", fingerprint(SPAM)) == "f"
    assert index._store.allocated <= 3


def test_eviction_inside_one_large_batch_keeps_groups_consistent():
    texts = [SPAM, UNRELATED, OTHER, "Completely different words about the weather in Lisbon today"] * 3
    index = DuplicateIndex(max_items=2)
    groups = index.add_many([f"k{i}" for i in range(len(texts))], fingerprints(texts))
    assert len(index) == 2
    assert groups[:4] == ["k0", "k1", "k2", "k3"]
    assert groups[4:] == [f"k{i}" for i in range(4, len(texts))]  # their twins were evicted already


def test_load_rebuilds_an_index_from_stored_records():
    index = DuplicateIndex()
    keys = ["a", "b", "c"]
    prints = fingerprints([SPAM, UNRELATED, SPUN])
    groups = index.add_many(keys, prints)
    stored = [(key, group, fp.to_bytes()) for key, group, fp in zip(keys, groups, prints, strict=True)]

    restarted = DuplicateIndex()
    restarted.load((key, group, Fingerprint.from_bytes(data)) for key, group, data in stored)
    assert [restarted.group_of(key) for key in keys] == groups
    assert (
        restarted.add("d", fingerprint(SPAM + " again"))
        == index.add("d", fingerprint(SPAM + " again"))
        == "a"
    )


def test_memory_is_bounded_and_reported():
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((50, 512)).astype(np.float32)
    index = DuplicateIndex(max_items=20)
    index.add_many(
        [f"k{i}" for i in range(50)], fingerprints([f"text {i}" for i in range(50)], vectors, ["en"] * 50)
    )
    assert len(index) == 20
    # embedding, MinHash and band hashes, flags: 2.7 KB per item held, however many were added
    assert index.memory_bytes() <= 20 * (512 * 4 + 64 * 4 + 32 * 4 + 5)


def test_mismatched_keys_and_fingerprints_are_a_value_error():
    with pytest.raises(ValueError):
        DuplicateIndex().add_many(["a"], [])


def test_a_slot_reused_inside_a_batch_never_lends_its_old_occupants_embedding():
    vectors = np.eye(4, 512, dtype=np.float32)
    texts = ["where is my parcel", "the app crashes on login", "please cancel my plan", "wo ist mein paket"]
    prints = fingerprints(texts, vectors[[0, 1, 2, 0]], ["en", "en", "en", "de"])
    index = DuplicateIndex(max_items=2)
    index.add_many(["parcel", "crash"], prints[:2])
    # "cancel" takes the parcel's slot before the German parcel question is matched (one chunk of
    # two): the German question must not join "cancel" through the parcel's old similarity.
    assert index.add_many_detailed(["cancel", "paket"], prints[2:]) == [("cancel", None), ("paket", None)]
    roomy = DuplicateIndex(max_items=10)
    roomy.add_many(["parcel", "crash"], prints[:2])
    assert roomy.add_many_detailed(["cancel", "paket"], prints[2:])[1] == ("parcel", "cross_lingual")

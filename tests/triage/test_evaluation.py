"""Scores with seeded bootstrap confidence intervals."""

import time

import numpy as np

from townsquare.triage.evaluation import evaluate, format_report


def test_perfect_predictions_score_one_with_a_degenerate_interval():
    report = evaluate(["spam", "ham", "ham"], ["spam", "ham", "ham"], ("spam", "ham"), task="spam")
    assert report["accuracy"] == 1.0 and report["macro_f1"] == 1.0
    assert report["ci95"]["accuracy"] == [1.0, 1.0]
    assert report["confusion"] == {"labels": ["spam", "ham"], "matrix": [[1, 0], [0, 2]]}


def test_per_class_scores_match_hand_counts():
    gold = ["a", "a", "a", "b", "b", "c"]
    predicted = ["a", "a", "b", "b", "c", "c"]
    report = evaluate(gold, predicted, ("a", "b", "c"))
    assert report["per_class"]["a"] == {
        **report["per_class"]["a"],
        "precision": 1.0,
        "recall": 0.6667,
        "support": 3,
    }
    assert report["per_class"]["b"]["f1"] == 0.5
    assert report["accuracy"] == round(4 / 6, 4)
    low, high = report["per_class"]["b"]["f1_ci95"]
    assert 0.0 <= low <= 0.5 <= high <= 1.0


def test_bootstrap_is_seeded_and_fast():
    rng = np.random.default_rng(1)
    gold = list(rng.choice(["x", "y", "z"], 10_000))
    predicted = [label if rng.random() < 0.8 else "x" for label in gold]
    start = time.perf_counter()
    first = evaluate(gold, predicted, seed=3)
    assert time.perf_counter() - start < 2.0
    assert first == evaluate(gold, predicted, seed=3)
    assert first["ci95"] != evaluate(gold, predicted, seed=4)["ci95"]
    low, high = first["ci95"]["accuracy"]
    assert low < first["accuracy"] < high


def test_labels_seen_only_in_predictions_are_reported():
    report = evaluate(["a", "a"], ["a", "b"], ("a",))
    assert report["confusion"]["labels"] == ["a", "b"]
    assert "confusion (rows: gold" in format_report(report)


def test_a_class_missing_from_a_resample_does_not_drag_macro_f1_down():
    gold = ["rare"] + ["common"] * 40
    report = evaluate(gold, gold, seed=0)
    assert report["ci95"]["macro_f1"] == [1.0, 1.0]
    assert report["per_class"]["rare"]["f1_ci95"] == [1.0, 1.0]


def test_no_rows_gives_zero_scores_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = evaluate([], [], ("a", "b"))
    assert report["n"] == 0 and report["accuracy"] == 0.0 and report["per_class"] == {}


def test_macro_f1_averages_gold_classes_when_the_label_set_is_open():
    # Language id: one Danish text called Swedish. 'sv' is not a gold class, so macro-F1 averages
    # da and no (da lost recall), and the interval agrees with the point estimate.
    gold = ["da"] * 50 + ["no"] * 50
    predicted = ["da"] * 49 + ["sv"] + ["no"] * 50
    report = evaluate(gold, predicted, task="language")
    da_f1 = 2 * 49 / (50 + 49)
    assert report["macro_f1"] == round((da_f1 + 1.0) / 2, 4)
    low, high = report["ci95"]["macro_f1"]
    assert low <= report["macro_f1"] <= high
    assert report["per_class"]["sv"]["f1"] == 0.0


def test_a_declared_label_that_is_only_predicted_still_counts():
    # Kind: the model said "suggestion" where gold never does; for a closed label set that is a
    # class the model got wrong, counted with F1 = 0.
    gold = ["question"] * 10 + ["chatter"] * 10
    predicted = ["question"] * 10 + ["chatter"] * 9 + ["suggestion"]
    report = evaluate(gold, predicted, labels=["question", "chatter", "suggestion"], task="kind")
    chatter_f1 = 2 * 9 / (10 + 9)
    assert report["macro_f1"] == round((1.0 + chatter_f1 + 0.0) / 3, 4)

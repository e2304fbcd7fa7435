"""Trainers for the triage models. Each trainer module has `train(data_dir, out_dir, seed) -> dict`.

`fit_linear_head` is the one recipe every fast-path head shares: fit on the training rows,
score the held-out rows, then refit on every row for the shipped artifact (the held-out score
is the estimate we report; more data only helps a linear bag-of-words model).
"""

from collections.abc import Sequence

import numpy as np

from townsquare.triage.evaluation import evaluate
from townsquare.triage.features import featurize
from townsquare.triage.heads import LinearHead


def logistic_regression(seed: int, c: float, class_weight=None):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000, random_state=seed, class_weight=class_weight)


def fit_linear_head(
    name: str,
    texts: Sequence[str],
    labels: Sequence[str],
    train_rows: np.ndarray,
    test_rows: np.ndarray,
    seed: int,
    c: float = 10.0,
    class_weight=None,
    weights: np.ndarray | None = None,
) -> tuple[LinearHead, dict, np.ndarray]:
    """(head refitted on every row, held-out report of the train_rows fit, its test_rows predictions).

    `weights` (one per row) lets a small hand-written set count more than its size.
    """
    features = featurize(list(texts))
    labels_array = np.asarray(labels)
    weights = np.ones(len(labels_array)) if weights is None else np.asarray(weights, dtype=float)
    model = logistic_regression(seed, c, class_weight).fit(
        features[train_rows], labels_array[train_rows], sample_weight=weights[train_rows]
    )
    predicted = model.predict(features[test_rows])
    report = evaluate(
        list(labels_array[test_rows]), list(predicted), list(model.classes_), seed=seed, task=name
    )
    final = logistic_regression(seed, c, class_weight).fit(features, labels_array, sample_weight=weights)
    return LinearHead.from_estimator(name, final), report, predicted

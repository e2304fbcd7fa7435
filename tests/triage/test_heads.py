"""Linear heads: saved as .npz without pickle, reproducibly, and refused for other features."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from townsquare.triage.features import featurize
from townsquare.triage.heads import ArtifactError, LinearHead, write_npz

TEXTS = ["check out my channel", "subscribe to my channel now", "great song", "love this video"] * 3
LABELS = ["spam", "spam", "ham", "ham"] * 3


def _head() -> LinearHead:
    model = LogisticRegression(C=10, random_state=0).fit(featurize(TEXTS), LABELS)
    return LinearHead.from_estimator("toy", model)


def test_saved_head_predicts_like_the_fitted_one(tmp_path):
    head = _head()
    head.save(tmp_path)
    loaded = LinearHead.load("toy", tmp_path)
    assert loaded.classes == ("ham", "spam")
    probabilities = loaded.probabilities(featurize(["check out my channel", "love this song"]))
    assert probabilities.shape == (2, 2)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities[0, 1] > 0.5 > probabilities[1, 1]


def test_artifact_loads_without_pickle(tmp_path):
    _head().save(tmp_path)
    with np.load(tmp_path / "toy.npz", allow_pickle=False) as data:
        assert data["coef"].dtype == np.float16
        assert set(data.files) == {"coef", "intercept", "classes", "feature_spec"}


def test_two_saves_are_byte_identical(tmp_path):
    _head().save(tmp_path / "a")
    _head().save(tmp_path / "b")
    assert (tmp_path / "a" / "toy.npz").read_bytes() == (tmp_path / "b" / "toy.npz").read_bytes()


def test_a_head_trained_on_other_features_is_refused(tmp_path):
    head = _head()
    write_npz(
        tmp_path / "old.npz",
        {
            "coef": head.coef.astype(np.float16),
            "intercept": head.intercept,
            "classes": np.asarray(head.classes),
            "feature_spec": np.asarray("v0"),
        },
    )
    with pytest.raises(ArtifactError, match="retrain"):
        LinearHead.load("old", tmp_path)


def test_a_missing_head_says_how_to_train_it(tmp_path):
    with pytest.raises(ArtifactError, match="triage-train --only nothing"):
        LinearHead.load("nothing", tmp_path)

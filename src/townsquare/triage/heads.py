"""Linear heads over the shared feature matrix: trained with scikit-learn, shipped as `.npz`.

An artifact holds the weights (float16: half the size, no measurable loss for linear scores),
the intercepts, the class names and the feature spec it was trained on. No pickle: loading is
`np.load(..., allow_pickle=False)`, and prediction is one sparse-dense product in numpy.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from townsquare.triage.features import FEATURE_COUNT, FEATURE_SPEC

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# A fixed timestamp inside the zip makes two training runs byte-identical.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ArtifactError(RuntimeError):
    """An artifact is missing or was built for other features."""


def read_artifact(name: str, directory: Path, spec: str) -> tuple[Path, dict[str, np.ndarray]]:
    """`<directory>/<name>.npz` and its arrays, once it is known to exist and to fit `spec`."""
    path = Path(directory) / f"{name}.npz"
    if not path.exists():
        raise ArtifactError(f"{path} is missing: run `townsquare triage-train --only {name}`")
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    found = str(arrays["feature_spec"]) if "feature_spec" in arrays else "?"
    if found != spec:
        raise ArtifactError(f"{path} was trained on {found!r}, not {spec!r}: retrain")
    return path, arrays


def write_artifact(name: str, directory: Path, spec: str, arrays: dict[str, np.ndarray]) -> Path:
    """Write `<directory>/<name>.npz` with `arrays` and the feature spec `read_artifact` checks."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.npz"
    write_npz(path, {**arrays, "feature_spec": np.asarray(spec, dtype=np.str_)})
    return path


@dataclass(frozen=True)
class LinearHead:
    """Scores = softmax(X @ coef.T + intercept); a binary head has one row and uses the sigmoid."""

    name: str
    classes: tuple[str, ...]
    coef: np.ndarray  # (rows, FEATURE_COUNT) float32; rows = 1 for binary heads
    intercept: np.ndarray  # (rows,) float32

    @classmethod
    def from_estimator(cls, name: str, estimator) -> "LinearHead":
        """From a fitted scikit-learn linear classifier (LogisticRegression, SGDClassifier…)."""
        return cls(
            name=name,
            classes=tuple(str(label) for label in estimator.classes_),
            coef=np.asarray(estimator.coef_, dtype=np.float32),
            intercept=np.asarray(estimator.intercept_, dtype=np.float32),
        )

    def decision(self, features: sp.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef.T) + self.intercept

    def probabilities(self, features: sp.csr_matrix) -> np.ndarray:
        """(n, len(classes)) probabilities, columns in `classes` order."""
        return probabilities_from_decision(self.decision(features))

    def save(self, directory: Path) -> Path:
        arrays = {
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept.astype(np.float32),
            "classes": np.asarray(self.classes, dtype=np.str_),
        }
        return write_artifact(self.name, directory, FEATURE_SPEC, arrays)

    @classmethod
    def load(cls, name: str, directory: Path = ARTIFACTS) -> "LinearHead":
        path, data = read_artifact(name, directory, FEATURE_SPEC)
        coef = data["coef"].astype(np.float32)
        if coef.shape[1] != FEATURE_COUNT:
            raise ArtifactError(f"{path} has {coef.shape[1]} weights per class, expected {FEATURE_COUNT}")
        return cls(
            name=name,
            classes=tuple(str(label) for label in data["classes"]),
            coef=coef,
            intercept=data["intercept"].astype(np.float32),
        )


def probabilities_from_decision(decision: np.ndarray) -> np.ndarray:
    """Sigmoid for one column (returned as two: [negative, positive]), softmax otherwise."""
    if decision.shape[1] == 1:
        positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
        return np.column_stack([1.0 - positive, positive])
    shifted = decision - decision.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez_compressed, but with fixed zip timestamps so equal arrays give equal bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())

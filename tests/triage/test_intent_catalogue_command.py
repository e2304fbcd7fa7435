"""A deployment trains its own intent catalogue and triage uses it instead of the shipped one."""

import csv
from pathlib import Path

import pytest

from townsquare.cli import main
from townsquare.triage import intents
from townsquare.triage.pipeline import triage_semantic

SAMPLE = Path(__file__).parents[1] / "fixtures" / "triage" / "semantic" / "banking77_sample.csv"


def write_examples(path: Path) -> set[str]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows((row["text"], f"acme_{row['intent']}") for row in rows)
    return {f"acme_{row['intent']}" for row in rows}


@pytest.fixture
def own_catalogue(tmp_path, monkeypatch):
    yield tmp_path / "catalogue" / "acme_intents.npz"
    intents.forget_default()


def run(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    captured = capsys.readouterr()
    return stopped.value.code, captured.out, captured.err


def test_triage_uses_the_catalogue_the_deployment_trained(tmp_path, capsys, monkeypatch, own_catalogue):
    labels = write_examples(tmp_path / "examples.csv")
    code, out, _ = run(
        ["triage-intents", "--train", str(tmp_path / "examples.csv"), "--out", str(own_catalogue)], capsys
    )
    assert code == 0
    assert own_catalogue.exists() and "TOWNSQUARE_INTENT_CATALOGUE" in out

    monkeypatch.setenv("TOWNSQUARE_INTENT_CATALOGUE", str(own_catalogue))
    intents.forget_default()
    [result] = triage_semantic(["my card still has not arrived, where is it?"])
    assert {name for name, _ in result.intents} <= labels
    assert result.intents[0][0] == "acme_card_arrival"


def test_one_intent_is_not_a_catalogue(tmp_path, capsys, own_catalogue):
    (tmp_path / "one.csv").write_text(
        "text,label\nwhere is my card,card\nstill no card,card\n", encoding="utf-8"
    )
    code, _, err = run(
        ["triage-intents", "--train", str(tmp_path / "one.csv"), "--out", str(own_catalogue)], capsys
    )
    assert code == 2
    assert "triage-intents:" in err and not own_catalogue.exists()

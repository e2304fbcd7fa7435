"""Grace gives the community its history: the Beer Stack Exchange sample in tests/fixtures/stackexchange."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "stackexchange"
CSV_SAMPLE = SAMPLES / "stackexchange-beer"
XML_SAMPLE = SAMPLES / "beer.stackexchange.com"


def ingest(path: Path, *args: str) -> dict:
    """`townsquare ingest --format stackexchange PATH ARGS --json`; the summary it prints."""
    out = io.StringIO()
    call_command("ingest", str(path), "--format", "stackexchange", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def dump_folder(tmp_path):
    """A writable copy of the XML sample, for tests that spoil a file."""
    folder = tmp_path / "beer.stackexchange.com"
    shutil.copytree(XML_SAMPLE, folder)
    return folder


@pytest.fixture
def csv_folder(tmp_path):
    folder = tmp_path / "stackexchange-beer"
    shutil.copytree(CSV_SAMPLE, folder)
    return folder

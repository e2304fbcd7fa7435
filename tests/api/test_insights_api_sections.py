"""The report through the API with every real section: each one answers, none is a 500."""

import json

import pytest

from tests.insights.twcs_by_hand import ingest
from townsquare.insights.report import SECTIONS, load_sections

pytestmark = pytest.mark.django_db
URL = "/api/v1/insights"


def test_every_registered_section_is_in_the_report_readable_alone_and_exported(client, grace, bearer):
    ingest()
    headers = bearer(grace)
    load_sections()
    assert SECTIONS, "no section is registered"
    report = client.get(f"{URL}/report", headers=headers)
    assert report.status_code == 200, report.content[:500]
    for name in SECTIONS:
        assert report.json()[name]["title"], name
        alone = client.get(f"{URL}/sections/{name}", headers=headers)
        assert alone.status_code == 200, (name, alone.content[:500])
        assert alone.json()["section"]["title"] == report.json()[name]["title"]
    figures = client.get(f"{URL}/export", {"what": "figures", "format": "jsonl"}, headers=headers)
    assert figures.status_code == 200
    rows = [json.loads(line) for line in b"".join(figures.streaming_content).decode().splitlines()]
    assert {row["section"] for row in rows} >= {"headline", "care"}

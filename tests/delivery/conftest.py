import pytest


@pytest.fixture(autouse=True)
def _quiet_delivery(quiet_delivery):
    """Every delivery test: no triage on ingest, retries due within a second."""

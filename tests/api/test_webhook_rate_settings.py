"""The webhook rate limit is a setting read from the environment, with a working default."""

import runpy
from pathlib import Path

import townsquare

SETTINGS_FILE = Path(townsquare.__file__).parent / "settings.py"


def load_settings(monkeypatch, **env) -> dict:
    monkeypatch.setenv("SECRET_KEY", "test-only")
    for name in ("TOWNSQUARE_WEBHOOK_RATE_LIMIT", "TOWNSQUARE_WEBHOOK_RATE_WINDOW_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_the_defaults_allow_600_deliveries_a_minute(monkeypatch):
    loaded = load_settings(monkeypatch)
    assert loaded["WEBHOOK_RATE_LIMIT"] == 600
    assert loaded["WEBHOOK_RATE_WINDOW_SECONDS"] == 60


def test_the_environment_sets_them(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        TOWNSQUARE_WEBHOOK_RATE_LIMIT="5",
        TOWNSQUARE_WEBHOOK_RATE_WINDOW_SECONDS="10",
    )
    assert loaded["WEBHOOK_RATE_LIMIT"] == 5
    assert loaded["WEBHOOK_RATE_WINDOW_SECONDS"] == 10

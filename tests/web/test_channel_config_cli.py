"""`townsquare channel-config NAME`: an operator scripts a channel's configuration; secrets can come
from standard input and are never printed."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.channel_kit import TOKEN, closed_port, probe_channel, probe_service
from townsquare.connectors.secrets import channel_secrets
from townsquare.events.models import Event
from townsquare.inbox.models import Channel

pytestmark = pytest.mark.django_db


def run(*args, stdin: str = "") -> dict:
    out = io.StringIO()
    if stdin:
        sys.stdin = io.StringIO(stdin)
    try:
        call_command("channel_config", *args, "--json", stdout=out)
    finally:
        sys.stdin = sys.__stdin__
    return json.loads(out.getvalue())


def test_the_operator_sets_settings_and_a_secret_from_stdin():
    channel = probe_channel()
    shown = run(
        channel.name,
        "--set",
        "host=127.0.0.1",
        "--set",
        "port=2525",
        "--secret",
        "api_token=-",
        stdin=TOKEN + "\n",
    )
    assert shown["settings"] == {"host": "127.0.0.1", "port": 2525}
    assert shown["secrets_set"] == ["api_token"]
    assert TOKEN not in json.dumps(shown)
    assert channel_secrets(channel) == {"api_token": TOKEN}
    event = Event.objects.get(kind="channel.configured", channel_id=channel.pk)
    assert event.actor_id is None and event.data["via"] == "cli"


def test_an_empty_value_removes_and_the_switch_turns_off():
    channel = probe_channel(host="h", port=1, contact="care@example.com")
    shown = run(channel.name, "--set", "contact=", "--active", "off")
    assert "contact" not in shown["settings"] and shown["active"] is False
    assert Event.objects.filter(kind="channel.disabled", channel_id=channel.pk).exists()


def test_test_prints_the_result_and_fails_the_command_when_the_connection_fails():
    channel = probe_channel(host="127.0.0.1", port=closed_port())
    out = io.StringIO()
    with pytest.raises(CommandError, match="connection test failed: ConnectionRefusedError"):
        call_command("channel_config", channel.name, "--test", "--json", stdout=out)
    assert json.loads(out.getvalue())["test"]["ok"] is False
    with probe_service(token="") as port:
        shown = run(channel.name, "--set", f"port={port}", "--test")
    assert shown["test"] == {"ok": True, "detail": "OK welcome"} and shown["health"] == "ok"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "no channel named 'nobody'"),
        (["probe-1", "--set", "port"], "--set takes key=value"),
        (["probe-1", "--set", "port=many"], "port: must be a whole number"),
        (["probe-1", "--set", "colour=red"], "colour: unknown setting"),
        (["probe-1", "--secret", "api_token=-", "--secret", "signing_key=-"], "only one secret"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    probe_channel(host="h", port=1)
    with pytest.raises(CommandError, match=message):
        call_command("channel_config", *args)
    assert Channel.objects.get(name="probe-1").settings == {"host": "h", "port": 1}


def test_the_plain_listing_names_secrets_without_values():
    channel = probe_channel(host="h", port=1)
    run(channel.name, "--secret", f"api_token={TOKEN}")
    out = io.StringIO()
    call_command("channel_config", channel.name, stdout=out)
    text = out.getvalue()
    assert "api_token = (secret, set)" in text and "host = h" in text and TOKEN not in text


def test_the_townsquare_command_spells_it_with_a_dash():
    result = subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "channel-config", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--secret" in result.stdout and "--test" in result.stdout


def test_the_real_command_line_takes_set_without_clashing_with_djangos_settings_option(tmp_path):
    """`--set` once landed in Django's own `--settings` option: only a real process shows it."""
    env = {**os.environ, "DATABASE_URL": "", "TOWNSQUARE_DATA_DIR": str(tmp_path)}

    def townsquare(*args):
        return subprocess.run(
            [sys.executable, "-m", "townsquare.cli", *args], env=env, capture_output=True, text=True
        )

    assert townsquare("migrate", "-v0").returncode == 0
    created = townsquare("channel", "create", "Brand on Mastodon", "--kind", "mastodon")
    assert created.returncode == 0, created.stderr
    result = townsquare(
        "channel-config",
        "Brand on Mastodon",
        "--set",
        "base_url=https://social.example",
        "--secret",
        "access_token=not-a-real-token",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["settings"]["base_url"] == "https://social.example"

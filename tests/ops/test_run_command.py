"""`townsquare run` wires the steps together; uvicorn and the worker are replaced by fakes here."""

import pytest
from django.core.management import CommandError, call_command

from townsquare.inbox.models import Channel
from townsquare.ops.management.commands import run
from townsquare.ops.startup import DEMO_ADMIN_FILENAME

pytestmark = pytest.mark.django_db


class FakeSupervisor:
    instances: list["FakeSupervisor"] = []

    def __init__(self, command, **options):
        self.command = command
        self.events = []
        FakeSupervisor.instances.append(self)

    def start(self):
        self.events.append("start")

    def stop(self):
        self.events.append("stop")


@pytest.fixture
def served(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []

    def fake_uvicorn_run(app, **options):
        calls.append((app, options))
        raise KeyboardInterrupt  # as if Ctrl-C ended the server

    monkeypatch.setattr("uvicorn.run", fake_uvicorn_run)
    monkeypatch.setattr(run, "Supervisor", FakeSupervisor)
    FakeSupervisor.instances.clear()
    return calls


def test_run_sets_up_serves_and_stops_the_worker(served, tmp_path, capsys):
    call_command("run", "--port", "8123")

    out = capsys.readouterr().out
    password = (tmp_path / DEMO_ADMIN_FILENAME).read_text().strip()
    assert f"Console: http://127.0.0.1:8123/  login: admin / {password}" in out
    assert Channel.objects.count() == 3
    [(app, options)] = served
    assert app == "townsquare.asgi:application"
    assert {k: options[k] for k in ("host", "port", "workers", "lifespan")} == {
        "host": "127.0.0.1",
        "port": 8123,
        "workers": 1,
        "lifespan": "off",
    }
    # Chat frames are small: compressing each cost CPU for nothing; tokens never reach the log.
    assert options["ws_per_message_deflate"] is False
    assert options["log_config"]["filters"]["redact_tokens"]
    general, triage, _ = FakeSupervisor.instances  # two fast-triage workers by default
    assert list(general.command[-6:]) == [
        "db_worker",
        "--no-reload",
        "--queue-name",
        "*",
        "--exclude-queues",
        "triage",
    ]
    # Fast-path triage has its own workers, models loaded before the first task, polling ten
    # times a second (labels within a second).
    assert triage.command[-7] == "triage_worker"
    assert list(triage.command[-6:]) == [
        "--no-reload",
        "--queue-name",
        "triage",
        "--interval",
        "0.1",
        "--no-startup-delay",
    ]
    assert all(worker.events == ["start", "stop"] for worker in FakeSupervisor.instances)


def test_port_comes_from_the_environment(served, monkeypatch, capsys):
    monkeypatch.setenv("PORT", "9001")

    call_command("run", "--no-worker", "--no-demo", "--host", "localhost")

    assert served[0][1]["port"] == 9001
    assert served[0][1]["host"] == "localhost"
    assert not FakeSupervisor.instances
    assert not Channel.objects.exists()
    assert "Console: http://localhost:9001/" in capsys.readouterr().out


def test_the_number_of_triage_workers_is_a_setting(served, settings):
    settings.TRIAGE_WORKERS = 1
    call_command("run", "--no-demo")
    assert len(FakeSupervisor.instances) == 2
    settings.TRIAGE_WORKERS = 0
    with pytest.raises(CommandError, match="TOWNSQUARE_TRIAGE_WORKERS must be at least 1"):
        call_command("run", "--no-demo")

"""Real Townsquare servers for browser journeys that need WebSockets (the Django live server is WSGI).

A `Site` is one data directory (its own SQLite file, migrated once) with the people and the live
chat channel a journey needs, created by a setup script in a subprocess. It starts web processes
(uvicorn serving townsquare.asgi:application, as `townsquare run` does) and a task worker on free
loopback ports; every process is stopped when the journey ends. Two web processes can share the
database and a Redis channel layer (`channel_layer="redis"`, a key prefix of their own).
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 40.0
DATABASE_FILE = "townsquare.sqlite3"
# Settings the parent test process may carry that must not leak into the servers.
DROPPED_ENV = ("DATABASE_URL", "TOWNSQUARE_CHANNEL_LAYER", "TOWNSQUARE_CHANNEL_PREFIX", "REDIS_URL")

SETUP_SCRIPT = """
import json, django
django.setup()
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.people.models import Role, User
PASSWORD = {password!r}
people = {{}}
for username, role in (("grace", Role.ADMIN), ("alice", Role.AGENT)):
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, first_name=username.capitalize(),
        languages=["en"], is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
    )
    people[username] = user.pk
made = [
    Channel.objects.create(name=name, kind=ChannelKind.LIVECHAT, settings=settings)
    for name, settings in {channels!r}.items()
]
channels = {{channel.name: channel.pk for channel in made}}
secrets = {{channel.name: channel.secret for channel in made}}
print(json.dumps({{"people": people, "channels": channels, "secrets": secrets}}))
"""
# A live chat channel that is always staffed and takes the default limits.
DEFAULT_CHAT = {"allowed_origins": [], "agents_online_mode": "always"}
_migrated: dict[str, Path] = {}


def migrated_database(env: dict, scratch: Path) -> Path:
    """Migrate an empty SQLite database once per test run; every Site starts from a copy."""
    if "path" not in _migrated:
        scratch.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "townsquare.cli", "migrate", "--no-input", "-v", "0"],
            env={**env, "TOWNSQUARE_DATA_DIR": str(scratch)},
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        _migrated["path"] = scratch / DATABASE_FILE
    return _migrated["path"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """A child process whose output goes to a log file; `stop()` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            command, env=env, cwd=REPO, stdout=self._log_file, stderr=subprocess.STDOUT
        )

    def output(self, tail: int = 4000) -> str:
        return self.log.read_bytes()[-tail:].decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log_file.close()


class WebProcess(ServerProcess):
    def __init__(self, env: dict, log: Path, port: int | None = None):
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "townsquare.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ws",
            "websockets",
            "--lifespan",
            "off",
            "--no-access-log",
        ]
        super().__init__(command, env, log)
        try:
            self.wait_until_ready()
        except RuntimeError:
            self.stop()
            raise

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"web process exited:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=2) as response:  # noqa: S310 (loopback http)
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"web process not ready after {READY_TIMEOUT} s:\n{self.output()}")


class Site:
    """One Townsquare installation on disk: data directory, database, people, a live chat channel."""

    def __init__(self, root: Path, *, channels: dict[str, dict] | None = None, **env: str):
        from tests.conftest import PASSWORD

        self.root = root
        self.processes: list[ServerProcess] = []
        self.env = {key: value for key, value in os.environ.items() if key not in DROPPED_ENV}
        self.env.update(
            TOWNSQUARE_DATA_DIR=str(root),
            DJANGO_SETTINGS_MODULE="townsquare.settings",
            # Fresh per site: rate-limit keys in a shared Redis cache (hashed with it) never carry over.
            SECRET_KEY=secrets.token_hex(32),
            TOWNSQUARE_UNDO_SEND_SECONDS="0",
            PYTHONUNBUFFERED="1",
        )
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.env.update(env)
        root.mkdir(parents=True, exist_ok=True)
        template = migrated_database(self.env, root.parent / "migrated")
        for suffix in ("", "-wal"):
            if Path(f"{template}{suffix}").exists():
                shutil.copyfile(f"{template}{suffix}", root / f"{DATABASE_FILE}{suffix}")
        script = SETUP_SCRIPT.format(password=PASSWORD, channels=channels or {"site chat": DEFAULT_CHAT})
        made = subprocess.run(
            [sys.executable, "-c", script], env=self.env, cwd=REPO, capture_output=True, text=True, check=True
        )
        created = json.loads(made.stdout.strip().splitlines()[-1])
        self.people: dict[str, int] = created["people"]
        self.channels: dict[str, int] = created["channels"]
        # Each channel's secret, for tests that sign a host identity as the brand's server would.
        self.secrets: dict[str, str] = created["secrets"]

    def web(self, **env: str) -> WebProcess:
        """Start a web process; `env` adds settings (e.g. the Redis channel layer)."""
        name = f"web-{len(self.processes)}.log"
        process = WebProcess({**self.env, **env}, self.root / name)
        self.processes.append(process)
        return process

    def restart(self, web: WebProcess, *, down_while=None) -> WebProcess:
        """Stop a web process and start a new one on the same port; `down_while()` runs in between."""
        web.stop()
        if down_while is not None:
            down_while()
        process = WebProcess(web.env, self.root / f"web-{len(self.processes)}.log", port=web.port)
        self.processes.append(process)
        return process

    def worker(self) -> ServerProcess:
        """A task worker for reply delivery (and routing), polling every 0.1 s.

        Triage is left out: its semantic pass loads a model and takes seconds of CPU per batch,
        which would hold up a delivery behind it (`townsquare run` gives triage workers of its own).
        """
        command = [
            sys.executable,
            "-m",
            "townsquare.cli",
            "db_worker",
            "--no-reload",
            "--queue-name",
            "*",
            "--exclude-queues",
            "triage,semantic",
            "--interval",
            "0.1",
            "--no-startup-delay",
        ]
        process = ServerProcess(command, self.env, self.root / f"worker-{len(self.processes)}.log")
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {process.log.name}\n{process.output()}" for process in self.processes)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def redis_layer(prefix: str) -> dict[str, str]:
    """Settings for web processes that share events through Redis under their own key prefix."""
    return {
        "TOWNSQUARE_CHANNEL_LAYER": "redis",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "TOWNSQUARE_CHANNEL_PREFIX": prefix,
    }

"""The steps `townsquare run` takes before serving: migrate, demo data, demo admin."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command

from townsquare.inbox.models import Channel, Message
from townsquare.people.models import Role, User

ADMIN_USERNAME = "admin"
DEMO_ADMIN_FILENAME = "demo-admin.txt"


def database_is_empty() -> bool:
    return not Message.objects.exists() and not Channel.objects.exists()


def prepare_database(*, load_demo: bool = True, verbosity: int = 0) -> bool:
    """Apply migrations; on a database with no channels and no messages load the demo data.

    Returns whether the demo data was loaded.
    """
    call_command("migrate", interactive=False, verbosity=verbosity)
    if not load_demo or not database_is_empty():
        return False
    call_command("seed_demo", verbosity=verbosity)
    return True


@dataclass(frozen=True)
class DemoAdmin:
    created: bool
    # None when the password file is missing or no longer matches (someone changed the password).
    password: str | None
    password_file: Path


def write_private_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 from the start, so the password is never readable by others, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")
    path.chmod(0o600)


def ensure_demo_admin(data_dir: Path) -> DemoAdmin:
    """Create the `admin` user with a random password kept in `<data_dir>/demo-admin.txt`."""
    password_file = Path(data_dir) / DEMO_ADMIN_FILENAME
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        User.objects.create_user(
            username=ADMIN_USERNAME,
            password=password,
            role=Role.ADMIN,
            is_staff=True,
            is_superuser=True,
            first_name="Admin",
            languages=["en"],
        )
        write_private_file(password_file, password)
        return DemoAdmin(created=True, password=password, password_file=password_file)
    try:
        password = password_file.read_text().strip()
    except FileNotFoundError:
        return DemoAdmin(created=False, password=None, password_file=password_file)
    return DemoAdmin(
        created=False,
        password=password if user.check_password(password) else None,
        password_file=password_file,
    )


def login_line(host: str, port: int, admin: DemoAdmin) -> str:
    url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    if admin.password:
        return f"Console: {url}  login: {ADMIN_USERNAME} / {admin.password}"
    return (
        f"Console: {url}  login: {ADMIN_USERNAME} (password not in {admin.password_file}; "
        f"set a new one with `townsquare changepassword {ADMIN_USERNAME}`)"
    )

"""`townsquare run` makes sure someone can sign in: the demo admin and its password file."""

import stat

import pytest

from townsquare.ops.startup import DEMO_ADMIN_FILENAME, ensure_demo_admin, login_line
from townsquare.people.models import Role, User

pytestmark = pytest.mark.django_db


def test_first_run_creates_the_admin_with_a_private_password_file(tmp_path):
    admin = ensure_demo_admin(tmp_path)

    assert admin.created
    user = User.objects.get(username="admin")
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)
    password_file = tmp_path / DEMO_ADMIN_FILENAME
    assert password_file.read_text().strip() == admin.password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert user.check_password(admin.password)


def test_later_runs_keep_the_password_and_show_it(tmp_path):
    first = ensure_demo_admin(tmp_path)
    again = ensure_demo_admin(tmp_path)

    assert not again.created
    assert again.password == first.password
    assert User.objects.filter(username="admin").count() == 1
    assert login_line("127.0.0.1", 8000, again) == (
        f"Console: http://127.0.0.1:8000/  login: admin / {first.password}"
    )


def test_missing_password_file_says_how_to_reset(tmp_path):
    ensure_demo_admin(tmp_path)
    (tmp_path / DEMO_ADMIN_FILENAME).unlink()

    admin = ensure_demo_admin(tmp_path)

    assert admin.password is None
    assert "townsquare changepassword admin" in login_line("127.0.0.1", 8000, admin)


def test_a_changed_password_is_not_shown_stale(tmp_path):
    ensure_demo_admin(tmp_path)
    user = User.objects.get(username="admin")
    user.set_password("grace chose her own passphrase")
    user.save()

    admin = ensure_demo_admin(tmp_path)

    assert admin.password is None
    assert "changepassword" in login_line("::1", 8000, admin)
    assert "http://[::1]:8000/" in login_line("::1", 8000, admin)

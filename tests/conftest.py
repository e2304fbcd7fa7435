"""Shared fixtures: the people from SCENARIOS.md, as users with their roles."""

import pytest

from townsquare.inbox.models import Channel, ChannelKind
from townsquare.people.models import Role, User

PASSWORD = "correct horse battery staple"  # noqa: S105

# Fixture modules shared across test folders.
pytest_plugins = ["tests.care.escalation_fixtures", "tests.delivery.email_fixtures"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas are created with real passwords; the default hasher costs ~0.5 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items):
    # Every test that uses the database also runs on PostgreSQL (`make test-postgres`).
    for item in items:
        if item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.db)


def make_user(username: str, role: str, languages: list[str]) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        languages=languages,
        first_name=username.capitalize(),
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )


@pytest.fixture
def grace(db):
    """Grace, the admin."""
    return make_user("grace", Role.ADMIN, ["en"])


@pytest.fixture
def alice(db):
    """Alice, an agent on the Devices team (en, de)."""
    return make_user("alice", Role.AGENT, ["en", "de"])


@pytest.fixture
def bruno(db):
    """Bruno, an agent on the Billing team (es, en)."""
    return make_user("bruno", Role.AGENT, ["es", "en"])


@pytest.fixture
def carol(db):
    """Carol, a supervisor."""
    return make_user("carol", Role.SUPERVISOR, ["en"])


@pytest.fixture
def bob(db):
    """Bob, a community ambassador (a customer who helps)."""
    return make_user("bob", Role.AMBASSADOR, ["en", "zh"])


@pytest.fixture
def eve(db):
    """Eve, a moderator."""
    return make_user("eve", Role.MODERATOR, ["en", "de"])


@pytest.fixture
def farid(db):
    """Farid, a customer with a community account."""
    return make_user("farid", Role.CUSTOMER, ["ar", "en"])


@pytest.fixture
def twitter(db):
    """An import channel holding exported support tweets."""
    return Channel.objects.create(name="twitter", kind=ChannelKind.IMPORT)


@pytest.fixture
def hook(db):
    """A webhook channel with its signing secret."""
    return Channel.objects.create(name="shop-webhook", kind=ChannelKind.WEBHOOK)


@pytest.fixture
def import_uploads(settings, tmp_path):
    """Uploads go to a temporary media folder and are imported as soon as the upload commits
    (Django's ImmediateBackend) instead of by a worker; returns the folder uploads land in."""
    from tests.uploads import IMMEDIATE_TASKS

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS
    # These tests are about importing; triage on ingest has its own tests (tests/labels).
    settings.TRIAGE_ON_INGEST = False
    return settings.MEDIA_ROOT / "imports"


@pytest.fixture(autouse=True)
def cold_insights_frames(settings):
    # Tests change facts directly between reports; the warm copy is tested on its own.
    settings.TOWNSQUARE_INSIGHTS_FRAME_CACHE = False

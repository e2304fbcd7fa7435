import pytest

from tests.conftest import make_user
from tests.permissions.world import build_world
from townsquare.people.models import Role

ROLES = {
    "farid": Role.CUSTOMER,
    "eve": Role.MODERATOR,
    "bob": Role.AMBASSADOR,
    "alice": Role.AGENT,
    "carol": Role.SUPERVISOR,
    "grace": Role.ADMIN,
}


@pytest.fixture
def world(db, settings, tmp_path):
    """Every persona, every kind of object an API path names, and a token each."""
    settings.MEDIA_ROOT = tmp_path / "media"
    users = {persona: make_user(persona, role, ["en"]) for persona, role in ROLES.items()}
    return build_world(users)

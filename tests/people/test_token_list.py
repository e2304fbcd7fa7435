"""An admin lists someone's tokens by prefix; the tokens themselves are never shown again."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townsquare.people.tokens import create_token, revoke_token


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_list_shows_prefixes_and_state(alice):
    active, active_plaintext = create_token(alice, "laptop")
    revoked, _ = create_token(alice, "old")
    revoke_token(revoked)
    output = run("list", "alice")
    assert active.prefix in output and revoked.prefix in output
    assert "active" in output and "revoked" in output
    assert active_plaintext not in output


def test_list_json(alice):
    create_token(alice, "laptop")
    body = json.loads(run("list", "alice", "--json"))
    assert body["user"] == "alice"
    assert [t["name"] for t in body["tokens"]] == ["laptop"]
    assert body["tokens"][0]["revoked_at"] is None


def test_list_for_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="no user named"):
        run("list", "nobody")

"""An admin makes a personal API token for someone, from the command line or the service."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townsquare.events.models import Event
from townsquare.people.models import ApiToken
from townsquare.people.tokens import TokenError, create_token, user_for_token


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_json_prints_exactly_one_json_object(alice):
    output = run("create", "alice", "--name", "reporting", "--json")
    body = json.loads(output)  # the whole output, nothing around it
    assert set(body) == {"token", "prefix", "user"}
    assert body["user"] == "alice"
    assert body["token"].startswith("ts_") and len(body["token"]) == 46
    assert body["prefix"] == body["token"][:10]
    assert user_for_token(body["token"]) == alice


def test_only_the_hash_is_stored(alice):
    token, plaintext = create_token(alice, "ci")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in {stored.token_hash, stored.prefix, stored.name}


def test_create_without_json_prints_a_line_with_the_token(alice):
    output = run("create", "alice")
    token = ApiToken.objects.get(user=alice)
    assert output.startswith("ts_")
    assert token.prefix in output and "shown only once" in output


def test_create_for_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        run("create", "nobody", "--json")
    assert not ApiToken.objects.exists()


def test_create_writes_an_event(alice):
    token, _ = create_token(alice, "ci")
    event = Event.objects.get(kind="token.created")
    assert event.actor_id == alice.pk
    assert event.data == {"token_id": token.pk, "user_id": alice.pk, "prefix": token.prefix, "name": "ci"}


def test_each_token_is_different(alice):
    assert create_token(alice)[1] != create_token(alice)[1]


def test_a_name_over_100_characters_is_refused(alice):
    with pytest.raises(TokenError):
        create_token(alice, "x" * 101)

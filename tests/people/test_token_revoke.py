"""A token is revoked by its prefix (CLI) or by its owner (service); it stops working at once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townsquare.events.models import Event
from townsquare.people.tokens import create_token, revoke_token, user_for_token


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_revoke_by_prefix_from_the_cli(alice):
    token, plaintext = create_token(alice, "laptop")
    assert user_for_token(plaintext) == alice
    output = run("revoke", token.prefix)
    assert f"revoked {token.prefix}" in output
    assert user_for_token(plaintext) is None
    assert Event.objects.filter(kind="token.revoked", data__token_id=token.pk).count() == 1


def test_revoking_twice_writes_one_event(alice):
    token, _ = create_token(alice)
    revoke_token(token)
    revoke_token(token)
    assert Event.objects.filter(kind="token.revoked").count() == 1
    assert token.revoked_at is not None


def test_unknown_or_too_short_prefix_is_a_clear_error(alice):
    create_token(alice)
    with pytest.raises(CommandError, match="no active token"):
        run("revoke", "ts_zzzzzzz")
    with pytest.raises(CommandError, match="too short"):
        run("revoke", "ts_")


def test_an_already_revoked_token_cannot_be_found_to_revoke_again(alice):
    token, _ = create_token(alice)
    run("revoke", token.prefix)
    with pytest.raises(CommandError, match="no active token"):
        run("revoke", token.prefix)


def test_revoking_one_token_leaves_the_others(alice):
    kept, kept_plaintext = create_token(alice, "kept")
    gone, _ = create_token(alice, "gone")
    revoke_token(gone, actor=alice)
    assert user_for_token(kept_plaintext) == alice

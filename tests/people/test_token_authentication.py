"""Finding the user behind a token: revoked, inactive and malformed tokens get nobody."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.people.models import ApiToken
from townsquare.people.tokens import create_token, user_for_token


@pytest.mark.parametrize("plaintext", ["", "ts_", "not-a-token", "ts_" + "x" * 43, "ts_" + "x" * 500])
def test_malformed_or_unknown_tokens_get_nobody(db, plaintext):
    assert user_for_token(plaintext) is None


def test_an_inactive_users_token_gets_nobody(alice):
    _, plaintext = create_token(alice)
    alice.is_active = False
    alice.save()
    assert user_for_token(plaintext) is None


def test_last_used_at_is_written_at_most_once_a_minute(alice, django_assert_num_queries):
    token, plaintext = create_token(alice)
    with django_assert_num_queries(2):  # lookup + first stamp
        user_for_token(plaintext)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # lookup only
        user_for_token(plaintext)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    with django_assert_num_queries(2):
        user_for_token(plaintext)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first

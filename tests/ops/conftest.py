import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo admin's password is hashed on every run; PBKDF2 would make these tests take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

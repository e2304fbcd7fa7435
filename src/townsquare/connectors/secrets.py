"""Connector secrets encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256), keys from settings.

The key is derived (HKDF-SHA256) from each of TOWNSQUARE_SECRETS_KEY's comma-separated values, or
from SECRET_KEY when that is unset. The first key encrypts; every key decrypts, so keys rotate by
putting the new one first and running `townsquare reseal-secrets`.
"""

import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretsUnreadable(RuntimeError):
    """The stored secrets were encrypted with a key this installation no longer has."""


def _derive(material: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"townsquare connector secrets").derive(
        material.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_derive(k) for k in keys])


def _current() -> MultiFernet:
    keys = tuple(settings.SECRETS_KEYS) or (settings.SECRET_KEY,)
    return _fernet(keys)


def seal(values: dict) -> str:
    """Encrypt a JSON object of secrets; an empty object seals to the empty string."""
    if not values:
        return ""
    return _current().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def unseal(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_current().decrypt(token.encode()))
    except InvalidToken:
        raise SecretsUnreadable(
            "the channel's secrets were encrypted with another key: set them again, "
            "or put the old key back in TOWNSQUARE_SECRETS_KEY"
        ) from None


def reseal(token: str) -> str:
    """The same secrets encrypted with the current first key."""
    return _current().rotate(token.encode()).decode() if token else ""


def channel_secrets(channel) -> dict:
    from townsquare.connectors.models import ConnectorState

    sealed = (
        ConnectorState.objects.filter(channel_id=channel.pk).values_list("sealed_secrets", flat=True).first()
    )
    return unseal(sealed or "")

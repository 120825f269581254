"""Fake of the SOAR platform's top-level ``encryption_helper`` module (development/tests only).

The real module encrypts with a platform key; this fake only base64-encodes ``plain + ":" + salt`` so that a
value encrypted with one salt (the asset id, by convention) cannot be decrypted with another.
"""

from __future__ import annotations

import base64
import binascii


__all__ = ["decrypt", "encrypt"]

_SEP = ":"


def encrypt(plain, salt):
    """Return the fake ciphertext of ``plain`` bound to ``salt``."""
    if plain is None:
        raise ValueError("Nothing to encrypt")
    if salt is None or str(salt) == "":
        raise ValueError("An encryption salt is required")
    raw = f"{plain}{_SEP}{salt}".encode()
    return base64.b64encode(raw).decode("ascii")


def decrypt(cipher, salt):
    """Reverse :func:`encrypt`; raises ``ValueError`` on an empty/garbled cipher or a wrong salt."""
    if not cipher:
        raise ValueError("Nothing to decrypt")
    if salt is None or str(salt) == "":
        raise ValueError("A decryption salt is required")
    try:
        raw = base64.b64decode(str(cipher).encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise ValueError("Unable to decrypt the value") from exc
    suffix = f"{_SEP}{salt}"
    if not raw.endswith(suffix):
        raise ValueError("Unable to decrypt the value: wrong salt")
    return raw[: -len(suffix)]

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Reply-thread markers: the custom_string the app puts on a message sent from a container, so a reply finds its way back.

A marker is `soar:<container id>:<tag>`, where the tag is an HMAC-SHA256 (cut to 80 bits) of the asset id and the
container id under a secret of this asset, kept in its state file. Nobody without the secret can make a marker that
verifies: not a user who types one into custom_string (refused outright), not another client of the ClickSend account,
not another SOAR instance or asset sharing the account. 2.0.0's plain `soar:container:<id>` markers are not trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Optional

import clicksend_consts as consts


STATE_KEY = consts.MARKER_STATE_KEY
PREFIX = consts.MARKER_PREFIX
TAG_HEX = consts.MARKER_TAG_HEX
SECRET_MIN_HEX = consts.MARKER_SECRET_MIN_HEX
MARKER_RE = rf"^{re.escape(PREFIX)}(\d{{1,12}}):([0-9a-f]{{{TAG_HEX}}})$"


def looks_like_marker(text: Optional[str]) -> bool:
    return str(text or "").strip().lower().startswith(PREFIX)


def asset_secret(state_file) -> str:
    """The asset's secret: read; created (and written at once) only the first time a marker is needed, so the state file
    is written once in the asset's life for it, not on every send."""
    found = known_secret(state_file.read())
    if found:
        return found

    def create(state: dict) -> str:
        state[STATE_KEY] = known_secret(state) or secrets.token_hex(32)  # another run may have made it meanwhile
        return state[STATE_KEY]

    return state_file.update(create)


def known_secret(state: dict) -> Optional[str]:
    value = state.get(STATE_KEY)
    return value if isinstance(value, str) and len(value) >= SECRET_MIN_HEX else None


def _tag(secret: str, asset_id: str, container_id: int) -> str:
    message = f"{asset_id}:{container_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:TAG_HEX]


def make(secret: str, asset_id: str, container_id: int) -> str:
    return f"{PREFIX}{int(container_id)}:{_tag(secret, asset_id, int(container_id))}"


def verified_container(custom_string: Optional[str], secret: Optional[str], asset_id: str) -> Optional[int]:
    """The container id of a marker this asset made, or None (no marker, another asset's, forged, or no secret yet)."""
    match = re.match(MARKER_RE, str(custom_string or "").strip())
    if match is None or not secret:
        return None
    container_id = int(match.group(1))
    return container_id if hmac.compare_digest(match.group(2), _tag(secret, asset_id, container_id)) else None

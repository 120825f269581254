# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Reply-thread markers: the custom_string the app puts on a message sent from a container, so a reply finds its way back.

A marker is `soar:<container id>:<tag>` (at most 38 characters, within ClickSend's custom_string limit), where the tag is
an HMAC-SHA256 (cut to 80 bits) of the asset id, the container id and the recipient's number (E.164) under a secret of
this asset, kept in its state file. Each recipient's message carries its own marker, and a marker verifies only
together with the number the message went to: a reply (or delivery receipt) is tied to a container only when it comes
from (concerns) that number. So nobody without the secret can make a marker that verifies (not a user who types one
into custom_string, refused outright; not another client of the ClickSend account; not another SOAR instance or asset
sharing the account), and a marker copied from the account's SMS history into a message to another phone ties that
phone's reply to nothing.

Markers of earlier versions are not trusted: 2.0.0's plain `soar:container:<id>`, and 2.1.0's, whose tag covers the
container but not the recipient (anyone who can read the account's history could replay one to a phone of their own).
A reply to a message 2.1.0 sent from a container opens a new container (`legacy_container` tells which container the
marker named, for the log).
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
BOUND_VERSION = "to"  # what the tag covers besides asset and container: the recipient (2.2.0)
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


def _number(recipient: Optional[str]) -> str:
    """A phone number as the tag covers it: '+' and its digits ('' when it has none)."""
    found = "".join(char for char in str(recipient or "") if char.isdigit())
    return f"+{found}" if found else ""


def _tag(secret: str, asset_id: str, container_id: int, recipient: str) -> str:
    message = f"{BOUND_VERSION}:{asset_id}:{container_id}:{recipient}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:TAG_HEX]


def _legacy_tag(secret: str, asset_id: str, container_id: int) -> str:
    """2.1.0's tag: the asset and the container only (no longer trusted)."""
    return hmac.new(secret.encode(), f"{asset_id}:{container_id}".encode(), hashlib.sha256).hexdigest()[:TAG_HEX]


def make(secret: str, asset_id: str, container_id: int, recipient: str) -> str:
    """The marker of a message from container `container_id` to `recipient` (a number in E.164)."""
    number = _number(recipient)
    if not number:
        raise ValueError("a thread marker is bound to a recipient's number")
    return f"{PREFIX}{int(container_id)}:{_tag(secret, asset_id, int(container_id), number)}"


def verified_container(custom_string: Optional[str], secret: Optional[str], asset_id: str, recipient: Optional[str]) -> Optional[int]:
    """The container id of a marker this asset made for a message to `recipient`, or None (no marker, another asset's,
    forged, made for another number, an earlier version's, or no secret yet)."""
    match = re.match(MARKER_RE, str(custom_string or "").strip())
    number = _number(recipient)
    if match is None or not secret or not number:
        return None
    container_id = int(match.group(1))
    return container_id if hmac.compare_digest(match.group(2), _tag(secret, asset_id, container_id, number)) else None


def legacy_container(custom_string: Optional[str], secret: Optional[str], asset_id: str) -> Optional[int]:
    """The container a 2.1.0 marker of this asset names (said in the log, never trusted), or None."""
    match = re.match(MARKER_RE, str(custom_string or "").strip())
    if match is None or not secret:
        return None
    container_id = int(match.group(1))
    return container_id if hmac.compare_digest(match.group(2), _legacy_tag(secret, asset_id, container_id)) else None

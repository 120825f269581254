# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The app's errors from ClickSend: one hierarchy whose str() is one sentence a SOAR user can act on.

`outcome_unknown` on every error says whether the request may have changed something at ClickSend (a send that may
have gone out). No text here ever holds the API key: the client masks every text taken from an answer.
"""

from __future__ import annotations

from typing import Any, Optional


NOTHING_SENT = " (nothing was sent)"
OUTCOME_UNKNOWN = "; the request may have reached ClickSend, so its outcome is unknown: check ClickSend's history before trying again"


class ClickSendError(Exception):
    """Base error. `outcome_unknown` is true when the request may have changed something at ClickSend."""

    def __init__(self, message: str, outcome_unknown: bool = False):
        super().__init__(message)
        self.message = message
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        return self.message


class ClickSendHTTPError(ClickSendError):
    """ClickSend (or a proxy in front of it) answered with an HTTP error status, or a redirect."""

    def __init__(self, message: str, status: int, response_code: str = "", response_msg: str = "", data: Any = None, **kw: Any):
        super().__init__(message, **kw)
        self.status = status
        self.response_code = response_code
        self.response_msg = response_msg
        self.data = data


class ClickSendConnectionError(ClickSendError):
    """No usable answer: connection refused or reset, DNS failure, TLS failure or timeout."""

    def __init__(self, message: str, outcome_unknown: bool = False, retryable: bool = True, never_sent: bool = False):
        super().__init__(message, outcome_unknown)
        self.retryable = retryable  # a timeout already cost the asset's whole timeout: it is not tried again
        self.never_sent = never_sent  # the connection never completed: ClickSend cannot have seen the request


class ClickSendResponseError(ClickSendError):
    """An answer that is not ClickSend's JSON envelope, whose data has an unexpected shape, or that cannot be read
    (larger than MAX_BODY_BYTES, an unknown Content-Encoding, a corrupt compressed body)."""


class InvalidPathValue(ClickSendError, ValueError):
    """A value that cannot be a ClickSend id in a URL path ('', '.', '..', or with '/', '\\', '?', '#', '%',
    whitespace or control characters). Raised by api_path before anything is sent, and by every request whose path
    has a '?', '#', or an empty, '.' or '..' segment. It is a ClickSendError (so it fails an action cleanly) and a
    ValueError; `field` names the id (None when the whole path was refused) so a caller can report it as a
    parameter error."""

    def __init__(self, message: str, field: Optional[str] = None, value: Optional[str] = None):
        super().__init__(message)
        self.field = field
        self.value = value


def outcome_text(idempotent: bool, never_sent: bool) -> str:
    """What an error text says of a send's outcome: nothing for a read, that nothing was sent, or that it is unknown."""
    if idempotent:
        return ""
    if never_sent:
        return NOTHING_SENT
    return OUTCOME_UNKNOWN


def add_note(err: ClickSendError, note: str) -> None:
    """Append a note to an error's text, before its closing "(nothing was sent)" if it has one."""
    if err.message.endswith(NOTHING_SENT):
        err.message = err.message[: -len(NOTHING_SENT)] + note + NOTHING_SENT
    else:
        err.message += note

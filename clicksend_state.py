# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The asset's state file, shared by runs that may overlap (the platform does not lock it).

Every change reads the file afresh, applies one small change and writes it back at once, under an exclusive lock on a
lock file beside the state file (`<state file>.lock`, flock), so two runs that change the state at the same instant
are applied one after the other and neither writes away what the other wrote (the thread-marker secret above all);
nothing writes the stale copy a run read at its start.

A missing file is a fresh asset (the platform creates it). A file that exists but cannot be read (half-written by a run
that is still writing it is read again for about a second first; then: corrupt, a directory, another owner's) is
never written over: `read` answers {} so that actions which need nothing from it still run, `read_strict` and
`update` fail with a message naming the file, and `problem` says what is wrong (test connectivity). A file that cannot
be written is reported in plain words.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional

import clicksend_consts as consts
from clicksend_params import ActionFailed


try:  # POSIX (SOAR runs on Linux); elsewhere the state is changed without the lock
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms SOAR runs on
    fcntl = None  # type: ignore[assignment]

READ_ATTEMPTS = consts.STATE_READ_ATTEMPTS  # module names, so that tests can shorten the pause
READ_PAUSE = consts.STATE_READ_PAUSE


class StateUnreadable(ActionFailed):
    """The state file exists but cannot be read: what it holds (the marker secret) must not be written over."""


class LockBusy(Exception):
    """Another run holds the lock asked for without waiting."""


class StateFile:
    def __init__(self, connector):
        self._connector = connector

    # --- reading ---------------------------------------------------------------------------------------------------

    def _load(self) -> tuple:
        """(the state as a dict, or None, and why it could not be read)."""
        reason = "not a JSON object"
        for attempt in range(READ_ATTEMPTS):
            try:
                state = self._connector.load_state()
            except Exception as err:  # the platform's own reader failed
                state, reason = None, getattr(err, "strerror", None) or type(err).__name__
            if isinstance(state, dict):
                return dict(state), ""
            if attempt + 1 < READ_ATTEMPTS:
                time.sleep(READ_PAUSE)
        if self._missing():
            return {}, ""  # nothing there: a fresh asset (a platform that answers None for a missing file)
        return None, self._why(reason)

    def _why(self, reason: str) -> str:
        path = self.path()
        if path and os.path.isdir(path):
            return "it is a directory"
        if path and os.path.exists(path) and not os.access(path, os.R_OK):
            return "the SOAR user may not read it"
        return f"the platform could not read it: {reason}" if reason != "not a JSON object" else "its content is no JSON object"

    def _missing(self) -> bool:
        path = self.path()
        return bool(path) and not os.path.lexists(path)

    def path(self) -> str:
        try:
            return str(self._connector.get_state_file_path() or "")
        except Exception:
            return ""

    def read(self) -> dict:
        """The state as it is on disk now ({} when missing or unreadable: for what can do without it)."""
        state, _why = self._load()
        return state if state is not None else {}

    def read_strict(self) -> dict:
        """The state as it is on disk now ({} when missing); StateUnreadable when the file exists but cannot be read."""
        state, why = self._load()
        if state is None:
            raise StateUnreadable(self.unreadable(why))
        return state

    def problem(self) -> str:
        """What is wrong with the state file, in words; "" when it reads (or is missing)."""
        state, why = self._load()
        return self.unreadable(why) if state is None else ""

    def unreadable(self, why: str) -> str:
        where = f" {self.path()}" if self.path() else ""
        return consts.MSG_STATE_UNREADABLE.format(where=where, why=why)

    # --- writing ---------------------------------------------------------------------------------------------------

    def update(self, change: Callable[[dict], Any]) -> Any:
        """Under the state lock: read the state, apply `change` to it, write it back; returns what `change` returned.
        StateUnreadable (nothing written) when the file exists but cannot be read."""
        with self.lock("state"):
            state = self.read_strict()
            outcome = change(state)
            try:
                saved = self._connector.save_state(state)
            except Exception as err:
                raise ActionFailed(self._unwritable(err)) from None
            if saved is False:  # APP_ERROR: a platform that reports the failure instead of raising it
                raise ActionFailed(self._unwritable(None))
            return outcome

    @contextlib.contextmanager
    def lock(self, name: str, wait: bool = True) -> Iterator[None]:
        """An exclusive lock of this asset's, on `<state file>.<name>.lock` ("state": `<state file>.lock`), released
        when the block ends or the process dies. `wait=False`: LockBusy at once when another run holds it. Where no lock
        file can be made (no state path, a read-only folder), the block runs unlocked."""
        handle = self._lock_file(name)
        if handle is None:
            yield
            return
        try:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LockBusy(name) from None
            yield
        finally:
            handle.close()  # closing releases the lock

    def _lock_file(self, name: str):
        path = self.path()
        if fcntl is None or not path:
            return None
        lock_path = f"{path}.lock" if name == "state" else f"{path}.{name}.lock"
        try:
            os.makedirs(os.path.dirname(lock_path) or ".", exist_ok=True)
            return open(lock_path, "a+b")
        except OSError:
            return None

    def _unwritable(self, err: Optional[Exception]) -> str:
        where = f" {self.path()}" if self.path() else ""
        reason = "the platform reported a failure" if err is None else getattr(err, "strerror", None) or type(err).__name__
        return (
            f"The app could not write its state file{where} ({reason}); the SOAR administrator must make it a writable file "
            "owned by the SOAR user. Until then the app cannot remember what it did between runs"
        )

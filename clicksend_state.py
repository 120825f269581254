# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The asset's state file, shared by runs that may overlap (the platform does not lock it).

Every change reads the file afresh, applies one small change and writes it back at once, so two runs (an on poll
and a wait for reply, say) lose at most a change made in the same instant, never a whole run's work; and nothing
writes the stale copy a run read at its start. A file that cannot be written is reported in plain words.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

import clicksend_consts as consts
from clicksend_params import ActionFailed


READ_ATTEMPTS = consts.STATE_READ_ATTEMPTS  # module names, so that tests can shorten the pause
READ_PAUSE = consts.STATE_READ_PAUSE


class StateFile:
    def __init__(self, connector):
        self._connector = connector

    def read(self) -> dict:
        """The state as it is on disk now ({} when missing or unreadable)."""
        for attempt in range(READ_ATTEMPTS):
            try:
                state = self._connector.load_state()
            except Exception:  # the platform's own reader failed: start clean rather than fail every action
                state = None
            if isinstance(state, dict):
                return dict(state)
            if attempt + 1 < READ_ATTEMPTS:
                time.sleep(READ_PAUSE)
        return {}

    def update(self, change: Callable[[dict], Any]) -> Any:
        """Read the state, apply `change` to it, write it back; returns what `change` returned."""
        state = self.read()
        outcome = change(state)
        try:
            saved = self._connector.save_state(state)
        except Exception as err:
            raise ActionFailed(self._unwritable(err)) from None
        if saved is False:  # APP_ERROR: a platform that reports the failure instead of raising it
            raise ActionFailed(self._unwritable(None))
        return outcome

    def _unwritable(self, err: Optional[Exception]) -> str:
        try:
            where = f" {self._connector.get_state_file_path()}"
        except Exception:
            where = ""
        reason = "the platform reported a failure" if err is None else getattr(err, "strerror", None) or type(err).__name__
        return (
            f"The app could not write its state file{where} ({reason}); the SOAR administrator must make it a writable file "
            "owned by the SOAR user. Until then the app cannot remember what it did between runs"
        )

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""A sent message's delivery status as ClickSend's SMS history gives it, and whether that status can still change
(get message status, wait for delivery).

Final: status code 201 (delivered) and 301 (failed for good; cancelled messages carry it too), and a message ClickSend's
staff cancelled on review (status CancelledAfterReview), which carries no status code at all. Not final: 200 (queued,
scheduled, handed to the network, waiting for approval), a row without a code (Completed: queued for delivery), 302
(temporary routing failure) and 300, whose meaning ClickSend's sources disagree on: its legacy API description calls it a
permanent failure, its help centre's gateway table a temporary network error that is retried. The app follows the help
centre (the newer and more specific source) and says so whenever a message carries 300 (STATUS_300_READING).
"""

from __future__ import annotations

from typing import Any, Optional

import clicksend_consts as consts


STATUS_FIELDS = ("message_id", "status", "status_code", "status_text", "to", "from", "date")


def _as_int(value: Any) -> Optional[int]:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _code(value: Any) -> Optional[str]:
    """The status code as text; None when ClickSend gives none (null or "")."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def is_final(status: Any, code: Optional[str]) -> bool:
    """Whether a message with this history status word and status code can no longer change."""
    if code in consts.FINAL_STATUS_CODES:
        return True
    return code is None and str(status or "").strip().casefold() in consts.FINAL_STATUS_WORDS_WITHOUT_CODE


def status_item(row: dict) -> dict:
    """One data item of a message's status, from its SMS history row (get message status, wait for delivery)."""
    item = {name: row.get(name) for name in STATUS_FIELDS}
    item["status_code"] = _code(row.get("status_code"))
    item["date"] = _as_int(row.get("date"))
    item["is_final"] = is_final(row.get("status"), item["status_code"])
    return item


def reading_note(item: dict) -> str:
    """" (<how the app reads code 300>)" for a message that carries it, else ""."""
    return f" ({consts.STATUS_300_READING})" if item.get("status_code") == consts.CONFLICTING_CODE else ""

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""A sent message's delivery status as ClickSend's SMS history gives it, and whether that status can still change
(get message status, wait for delivery)."""

from __future__ import annotations

from typing import Any, Optional

import clicksend_consts as consts


STATUS_FIELDS = ("message_id", "status", "status_code", "status_text", "to", "from", "date")


def _as_int(value: Any) -> Optional[int]:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def status_item(row: dict) -> dict:
    """One data item of a message's status, from its SMS history row (get message status, wait for delivery)."""
    item = {name: row.get(name) for name in STATUS_FIELDS}
    item["status_code"] = None if row.get("status_code") is None else str(row.get("status_code"))
    item["date"] = _as_int(row.get("date"))
    item["is_final"] = item["status_code"] in consts.FINAL_STATUS_CODES
    return item

"""SMS delivery receipts (pull): GET /v3/sms/receipts, GET /v3/sms/receipts/{message_id}, PUT /v3/sms/receipts-read,
POST /v3/sms/receipts (API notes §8).

Receipts are created by :mod:`clicksend_sim.delivery` when an SMS gets its final status, if an enabled receipt rule
with action ``POLL`` existed when it was sent. ``status_code`` and ``error_code`` are strings, as in ClickSend's
examples (its schema says int: clients must accept both). Receipts belong to the account that sent the message.
"""

from __future__ import annotations

import time
from typing import Any

from .core import Ctx, bad_request, new_message_id, not_found, ok, paginate, route
from .delivery import DELIVERED, public


def _mine(ctx: Ctx) -> list[dict[str, Any]]:
    return [r for r in ctx.state.receipts if r.get("_sim_user") == ctx.username]


@route("GET", r"/v3/sms/receipts")
def receipts_list(ctx: Ctx):
    """Unread receipts, oldest first (newest first with ``settings["receipts_newest_first"]``); an empty page unless an
    enabled POLL receipt rule exists now."""
    items: list[dict[str, Any]] = []
    if ctx.state.poll_receipt_rules():
        read = ctx.state.receipts_read
        items = [public(r) for r in _mine(ctx) if r["message_id"] not in read]
        if ctx.state.settings.get("receipts_newest_first"):
            items.reverse()
    return ok(paginate(ctx, items), "Here are your delivery receipts.")


@route("GET", r"/v3/sms/receipts/{message_id}")
def receipt_get(ctx: Ctx):
    """The receipt of one message, read or not; 404 while there is none (simulator choice)."""
    wanted = ctx.params["message_id"].upper()
    for receipt in reversed(_mine(ctx)):
        if receipt["message_id"].upper() == wanted:
            return ok(public(receipt), "Your receipt.")
    raise not_found("Receipt not found.")


@route("PUT", r"/v3/sms/receipts-read")
def receipts_mark_read(ctx: Ctx):
    """Mark read every receipt of the account, or those whose ``timestamp`` (``settings["receipts_read_by"]``:
    ``timestamp_send`` to compare the message's send time instead) is before ``date_before``."""
    cutoff = ctx.date_before()
    field = "timestamp_send" if ctx.state.settings.get("receipts_read_by") == "timestamp_send" else "timestamp"
    for receipt in _mine(ctx):
        if cutoff is None or int(receipt[field]) < cutoff:
            ctx.state.receipts_read.add(receipt["message_id"])
    return ok(None, "Receipts have been marked as read.")


@route("POST", r"/v3/sms/receipts")
def receipt_test(ctx: Ctx):
    """Test helper: a fake delivery receipt, answered in ``data``; with ``url`` "poll" it is also kept for polling."""
    body = ctx.body_object()
    url = body.get("url")
    if not isinstance(url, str) or not url.strip():
        raise bad_request("Invalid input.", {"url": "The url field is required."})
    now = int(time.time())
    acct = ctx.account or {}
    receipt = {
        "timestamp_send": now, "timestamp": now, "message_id": new_message_id(),
        "status_code": DELIVERED["status_code"], "status_text": DELIVERED["status_text"], "error_code": None,
        "error_text": None, "custom_string": None, "subaccount_id": acct.get("subaccount_id"), "message_type": "sms",
        "digits": None, "_sim_user": ctx.username,
    }
    if url.strip().lower() == "poll":
        ctx.state.receipts.append(receipt)
    return ok(public(receipt), "Receipt has been added")

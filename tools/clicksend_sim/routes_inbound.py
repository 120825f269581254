"""Inbound SMS (replies): GET /v3/sms/inbound, GET /v3/sms/inbound/{original_message_id},
PUT /v3/sms/inbound-read and PUT /v3/sms/inbound-read/{message_id} (API notes §9).

Messages are added with ``sim.add_inbound_message(from_, body, ...)`` (``State.add_inbound_message``), by
``sim.add_reply`` / ``sim.auto_reply``; the read flags live in ``state.inbound_read`` (a set of inbound ``message_id``).
- A message is captured, when it arrives, by every enabled inbound rule with action ``POLL`` that exists then and
  matches it (``dedicated_number`` "*" or the message's ``to``; ``message_search_type``/``message_search_term``);
  a rule created later does not list older messages (``state.inbound_capture``).
- The list holds only **unread** messages, once **per capturing rule** that still exists and is enabled. Simulator
  choice: the copies come rule by rule (all of the first rule's, then the second's...), so copies of one message
  usually land on different pages.
- Marking one message read clears all its copies.
"""

from __future__ import annotations

from typing import Any

from .core import ApiError, Ctx, not_found, ok, paginate, route


def public(msg: dict[str, Any]) -> dict[str, Any]:
    """The InboundSms object as ClickSend answers it (every key is public)."""
    return dict(msg)


def unread_messages(state: Any) -> list[dict[str, Any]]:
    """Unread inbound messages, oldest stored first (one copy each). Call with ``state.lock`` held."""
    return [m for m in state.inbound if m["message_id"] not in state.inbound_read]


def inbound_listing(state: Any) -> list[dict[str, Any]]:
    """What GET /sms/inbound pages through: each unread message once per enabled POLL rule that captured it."""
    unread = unread_messages(state)
    capture = state.inbound_capture
    return [
        public(m)
        for rule in state.poll_inbound_rules()
        for m in unread
        if rule["inbound_rule_id"] in capture.get(m["message_id"], ())
    ]


def unread_ids(sim: Any) -> list[str]:
    """Test and demo helper: ids of the unread inbound messages, in stored order."""
    with sim.state.lock:
        return [m["message_id"] for m in unread_messages(sim.state)]


@route("GET", r"/v3/sms/inbound")
def inbound_list(ctx: Ctx):
    _take_page_fault(ctx)
    return ok(paginate(ctx, inbound_listing(ctx.state)), "Here are your data.")


@route("GET", r"/v3/sms/inbound/{original_message_id}")
def inbound_by_original(ctx: Ctx):
    """The first reply to an outbound message, read or not (the path carries the OUTBOUND message's id)."""
    wanted = ctx.params["original_message_id"].upper()
    for msg in ctx.state.inbound:
        if str(msg.get("original_message_id") or "").upper() == wanted:
            return ok(public(msg), "Here are your data.")
    raise not_found("Inbound message not found.")


@route("PUT", r"/v3/sms/inbound-read/{message_id}")
def inbound_mark_one_read(ctx: Ctx):
    """Mark one inbound message read (all its per-rule copies at once); ``data`` is the count marked: 1, or 0 for an
    unknown or already read id (HTTP 200 either way)."""
    message_id = _ids_by_upper(ctx.state).get(ctx.params["message_id"].upper())
    if message_id is None or message_id in ctx.state.inbound_read:
        return ok(0, "Inbound messages have been marked as read.")
    ctx.state.inbound_read.add(message_id)
    return ok(1, "Inbound messages have been marked as read.")


def _ids_by_upper(state: Any) -> dict[str, str]:
    """Upper-cased id -> stored id, rebuilt only when messages were added (a backlog of thousands stays linear)."""
    cached = state.extra.get("inbound_id_index")
    if cached is None or cached[0] != len(state.inbound):
        cached = (len(state.inbound), {msg["message_id"].upper(): msg["message_id"] for msg in state.inbound})
        state.extra["inbound_id_index"] = cached
    return cached[1]


@route("PUT", r"/v3/sms/inbound-read")
def inbound_mark_all_read(ctx: Ctx):
    """Mark every inbound message read, or only those received before ``date_before`` (Unix seconds)."""
    cutoff = ctx.date_before()
    for msg in ctx.state.inbound:
        if cutoff is None or int(msg["timestamp"]) < cutoff:
            ctx.state.inbound_read.add(msg["message_id"])
    return ok(None, "Inbound messages have been marked as read.")


def fail_inbound_page(sim: Any, page: int, status: int = 500, times: int = 1) -> None:
    """Test helper: the next ``times`` reads of GET /v3/sms/inbound at ``page`` answer ``status``.

    (``sim.add_fault`` matches the path only, so it cannot single out page 2 of a listing.)"""
    with sim.state.lock:
        sim.state.extra.setdefault("inbound_page_faults", []).append({"page": page, "status": status, "times": times})


def _take_page_fault(ctx: Ctx) -> None:
    page = ctx.int_arg("page", 1) or 1
    for fault in ctx.state.extra.get("inbound_page_faults", []):
        if fault["page"] == page and fault["times"] > 0:
            fault["times"] -= 1
            raise ApiError(fault["status"])

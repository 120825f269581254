"""Simulator control over HTTP (no auth, never logged or faulted): the ``/_sim/`` namespace.

Answers are plain JSON (no ClickSend envelope).
"""

from __future__ import annotations

from typing import Any

from .core import Ctx, Response, bad_request, route
from .routes_sms import public


def _json(data: Any, status: int = 200) -> Response:
    return Response(status, data)


def _args(ctx: Ctx) -> dict[str, Any]:
    if ctx.json is None:
        return {}
    if not isinstance(ctx.json, dict):
        raise bad_request("Expected a JSON object.")
    return ctx.json


def _call(ctx: Ctx, what: str, fn: Any, **renames: str) -> Any:
    """Call a ``ClickSendSimulator`` helper with the JSON body as keyword arguments (``renames``: JSON key -> argument)."""
    args = dict(_args(ctx))
    for key, name in renames.items():
        if key in args:
            args[name] = args.pop(key)
    try:
        return fn(**args)
    except (TypeError, ValueError, KeyError) as exc:
        raise bad_request(f"Bad {what}: {exc}") from exc


@route("POST", r"/_sim/reset", auth=False)
def sim_reset(ctx: Ctx):
    ctx.sim.reset()
    return _json({"ok": True})


@route("POST", r"/_sim/faults", auth=False)
def sim_add_fault(ctx: Ctx):
    fault = _call(ctx, "fault", ctx.sim.add_fault)
    return _json({"ok": True, "fault": fault.describe()})


@route("GET", r"/_sim/faults", auth=False)
def sim_list_faults(ctx: Ctx):
    return _json([f.describe() for f in ctx.sim.faults])


@route("DELETE", r"/_sim/faults", auth=False)
def sim_clear_faults(ctx: Ctx):
    ctx.sim.faults.clear()
    return _json({"ok": True})


@route("GET", r"/_sim/requests", auth=False)
def sim_requests(ctx: Ctx):
    return _json(list(ctx.sim.requests))


@route("GET", r"/_sim/sent", auth=False)
def sim_sent(ctx: Ctx):
    return _json(list(ctx.state.sent))


@route("GET", r"/_sim/history", auth=False)
def sim_history(ctx: Ctx):
    return _json([public(r) for r in ctx.state.history])


@route("POST", r"/_sim/recipient-status", auth=False)
def sim_recipient_status(ctx: Ctx):
    args = _args(ctx)
    if "number" not in args:
        raise bad_request("number is required.")
    ctx.sim.set_recipient_status(args["number"], args.get("status"))
    return _json({"ok": True})


@route("POST", r"/_sim/accounts", auth=False)
def sim_add_account(ctx: Ctx):
    acct = _call(ctx, "account", ctx.state.add_account)
    return _json({"username": acct["username"], "user_id": acct["user_id"], "status": acct["status"]})


@route("POST", r"/_sim/lists", auth=False)
def sim_add_list(ctx: Ctx):
    args = _args(ctx)
    if not args.get("list_name"):
        raise bad_request("list_name is required.")
    return _json(ctx.sim.add_list(args["list_name"], args.get("contacts")))


SETTINGS = ("delivery_delay", "bare_list_contacts", "latency", "mms_currency")
FLAGS = ("bare_list_contacts", "mms_currency")


@route("POST", r"/_sim/settings", auth=False)
def sim_settings(ctx: Ctx):
    """``{"delivery_delay": s, "bare_list_contacts": bool, "latency": s, "mms_currency": bool}`` (any subset); answers all."""
    args = _args(ctx)
    unknown = set(args) - set(SETTINGS)
    if unknown:
        raise bad_request(f"Unknown settings: {sorted(unknown)}")
    for name in SETTINGS:
        if name in args:
            setattr(ctx.sim, name, args[name] if name in FLAGS else float(args[name] or 0.0))
    return _json({name: getattr(ctx.sim, name) for name in SETTINGS})


@route("POST", r"/_sim/delivery-outcome", auth=False)
def sim_delivery_outcome(ctx: Ctx):
    _call(ctx, "delivery outcome", ctx.sim.set_delivery_outcome)
    return _json({"ok": True})


@route("POST", r"/_sim/auto-reply", auth=False)
def sim_auto_reply(ctx: Ctx):
    _call(ctx, "auto reply", ctx.sim.auto_reply)
    return _json({"ok": True})


@route("GET", r"/_sim/receipts", auth=False)
def sim_receipts(ctx: Ctx):
    return _json(ctx.sim.receipts())


@route("GET", r"/_sim/voice-history", auth=False)
def sim_voice_history(ctx: Ctx):
    return _json([public(r) for r in ctx.state.voice_history])


@route("POST", r"/_sim/advance", auth=False)
def sim_advance(ctx: Ctx):
    """``{"now": <unix>}`` (optional): make everything due by then happen."""
    _call(ctx, "advance", ctx.sim.advance)
    return _json({"ok": True})


#: ``POST /_sim/<path>`` -> the ``ClickSendSimulator`` method it calls with the JSON body ("from" becomes ``from_``);
#: each answers what the method returns.
ADDERS = {
    "inbound-rules": "add_inbound_rule",
    "inbound-messages": "add_inbound_message",
    "replies": "add_reply",
    "receipt-rules": "add_receipt_rule",
    "numbers": "add_dedicated_number",
    "own-numbers": "add_own_number",
    "alpha-tags": "add_alpha_tag",
}


def _adder_route(path: str, method: str) -> None:
    @route("POST", r"/_sim/" + path, auth=False)
    def sim_add(ctx: Ctx):
        return _json(_call(ctx, path, getattr(ctx.sim, method), **{"from": "from_"}))


for _path, _method in ADDERS.items():
    _adder_route(_path, _method)

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


@route("POST", r"/_sim/reset", auth=False)
def sim_reset(ctx: Ctx):
    ctx.sim.reset()
    return _json({"ok": True})


@route("POST", r"/_sim/faults", auth=False)
def sim_add_fault(ctx: Ctx):
    args = _args(ctx)
    try:
        fault = ctx.sim.add_fault(**args)
    except (TypeError, ValueError, KeyError) as exc:
        raise bad_request(f"Bad fault: {exc}") from exc
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


@route("POST", r"/_sim/inbound-rules", auth=False)
def sim_add_inbound_rule(ctx: Ctx):
    try:
        rule = ctx.state.add_inbound_rule(**_args(ctx))
    except TypeError as exc:
        raise bad_request(f"Bad rule: {exc}") from exc
    return _json(dict(rule))


@route("POST", r"/_sim/inbound-messages", auth=False)
def sim_add_inbound_message(ctx: Ctx):
    args = dict(_args(ctx))
    if "from" in args:
        args["from_"] = args.pop("from")
    try:
        msg = ctx.state.add_inbound_message(**args)
    except TypeError as exc:
        raise bad_request(f"Bad inbound message: {exc}") from exc
    return _json(dict(msg))


@route("POST", r"/_sim/recipient-status", auth=False)
def sim_recipient_status(ctx: Ctx):
    args = _args(ctx)
    if "number" not in args:
        raise bad_request("number is required.")
    ctx.sim.set_recipient_status(args["number"], args.get("status"))
    return _json({"ok": True})


@route("POST", r"/_sim/accounts", auth=False)
def sim_add_account(ctx: Ctx):
    args = _args(ctx)
    try:
        acct = ctx.state.add_account(**args)
    except (TypeError, ValueError) as exc:
        raise bad_request(f"Bad account: {exc}") from exc
    return _json({"username": acct["username"], "user_id": acct["user_id"], "status": acct["status"]})


@route("POST", r"/_sim/lists", auth=False)
def sim_add_list(ctx: Ctx):
    args = _args(ctx)
    if not args.get("list_name"):
        raise bad_request("list_name is required.")
    return _json(ctx.sim.add_list(args["list_name"], args.get("contacts")))

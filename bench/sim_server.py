# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The ClickSend simulator in its own process, for the benchmark (its CPU and memory stay out of the connector's figures).

It is `python -m clicksend_sim` (with its latency knob: POST /_sim/settings {"latency": 0.1}) plus routes of the
benchmark's own: bulk seeding, so that seeding thousands of inbound messages or contacts costs one control request
instead of thousands, and what it saw without the request bodies:

    POST /_sim/bench/inbound  {"count": N}   -> N unread inbound SMS from distinct senders, oldest first
    POST /_sim/bench/contacts {"list_name": ..., "count": N} -> a list of N contacts, answers {"list_id", "last": {...}}
    GET  /_sim/bench/requests -> [{"method", "path", "page"}] of every API request since the last reset
    GET  /_sim/bench/in-flight -> {"peak": the most API requests it was answering at once since the last POST to it}

Otherwise it is `python -m clicksend_sim`: the first stdout line is the base URL; it serves until SIGTERM.
"""

from __future__ import annotations

import pathlib
import sys
import threading
import time
from urllib.parse import urlsplit


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))

from clicksend_sim.__main__ import main as serve
from clicksend_sim.core import Ctx, Response, bad_request, route
from clicksend_sim.server import _Handler
from measure import bench_email, bench_number


_IN_FLIGHT = {"now": 0, "peak": 0}
_IN_FLIGHT_LOCK = threading.Lock()
_dispatch = _Handler._dispatch


def _counted_dispatch(handler: _Handler, method: str) -> None:
    """The simulator's dispatch, counting the API requests being answered at once (latency included)."""
    api = not urlsplit(handler.path).path.startswith("/_sim")
    if api:
        with _IN_FLIGHT_LOCK:
            _IN_FLIGHT["now"] += 1
            _IN_FLIGHT["peak"] = max(_IN_FLIGHT["peak"], _IN_FLIGHT["now"])
    try:
        _dispatch(handler, method)
    finally:
        if api:
            with _IN_FLIGHT_LOCK:
                _IN_FLIGHT["now"] -= 1


_Handler._dispatch = _counted_dispatch  # type: ignore[method-assign]


@route("GET", r"/_sim/bench/in-flight", auth=False)
def bench_in_flight(ctx: Ctx):
    return Response(200, {"peak": _IN_FLIGHT["peak"]})


@route("POST", r"/_sim/bench/in-flight", auth=False)
def bench_in_flight_reset(ctx: Ctx):
    with _IN_FLIGHT_LOCK:
        _IN_FLIGHT["peak"] = _IN_FLIGHT["now"]
    return Response(200, {"ok": True})


@route("GET", r"/_sim/bench/requests", auth=False)
def bench_requests(ctx: Ctx):
    return Response(
        200, [{"method": item["method"], "path": item["path"], "page": (item.get("query") or {}).get("page")} for item in ctx.sim.requests]
    )


def _count(ctx: Ctx) -> int:
    body = ctx.json if isinstance(ctx.json, dict) else {}
    count = body.get("count")
    if not isinstance(count, int) or count < 0:
        raise bad_request("count must be a non-negative integer.")
    return count


@route("POST", r"/_sim/bench/inbound", auth=False)
def bench_inbound(ctx: Ctx):
    count = _count(ctx)
    start = int(time.time()) - count
    for index in range(count):
        ctx.state.add_inbound_message(bench_number(index), f"ALERT {index} acknowledged", timestamp=start + index)
    return Response(200, {"ok": True, "count": count})


@route("POST", r"/_sim/bench/contacts", auth=False)
def bench_contacts(ctx: Ctx):
    count = _count(ctx)
    listing = ctx.state.add_list(str(ctx.json.get("list_name") or "bench"))
    last = None
    for index in range(count):
        last = ctx.state.add_contact(listing["list_id"], phone_number=bench_number(index), email=bench_email(index), first_name=f"C{index}")
    return Response(200, {"list_id": listing["list_id"], "last": last})


if __name__ == "__main__":
    sys.exit(serve())

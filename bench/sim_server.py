# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The ClickSend simulator in its own process, for the benchmark (its CPU and memory stay out of the connector's figures).

It is `python -m clicksend_sim` plus two bulk seeding routes of the benchmark's own, so that seeding thousands of
inbound messages or contacts costs one control request instead of thousands:

    POST /_sim/bench/inbound  {"count": N}   -> N unread inbound SMS from distinct senders, oldest first
    POST /_sim/bench/contacts {"list_name": ..., "count": N} -> a list of N contacts, answers {"list_id", "last": {...}}

Otherwise it is `python -m clicksend_sim`: the first stdout line is the base URL; it serves until SIGTERM.
"""

from __future__ import annotations

import pathlib
import sys
import time


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))

from clicksend_sim.__main__ import main as serve
from clicksend_sim.core import Ctx, Response, bad_request, route


def bench_number(index: int) -> str:
    """A distinct, valid Australian mobile number for each index."""
    return f"+614{index:08d}"


def bench_email(index: int) -> str:
    return f"contact{index}@bench.example.com"


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

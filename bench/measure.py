#!/usr/bin/env python3
# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""One measurement of the benchmark, in a fresh process, of the app found at APP_ROOT (this tree, or an earlier
version that run_bench.py took out of git), against the simulator the asset in the arguments points at, through the
fake SOAR platform:

    python bench/measure.py KIND APP_ROOT 'JSON arguments'    -> prints one JSON object

KIND is `action` (run one action: its result, wall and CPU time, the fake platform's share of the CPU, the most
requests in flight) or `phonenumbers` (what importing phonenumbers and checking one number costs a fresh process).
With "trace": true the action runs under tracemalloc (peak and what stays allocated after it); without, the figures
include ru_maxrss, the process's peak resident memory. The simulator's own work is in its process, not here.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from typing import Any, Callable


PLATFORM_CALLS = ("save_container", "save_artifact", "save_state", "get_container_info")


def bench_number(index: int) -> str:
    """A distinct, valid Australian mobile number for each index."""
    return f"+614{index:08d}"


def bench_email(index: int) -> str:
    return f"contact{index}@bench.example.com"


def run_action(args: dict) -> dict:
    """args: identifier, params, config (the asset, pointing at the simulator), poll_now, recipients (a bulk send to
    that many numbers), trace."""
    from phantom.base_connector import BaseConnector
    from phantom_sdk_stubs import FakePlatform

    from clicksend_connector import ClickSendConnector

    params = dict(args.get("params") or {})
    if "recipients" in args:  # a bulk send: the numbers are made here, not passed on the command line
        params["to"] = ",".join(bench_number(index) for index in range(args["recipients"]))
    spent = [0.0]

    def timed(method: Callable) -> Callable:
        def wrapper(*a: Any, **kw: Any) -> Any:
            started = time.process_time()
            try:
                return method(*a, **kw)
            finally:
                spent[0] += time.process_time() - started

        return wrapper

    for name in PLATFORM_CALLS:
        setattr(BaseConnector, name, timed(getattr(BaseConnector, name)))
    trace = bool(args.get("trace"))
    with tempfile.TemporaryDirectory(prefix="clicksend-bench-") as home:
        fake = FakePlatform(home=home)
        if trace:
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        out = fake.run(
            ClickSendConnector,
            args["identifier"],
            parameters=[params],
            config=args["config"],
            asset_id="1",
            poll_now=bool(args.get("poll_now")),
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        figures: dict = {}
        if trace:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            figures.update(peak=peak - before, kept=current - before)
        result = (out.get("result_data") or [{}])[0]
        client = getattr(fake.last_connector, "client", None)
        throttle = getattr(client, "throttle", None)
        figures.update(
            status=result.get("status"),
            message=str(result.get("message") or out.get("message"))[:300],
            summary={key: value for key, value in (result.get("summary") or {}).items() if not isinstance(value, (list, dict))},
            wall=wall,
            cpu=cpu,
            platform_cpu=spent[0],
            rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,  # Linux: KiB
            json_bytes=len(fake.run_outputs[-1].encode("utf-8")) if fake.run_outputs else 0,
            containers=len(fake.containers),
            artifacts=len(fake.artifacts),
            in_flight=getattr(throttle, "peak", None),
        )
    return figures


def phonenumbers_cost() -> dict:
    """Seconds a process that already has requests loaded (as the connector has) spends importing phonenumbers (as
    far as the app at APP_ROOT imports it) and checking its first number: what send message's recipient check costs a
    cold action."""
    import requests  # noqa: F401

    started = time.perf_counter()
    try:  # the parts the app loads (clicksend_phone, since 2.1.0), else the whole package as before
        import clicksend_phone

        phonenumbers = clicksend_phone.util()
    except ImportError:
        import phonenumbers

    number = phonenumbers.parse(bench_number(1), "AU")
    assert phonenumbers.is_valid_number(number)
    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return {"seconds": time.perf_counter() - started}


def main(argv: list) -> int:
    kind, app_root, raw = argv[1:4]
    sys.path.insert(0, os.path.abspath(app_root))
    args = json.loads(raw)
    if kind == "action":
        figures = run_action(args)
    elif kind == "phonenumbers":
        figures = phonenumbers_cost()
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

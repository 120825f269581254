#!/usr/bin/env python3
# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Benchmark of the ClickSend app against the local simulator; prints one table (`make bench`).

Parts: 1 cold action (connector vs bare requests vs the official SDK, each a fresh process), 2 bulk send,
3 inbound backlog, 4 contact search in a big list, 5 the cost of one 429 with Retry-After: 1. A part whose
action is not in both clicksend.json and the connector's dispatch table prints "n/a (action not present yet)".

Figures are medians of several runs; every ratio compares figures measured in the same invocation. The
simulator runs in its own process (bench/sim_server.py), so CPU time and tracemalloc peaks are the connector's.
Nothing here asserts a time: the verdict column only compares against the issue's targets.

    python bench/run_bench.py [--quick] [--runs N] [--write]     (--write regenerates bench/RESULTS.md)
"""

from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import pathlib
import platform as pyplatform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from typing import Any, Callable, NamedTuple, Optional


BENCH = pathlib.Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT / "tools"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import requests  # noqa: E402


NA = "n/a (action not present yet)"
RESULTS = BENCH / "RESULTS.md"
COMMENTARY_MARK = "<!-- commentary: everything below this line is kept when the script rewrites the file -->"
SEND_BATCH = 1000
PAGE_LIMIT = 100


# --- the simulator, in its own process ----------------------------------------------------------------------------


class Sim:
    """bench/sim_server.py as a subprocess, controlled over its /_sim/ namespace."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, str(BENCH / "sim_server.py")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=str(ROOT)
        )
        from clicksend_sim import DEFAULT_API_KEY, DEFAULT_USERNAME

        self.url = self.proc.stdout.readline().strip()
        self.root_url = self.url.rsplit("/v3", 1)[0]
        self.username, self.api_key = DEFAULT_USERNAME, DEFAULT_API_KEY
        self.http = requests.Session()

    def close(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> Sim:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def control(self, method: str, name: str, body: Any = None) -> Any:
        response = self.http.request(method, f"{self.root_url}/_sim/{name}", json=body, timeout=120)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self.control("POST", "reset")

    def requests(self) -> list:
        return self.control("GET", "requests")

    def count(self, method: str, path_pattern: str) -> int:
        pattern = re.compile(path_pattern)
        return sum(1 for item in self.requests() if item["method"] == method and pattern.fullmatch(item["path"]))

    def config(self, **overrides: Any) -> dict:
        config = {"base_url": self.url, "username": self.username, "key": self.api_key, "default_country": "AU"}
        config.update(overrides)
        return config


# --- running the connector in this process -------------------------------------------------------------------------


def manifest_actions() -> set:
    manifest = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
    return {action["identifier"] for action in manifest.get("actions", [])}


def available(identifier: str) -> bool:
    """True when the action is both declared in clicksend.json and in the connector's dispatch table."""
    import clicksend_connector

    return identifier in manifest_actions() and identifier in clicksend_connector.HANDLERS


class Run(NamedTuple):
    out: dict  # the platform's result JSON
    platform: Any  # the FakePlatform (containers, artifacts)
    wall: float
    cpu: float  # time.process_time of this process during the run (the simulator is another process)
    platform_cpu: float  # the part of cpu spent inside the fake platform's save_container/save_artifact/save_state


PLATFORM_CALLS = ("save_container", "save_artifact", "save_state", "get_container_info")


def run_action(sim: Sim, identifier: str, params: dict, config: Optional[dict] = None, poll_now: bool = False) -> Run:
    from phantom.base_connector import BaseConnector
    from phantom_sdk_stubs import FakePlatform

    from clicksend_connector import ClickSendConnector

    spent = [0.0]
    originals = {name: getattr(BaseConnector, name) for name in PLATFORM_CALLS}

    def timed(method: Callable) -> Callable:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - started

        return wrapper

    with tempfile.TemporaryDirectory(prefix="clicksend-bench-") as home:
        fake = FakePlatform(home=home)
        for name, method in originals.items():
            setattr(BaseConnector, name, timed(method))
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            out = fake.run(ClickSendConnector, identifier, parameters=[params], config=config or sim.config(), asset_id="1", poll_now=poll_now)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        finally:
            for name, method in originals.items():
                setattr(BaseConnector, name, method)
    return Run(out, fake, wall, cpu, spent[0])


def traced(fn: Callable[[], Any]) -> tuple:
    """(result of fn, peak bytes allocated while it ran, bytes still allocated after it)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        value = fn()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, peak - before, current - before


def median(values: list) -> float:
    return statistics.median(values) if values else float("nan")


def single(values: set) -> Any:
    """The one value every run gave, or the sorted list of the different values."""
    return next(iter(values)) if len(values) == 1 else sorted(values)


def check_success(out: dict, what: str) -> None:
    if out.get("status") != "success":
        message = (out.get("result_data") or [{}])[0].get("message") or out.get("message")
        raise RuntimeError(f"{what} failed: {message}")


# --- the table -----------------------------------------------------------------------------------------------------


class Row(NamedTuple):
    part: str
    measure: str
    value: str
    target: str = ""
    verdict: str = ""


def verdict(ok: Optional[bool]) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def render(rows: list) -> str:
    header = Row("part", "measure", "value", "target", "verdict")
    widths = [max(len(getattr(row, field)) for row in [header, *rows]) for field in Row._fields]
    lines = ["| " + " | ".join(getattr(header, f).ljust(w) for f, w in zip(Row._fields, widths)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += ["| " + " | ".join(getattr(row, f).ljust(w) for f, w in zip(Row._fields, widths)) + " |" for row in rows]
    return "\n".join(lines)


# --- 1. cold action ------------------------------------------------------------------------------------------------

ONE_NUMBER = "+61411111111"
ONE_TEXT = "Benchmark: host isolated"

CHILD_CONNECTOR = """
import sys
from phantom_sdk_stubs import FakePlatform
from clicksend_connector import ClickSendConnector
url, user, key, home = sys.argv[1:5]
config = {"base_url": url, "username": user, "key": key, "default_country": "AU"}
out = FakePlatform(home=home).run(ClickSendConnector, "send_message", parameters=[{"to": "NUMBER", "message": "TEXT"}], config=config)
assert out["status"] == "success", out
""".replace("NUMBER", ONE_NUMBER).replace("TEXT", ONE_TEXT)

CHILD_REQUESTS = """
import sys
import requests
url, user, key = sys.argv[1:4]
body = {"messages": [{"to": "NUMBER", "body": "TEXT", "source": "splunk-soar"}]}
answer = requests.post(url + "/sms/send", json=body, auth=(user, key), timeout=30)
answer.raise_for_status()
assert answer.json()["data"]["messages"][0]["status"] == "SUCCESS"
""".replace("NUMBER", ONE_NUMBER).replace("TEXT", ONE_TEXT)

CHILD_SDK = """
import sys
from clicksend import ApiClient, Configuration, SmsApi
from clicksend.models import SendSmsRequest, SendSmsRequestMessagesInner
root, user, key = sys.argv[1:4]
with ApiClient(Configuration(host=root, username=user, password=key)) as client:
    sent = SmsApi(client).send_sms(send_sms_request=SendSmsRequest(messages=[
        SendSmsRequestMessagesInner(to="NUMBER", body="TEXT", source="splunk-soar")]))
assert sent.data.messages[0].status == "SUCCESS"
""".replace("NUMBER", ONE_NUMBER).replace("TEXT", ONE_TEXT)


PYCACHE = tempfile.mkdtemp(prefix="clicksend-bench-pycache-")
atexit.register(shutil.rmtree, PYCACHE, ignore_errors=True)


def child_env(bytecode: bool = True) -> dict:
    """The children's environment. bytecode=True: every module (app, requests, SDK) compiled once into a private cache
    (PYTHONPYCACHEPREFIX), as an installed package would be; False: the app's modules compiled from source each run."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tools")])
    env.pop("PYTHONSTARTUP", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def time_child(code: str, args: list, bytecode: bool = True) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=child_env(bytecode), cwd=str(ROOT), capture_output=True)
    return time.perf_counter() - started


def sdk_installed() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import clicksend"], env=child_env(), capture_output=True, check=False)
    return probe.returncode == 0


def cold_action(sim: Sim, runs: int) -> dict:
    """Wall time of a fresh process (interpreter start to exit) for each of the three ways to send one SMS."""
    with tempfile.TemporaryDirectory(prefix="clicksend-bench-") as home:
        kinds = {
            "connector": (CHILD_CONNECTOR, [sim.url, sim.username, sim.api_key, home], True),
            "requests": (CHILD_REQUESTS, [sim.url, sim.username, sim.api_key], True),
            "connector_no_pyc": (CHILD_CONNECTOR, [sim.url, sim.username, sim.api_key, home], False),
        }
        if sdk_installed():
            kinds["sdk"] = (CHILD_SDK, [sim.root_url, sim.username, sim.api_key], True)
        times: dict = {kind: [] for kind in kinds}
        for code, args, bytecode in kinds.values():  # one warm-up each: file-system caches, the bytecode cache
            time_child(code, args, bytecode)
        for _ in range(runs + 2):  # interleaved, so a noisy moment hits every kind alike
            for kind, (code, args, bytecode) in kinds.items():
                times[kind].append(time_child(code, args, bytecode))
    return {kind: median(values) for kind, values in times.items()}


def import_profile(module: str = "clicksend_connector", runs: int = 5) -> dict:
    """`python -X importtime -c 'import <module>'`: total (us), and self time summed per top-level package (us)."""
    totals, per_package = [], {}
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            env=child_env(),
            cwd=str(ROOT),
            capture_output=True,
            text=True,
            check=True,
        )
        sums: dict = {}
        for line in proc.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if not match:
                continue
            self_us, cumulative_us, name = int(match.group(1)), int(match.group(2)), match.group(4)
            package = name.split(".")[0]
            sums[package] = sums.get(package, 0) + self_us
            if name == module:
                totals.append(cumulative_us)
        for package, value in sums.items():
            per_package.setdefault(package, []).append(value)
    packages = {package: median(values) for package, values in per_package.items()}
    return {"total_us": median(totals), "packages": dict(sorted(packages.items(), key=lambda item: -item[1]))}


THIRD_PARTY_GROUPS = {
    "requests stack": ("requests", "urllib3", "charset_normalizer", "idna", "certifi", "chardet", "brotli", "zstandard", "socks"),
    "phantom (fake platform)": ("phantom", "encryption_helper", "phantom_sdk_stubs"),
    "app modules": (),  # every clicksend_* module
    "phonenumbers": ("phonenumbers",),
}


def import_groups(profile: dict) -> dict:
    """Self times summed into a few groups: the requests stack, the fake platform, the app, phonenumbers, the rest."""
    groups = dict.fromkeys(THIRD_PARTY_GROUPS, 0)
    groups["stdlib and other"] = 0
    for package, micros in profile["packages"].items():
        group = "app modules" if package.startswith("clicksend_") else "stdlib and other"
        for name, members in THIRD_PARTY_GROUPS.items():
            if package in members:
                group = name
        groups[group] += micros
    return groups


def part_cold(sim: Sim, runs: int) -> list:
    rows = []
    timing = cold_action(sim, runs)
    connector, bare = timing["connector"], timing["requests"]
    rows.append(Row("1 cold action", "fresh process: connector send message, 1 recipient", fmt_ms(connector)))
    rows.append(
        Row("1 cold action", "  the same with the app's modules compiled from source each run (no .pyc)", fmt_ms(timing["connector_no_pyc"]))
    )
    rows.append(Row("1 cold action", "fresh process: bare requests POST sms/send", fmt_ms(bare)))
    ratio = connector / bare
    rows.append(Row("1 cold action", "ratio connector / bare requests", f"{ratio:.2f}x", "<= 1.30x", verdict(ratio <= 1.3)))
    if "sdk" in timing:
        sdk = timing["sdk"]
        rows.append(Row("1 cold action", "fresh process: official SDK clicksend-client send_sms", fmt_ms(sdk)))
        speedup = sdk / connector
        rows.append(Row("1 cold action", "speed-up connector vs SDK (SDK / connector)", f"{speedup:.2f}x", ">= 3.00x", verdict(speedup >= 3)))
    else:
        rows.append(Row("1 cold action", "official SDK", "n/a (clicksend-client not installed)"))
    profile = import_profile(runs=max(3, runs))
    rows.append(Row("1 cold action", "import clicksend_connector (-X importtime, cumulative)", fmt_ms(profile["total_us"] / 1e6)))
    groups = import_groups(profile)
    for group, micros in groups.items():
        rows.append(Row("1 cold action", f"  of which {group} (self times)", fmt_ms(micros / 1e6)))
    bare_profile = import_profile("requests", runs=max(3, runs))
    rows.append(Row("1 cold action", "import requests alone (for comparison)", fmt_ms(bare_profile["total_us"] / 1e6)))
    return rows


# --- 2. bulk send --------------------------------------------------------------------------------------------------


def bench_numbers(count: int) -> list:
    sys.path.insert(0, str(BENCH))
    from sim_server import bench_number

    return [bench_number(index) for index in range(count)]


def bulk_send(sim: Sim, recipients: int, runs: int) -> dict:
    """send_message to `recipients` numbers: send calls, wall and CPU time (median), tracemalloc peak (one more run)."""
    params = {"to": ",".join(bench_numbers(recipients)), "message": ONE_TEXT}
    walls, cpus, sends = [], [], set()
    for _ in range(runs):
        sim.reset()
        run = run_action(sim, "send_message", params)
        check_success(run.out, "bulk send")
        walls.append(run.wall)
        cpus.append(run.cpu)
        sends.add(sim.count("POST", r"/v3/sms/send"))
        queued = run.out["result_data"][0]["summary"].get("queued_count")
    sim.reset()
    _, peak, _ = traced(lambda: run_action(sim, "send_message", params))
    return {"sends": single(sends), "queued": queued, "wall": median(walls), "cpu": median(cpus), "peak": peak}


def normalisation_cost(recipients: int) -> float:
    """CPU seconds of clicksend_params.recipients alone on `recipients` numbers (the parameter check of every send)."""
    import clicksend_params

    raw = ",".join(bench_numbers(recipients))
    started = time.process_time()
    clicksend_params.recipients(raw, "AU")
    return time.process_time() - started


def part_bulk(sim: Sim, runs: int, recipients: int) -> list:
    part = "2 bulk send"
    if not available("send_message"):
        return [Row(part, "send_message", NA)]
    result = bulk_send(sim, recipients, runs)
    expected = math.ceil(recipients / SEND_BATCH)
    per_k = 1000 / recipients
    sends = result["sends"]
    return [
        Row(part, f"{recipients} recipients -> POST sms/send calls", str(sends), f"== {expected}", verdict(sends == expected)),
        Row(part, "messages queued", str(result["queued"]), f"== {recipients}", verdict(result["queued"] == recipients)),
        Row(part, "wall time, whole action", fmt_ms(result["wall"])),
        Row(part, "connector CPU per 1000 messages (process_time)", fmt_ms(result["cpu"] * per_k)),
        Row(part, "  of which recipient normalisation per 1000", fmt_ms(normalisation_cost(recipients) * per_k)),
        Row(part, "peak memory (tracemalloc)", fmt_mib(result["peak"])),
    ]


# --- 3. inbound backlog --------------------------------------------------------------------------------------------


def inbound_backlog(sim: Sim, messages: int, runs: int) -> dict:
    """A scheduled poll over `messages` unread inbound SMS (max_messages_per_poll = messages). The poll works page by
    page: it marks page 1's messages read, which takes them off the list, and reads page 1 again, until it has taken
    max_messages_per_poll and one more read tells whether more are waiting."""
    config = sim.config(max_messages_per_poll=messages)
    params = {"container_count": messages, "artifact_count": messages}
    walls, cpus, platform_cpus = [], [], []
    counts = {}

    def seeded() -> None:
        sim.reset()
        sim.control("POST", "inbound-rules", {"action": "POLL", "enabled": 1})
        sim.control("POST", "bench/inbound", {"count": messages})

    for _ in range(runs):
        seeded()
        run = run_action(sim, "on_poll", params, config=config)
        check_success(run.out, "on_poll")
        walls.append(run.wall)
        cpus.append(run.cpu)
        platform_cpus.append(run.platform_cpu)
        log = sim.requests()
        reads = [item for item in log if item["method"] == "GET" and item["path"] == "/v3/sms/inbound"]
        counts = {
            "pages": len(reads),
            "page_numbers": sorted({int(item["query"]["page"]) for item in reads}),
            "marked": sum(1 for item in log if item["method"] == "PUT" and item["path"].startswith("/v3/sms/inbound-read")),
            "containers": len(run.platform.containers),
            "artifacts": len(run.platform.artifacts),
        }
    seeded()
    holder: dict = {}

    def traced_run() -> None:
        holder["run"] = run_action(sim, "on_poll", params, config=config)

    _, peak, kept = traced(traced_run)
    return dict(counts, wall=median(walls), cpu=median(cpus), platform_cpu=median(platform_cpus), peak=peak, kept=kept)


def inbound_page_reads(messages: int) -> int:
    """Page reads of a poll taking a backlog of `messages` whole: one per page of messages marked read, plus the read
    of the emptied page 1 that tells nothing more is waiting."""
    return math.ceil(messages / PAGE_LIMIT) + 1


def part_inbound(sim: Sim, runs: int, sizes: tuple) -> list:
    part = "3 inbound backlog"
    if not available("on_poll"):
        return [Row(part, "on_poll", NA)]
    rows = []
    per_message = {}
    for size in sizes:
        result = inbound_backlog(sim, size, runs if size <= 1000 else max(1, runs - 2))
        pages = inbound_page_reads(size)
        rows += [
            Row(
                part,
                f"M={size}: GET sms/inbound page reads, all of page 1",
                str(result["pages"]),
                f"== {pages}",
                verdict(result["pages"] == pages and result["page_numbers"] == [1]),
            ),
            Row(part, f"M={size}: containers saved", str(result["containers"]), f"== {size}", verdict(result["containers"] == size)),
            Row(part, f"M={size}: mark-read calls", str(result["marked"]), f"== {size}", verdict(result["marked"] == size)),
            Row(part, f"M={size}: wall time / CPU of this process", f"{fmt_ms(result['wall'])} / {fmt_ms(result['cpu'])}"),
            Row(part, f"M={size}:   CPU in the fake platform's save_* calls", fmt_ms(result["platform_cpu"])),
            Row(part, f"M={size}:   connector CPU per message (the rest)", f"{(result['cpu'] - result['platform_cpu']) / size * 1000:.2f} ms"),
            Row(
                part,
                f"M={size}: peak memory (tracemalloc) / held by the containers after",
                f"{fmt_mib(result['peak'])} / {fmt_mib(result['kept'])}",
            ),
        ]
        per_message[size] = max(0, result["peak"] - result["kept"]) / size
    if len(sizes) == 2:
        small, big = sizes
        growth = per_message[big] / per_message[small] if per_message[small] else float("nan")
        rows.append(
            Row(
                part,
                f"working memory per message (peak - containers) M={small} vs M={big}",
                f"{per_message[small] / 1024:.2f} KiB vs {per_message[big] / 1024:.2f} KiB",
                "not growing with M",
                verdict(growth <= 1.25),
            )
        )
    return rows


# --- 4. contact search ---------------------------------------------------------------------------------------------


def contact_search(sim: Sim, contacts: int, runs: int) -> dict:
    sim.reset()
    seeded = sim.control("POST", "bench/contacts", {"list_name": "bench", "count": contacts})
    list_id, last = seeded["list_id"], seeded["last"]
    results = {}
    for identifier, name, value in (
        ("search_contact_by_phone", "phone_number", last["phone_number"]),
        ("search_contact_by_email", "email", last["email"].upper()),
    ):
        if not available(identifier):
            results[identifier] = None
            continue
        walls, pages, matches = [], set(), set()
        for _ in range(runs):  # the list must survive between runs: page reads are counted as a difference
            before = sim.count("GET", rf"/v3/lists/{list_id}/contacts")
            run = run_action(sim, identifier, {"contact_list_id": list_id, name: value})
            check_success(run.out, identifier)
            walls.append(run.wall)
            pages.add(sim.count("GET", rf"/v3/lists/{list_id}/contacts") - before)
            matches.add(run.out["result_data"][0]["summary"].get("total_matches"))
        results[identifier] = {"wall": median(walls), "pages": single(pages), "matches": single(matches)}
    return results


def part_search(sim: Sim, runs: int, contacts: int) -> list:
    part = "4 contact search"
    results = contact_search(sim, contacts, runs)
    pages = math.ceil(contacts / PAGE_LIMIT)
    rows = []
    for identifier, result in results.items():
        if result is None:
            rows.append(Row(part, identifier, NA))
            continue
        rows += [
            Row(part, f"{identifier}, list of {contacts}: page reads", str(result["pages"]), f"== {pages}", verdict(result["pages"] == pages)),
            Row(part, f"{identifier}: matches (the last contact)", str(result["matches"]), "== 1", verdict(result["matches"] == 1)),
            Row(part, f"{identifier}: wall time", fmt_ms(result["wall"])),
        ]
    return rows


# --- 5. retry cost -------------------------------------------------------------------------------------------------


def retry_cost(sim: Sim, runs: int) -> dict:
    """test_connectivity with and without one 429 Retry-After: 1 on GET account."""
    plain, faulted, gets = [], [], set()
    for _ in range(runs):
        sim.reset()
        run = run_action(sim, "test_connectivity", {})
        check_success(run.out, "test connectivity")
        plain.append(run.wall)
        sim.reset()
        sim.control("POST", "faults", {"method": "GET", "path": "/v3/account", "status": 429, "headers": {"Retry-After": "1"}, "times": 1})
        run = run_action(sim, "test_connectivity", {})
        check_success(run.out, "test connectivity after a 429")
        faulted.append(run.wall)
        gets.add(sim.count("GET", r"/v3/account"))
    return {"plain": median(plain), "faulted": median(faulted), "gets": single(gets)}


def part_retry(sim: Sim, runs: int) -> list:
    part = "5 retry cost"
    if not available("test_connectivity"):
        return [Row(part, "test_connectivity", NA)]
    result = retry_cost(sim, runs)
    added = result["faulted"] - result["plain"]
    return [
        Row(part, "test connectivity, no fault", fmt_ms(result["plain"])),
        Row(part, "test connectivity, GET account answered 429 Retry-After: 1 once", fmt_ms(result["faulted"])),
        Row(part, "GET account requests with the 429", str(result["gets"]), "== 2", verdict(result["gets"] == 2)),
        Row(part, "added by the retry", fmt_ms(added), "~1 s (<= 1.2 s)", verdict(0.95 <= added <= 1.2)),
    ]


# --- machine and output --------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = pyplatform.processor() or "unknown"
    return {
        "CPU": cpu,
        "cores (os.cpu_count)": str(os.cpu_count()),
        "Python": f"{pyplatform.python_implementation()} {pyplatform.python_version()}",
        "OS": pyplatform.platform(),
    }


def write_results(table: str, info: dict, settings: str) -> None:
    commentary = ""
    if RESULTS.exists():
        text = RESULTS.read_text(encoding="utf-8")
        if COMMENTARY_MARK in text:
            commentary = text.split(COMMENTARY_MARK, 1)[1].strip("\n")
    lines = [
        "# Benchmark results",
        "",
        "Generated by `python bench/run_bench.py --write` (`make bench` prints the same table without writing).",
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {settings}.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## Results",
        "",
        table,
        "",
        COMMENTARY_MARK,
        commentary,
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (the median is reported); default 5")
    parser.add_argument("--quick", action="store_true", help="small sizes and 3 runs, for a fast look")
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else max(1, args.runs)
    recipients, contacts, sizes = (2000, 2000, (200, 1000)) if args.quick else (10_000, 10_000, (1000, 5000))
    settings = f"{runs} runs per figure (fewer for the biggest inbound backlog), {recipients} recipients, {contacts} contacts, inbound M={sizes}"
    print(f"ClickSend app benchmark: {settings}", file=sys.stderr)
    rows: list = []
    with Sim() as sim:
        for name, part in (
            ("cold action", lambda: part_cold(sim, runs)),
            ("bulk send", lambda: part_bulk(sim, runs, recipients)),
            ("inbound backlog", lambda: part_inbound(sim, runs, sizes)),
            ("contact search", lambda: part_search(sim, runs, contacts)),
            ("retry cost", lambda: part_retry(sim, max(1, runs - 2))),
        ):
            print(f"  {name}...", file=sys.stderr, flush=True)
            rows += part()
    table = render(rows)
    info = machine()
    print("\n".join(f"{key}: {value}" for key, value in info.items()))
    print(table)
    if args.write:
        write_results(table, info, settings)
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Benchmark of the ClickSend app against the local simulator; prints one table (`make bench`).

Parts: 1 cold action (the connector against a trivial connector on the same fake platform, bare requests and the
official SDK, each a fresh process), 2 bulk send (10 000 recipients; 100 000 for memory and result size),
3 inbound backlog, 4 contacts (search in a big list, update and delete without a list id), 5 the cost of one 429.
A part whose action is not in both clicksend.json and the connector's dispatch table prints "n/a".

Two columns of figures come from one invocation: "after" is this working tree, "before" the app at BEFORE_REV (or
--before REV), taken out of git with `git archive` into a temporary folder and measured by the same code against the
same simulator and fake platform (--before none leaves the column empty). Every action runs in a fresh process
(bench/measure.py), so both versions are measured alike and the simulator's work stays in its own process.

Latency rows give the simulator a per-request latency (--latency, default 0.1 s: what a SOAR server pays to reach
ClickSend) and run once per version; the other rows run without latency and give medians of --runs runs. Nothing
here asserts a time: the verdict column only compares the "after" figure against the issue's targets.

    python bench/run_bench.py [--quick] [--runs N] [--before REV|none] [--latency S] [--write]
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
from typing import Any, NamedTuple, Optional


BENCH = pathlib.Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT / "tools"), str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import requests  # noqa: E402
from measure import bench_number  # noqa: E402


NA = "n/a (action not present)"
RESULTS = BENCH / "RESULTS.md"
COMMENTARY_MARK = "<!-- commentary: everything below this line is kept when the script rewrites the file -->"
BEFORE_REV = "d0d328c"  # version 2.1.0 as it landed: the baseline of 2.2.0 (004f15f was the app before the performance work)
# the figures, written here rather than read from clicksend_consts: the benchmark checks the app against them
SEND_BATCH = 1000
PAGE_LIMIT = 100
MAX_IN_FLIGHT = 8
MB = 10**6  # sizes in MB are decimal megabytes (the stricter reading of the targets)


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
        response = self.http.request(method, f"{self.root_url}/_sim/{name}", json=body, timeout=300)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self.control("POST", "reset")
        self.control("POST", "bench/in-flight")

    def latency(self, seconds: float) -> None:
        self.control("POST", "settings", {"latency": seconds})

    def requests(self) -> list:
        """Every API request since the last reset: method, path and page (no bodies)."""
        return self.control("GET", "bench/requests")

    def count(self, method: str, path_pattern: str) -> int:
        pattern = re.compile(path_pattern)
        return sum(1 for item in self.requests() if item["method"] == method and pattern.fullmatch(item["path"]))

    def in_flight(self) -> int:
        """The most API requests the simulator answered at once since the last reset."""
        return self.control("GET", "bench/in-flight")["peak"]

    def config(self, **overrides: Any) -> dict:
        config = {"base_url": self.url, "username": self.username, "key": self.api_key, "default_country": "AU"}
        config.update(overrides)
        return config


# --- the versions measured -----------------------------------------------------------------------------------------


class Version(NamedTuple):
    label: str  # "before" or "after"
    root: pathlib.Path  # the folder holding its clicksend_connector.py and clicksend.json


AFTER = Version("after", ROOT)


def version_from_git(rev: str) -> Version:
    """The app as it was at `rev`, written out with `git archive` into a temporary folder (removed at exit). Reads the
    repository only: no checkout, no change to the working tree or to git's state."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix=f"clicksend-bench-{rev[:12]}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    if not (folder / "clicksend_connector.py").is_file():
        raise SystemExit(f"{rev} holds no clicksend_connector.py at the top of the repository")
    return Version("before", folder)


def manifest_actions(version: Version = AFTER) -> set:
    manifest = json.loads((version.root / "clicksend.json").read_text(encoding="utf-8"))
    return {action["identifier"] for action in manifest.get("actions", [])}


def available(identifier: str) -> bool:
    """True when the action is both declared in clicksend.json and in the connector's dispatch table (this tree)."""
    import clicksend_connector

    return identifier in manifest_actions() and identifier in clicksend_connector.HANDLERS


def measure(version: Version, kind: str, args: dict) -> dict:
    """bench/measure.py in a fresh process for the app of `version`; its JSON figures."""
    env = child_env()
    env.pop("PYTHONPATH", None)  # the app comes from version.root only
    proc = subprocess.run(
        [sys.executable, str(BENCH / "measure.py"), kind, str(version.root), json.dumps(args)],
        env=env,
        cwd=str(version.root),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{version.label}: measure.py {kind} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_action(
    sim: Sim, version: Version, identifier: str, params: Optional[dict] = None, config: Optional[dict] = None, latency: float = 0.0, **extra: Any
) -> dict:
    """One action of `version` in a fresh process, the simulator answering each request after `latency` seconds: its
    figures (see bench/measure.py), with the simulator's count of the most requests answered at once."""
    sim.control("POST", "bench/in-flight")
    sim.latency(latency)
    try:
        figures = measure(version, "action", dict(identifier=identifier, params=params or {}, config=sim.config(**(config or {})), **extra))
    finally:
        sim.latency(0)
    figures["sim_in_flight"] = sim.in_flight()
    return figures


def median(values: list) -> float:
    return statistics.median(values) if values else float("nan")


def single(values: set) -> Any:
    """The one value every run gave, or the sorted list of the different values."""
    return next(iter(values)) if len(values) == 1 else sorted(values)


def check_success(figures: dict, what: str) -> None:
    if figures.get("status") != "success":
        raise RuntimeError(f"{what} failed: {figures.get('message')}")


# --- the table -----------------------------------------------------------------------------------------------------


class Row(NamedTuple):
    part: str
    measure: str
    after: str
    target: str = ""
    verdict: str = ""
    before: str = ""


COLUMNS = ("part", "measure", "before", "after", "target", "verdict")


def verdict(ok: Optional[bool]) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def fmt_ms(seconds: Optional[float]) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_s(seconds: Optional[float]) -> str:
    return "" if seconds is None else f"{seconds:.2f} s"


def fmt_mib(size: Optional[float]) -> str:
    return "" if size is None else f"{size / 2**20:.1f} MiB"


def fmt_mb(size: Optional[float]) -> str:
    return "" if size is None else f"{size / MB:.1f} MB"


def fmt_x(ratio: Optional[float]) -> str:
    return "" if ratio is None else f"{ratio:.2f}x"


def render(rows: list) -> str:
    cells = [dict(zip(COLUMNS, COLUMNS))] + [{name: getattr(row, name) for name in COLUMNS} for row in rows]
    widths = {name: max(len(cell[name]) for cell in cells) for name in COLUMNS}
    lines = ["| " + " | ".join(cells[0][name].ljust(widths[name]) for name in COLUMNS) + " |"]
    lines.append("|" + "|".join("-" * (widths[name] + 2) for name in COLUMNS) + "|")
    lines += ["| " + " | ".join(cell[name].ljust(widths[name]) for name in COLUMNS) + " |" for cell in cells[1:]]
    return "\n".join(lines)


def by_version(versions: list, fn: Any) -> dict:
    """{label: fn(version)} for each version measured."""
    return {version.label: fn(version) for version in versions}


def compared(part: str, measure: str, figures: dict, text: Any, target: str = "", ok: Any = None) -> Row:
    """A row of a figure measured on each version (figures: {label: that version's figures}): text(figures) in the
    before and after columns, and the verdict ok(figures) of "after"."""
    after, before = figures["after"], figures.get("before")
    return Row(part, measure, text(after), target, verdict(ok(after)) if ok else "", text(before) if before else "")


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

CHILD_TRIVIAL = CHILD_CONNECTOR.replace("clicksend_connector import ClickSendConnector", "trivial_connector import TrivialConnector").replace(
    "run(ClickSendConnector", "run(TrivialConnector"
)

CHILD_CHECKED = CHILD_CONNECTOR.replace(
    "clicksend_connector import ClickSendConnector", "trivial_checked_connector import CheckedTrivialConnector"
).replace("run(ClickSendConnector", "run(CheckedTrivialConnector")

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


def child_env(bytecode: bool = True, path: Optional[pathlib.Path] = None) -> dict:
    """The children's environment. bytecode=True: every module (app, requests, SDK) compiled once into a private cache
    (PYTHONPYCACHEPREFIX), as an installed package would be; False: the app's modules compiled from source each run.
    `path`: the folder the child imports the app (or the trivial connector) from."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(path or ROOT), str(ROOT / "tools")])
    env.pop("PYTHONSTARTUP", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def child(code: str, args: list, bytecode: bool = True, path: Optional[pathlib.Path] = None) -> subprocess.CompletedProcess:
    """`python -c code args` importing from `path`, and run there: with -c the working folder comes first on sys.path,
    so run anywhere else, "before" could import this tree's modules."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], check=True, env=child_env(bytecode, path), cwd=str(path or ROOT), capture_output=True, text=True
    )


def time_child(code: str, args: list, bytecode: bool = True, path: Optional[pathlib.Path] = None) -> float:
    """Wall seconds of child(...): interpreter start to exit."""
    started = time.perf_counter()
    child(code, args, bytecode, path)
    return time.perf_counter() - started


def sdk_installed() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import clicksend"], env=child_env(), capture_output=True, check=False)
    return probe.returncode == 0


def cold_action(sim: Sim, runs: int, versions: list, sdk: bool = True) -> dict:
    """Wall time of a fresh process (interpreter start to exit) for each way to send one SMS, median of `runs` runs,
    the kinds interleaved so that a noisy moment hits every kind alike: {kind: seconds}."""
    with tempfile.TemporaryDirectory(prefix="clicksend-bench-") as home:
        app_args = [sim.url, sim.username, sim.api_key, home]
        kinds = {f"connector {version.label}": (CHILD_CONNECTOR, app_args, True, version.root) for version in versions}
        kinds["connector_no_pyc"] = (CHILD_CONNECTOR, app_args, False, ROOT)
        kinds["trivial"] = (CHILD_TRIVIAL, app_args, True, BENCH / "trivial")
        kinds["checked"] = (CHILD_CHECKED, app_args, True, BENCH / "trivial")
        kinds["requests"] = (CHILD_REQUESTS, app_args[:3], True, ROOT)
        if sdk and sdk_installed():
            kinds["sdk"] = (CHILD_SDK, [sim.root_url, sim.username, sim.api_key], True, ROOT)
        times: dict = {kind: [] for kind in kinds}
        for code, args, bytecode, path in kinds.values():  # one warm-up each: file-system caches, the bytecode cache
            time_child(code, args, bytecode, path)
        for _ in range(runs):
            for kind, (code, args, bytecode, path) in kinds.items():
                times[kind].append(time_child(code, args, bytecode, path))
    return {kind: median(values) for kind, values in times.items()}


def phonenumbers_cost(runs: int) -> float:
    """Median seconds a fresh process with requests loaded spends importing phonenumbers and checking one number."""
    return median([measure(AFTER, "phonenumbers", {})["seconds"] for _ in range(runs)])


def import_profile(module: str = "clicksend_connector", runs: int = 5, path: Optional[pathlib.Path] = None) -> dict:
    """`python -X importtime -c 'import <module>'`: total (us), and self time summed per top-level package (us)."""
    totals, per_package = [], {}
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            env=child_env(path=path),
            cwd=str(path or ROOT),  # first on sys.path with -c: see time_child
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


def part_cold(sim: Sim, runs: int, versions: list) -> list:
    part = "1 cold action"
    timing = cold_action(sim, 3 * runs + 2, versions)  # differences of a few ms: more runs than the other parts
    connector = {version.label: timing[f"connector {version.label}"] for version in versions}
    trivial, checked, bare = timing["trivial"], timing["checked"], timing["requests"]

    def both(label: str, fn: Any, fmt: Any, target: str = "", check: Any = None) -> Row:
        after = fn(connector["after"])
        before = fmt(fn(connector["before"])) if "before" in connector else ""
        return Row(part, label, fmt(after), target, verdict(check(after)) if check else "", before)

    rows = [
        both("fresh process: connector send message, 1 recipient", lambda value: value, fmt_ms),
        Row(part, "  the same with the app's modules compiled from source each run (no .pyc)", fmt_ms(timing["connector_no_pyc"])),
        Row(part, "fresh process: trivial connector checking its recipient (parse, validate, E.164), the same POST", fmt_ms(checked)),
        both(
            "ratio connector / trivial connector with the recipient check", lambda value: value / checked, fmt_x, "<= 1.10x", lambda x: x <= 1.10
        ),
        Row(part, "fresh process: trivial connector without the check, the same POST on the same fake platform", fmt_ms(trivial)),
        both("ratio connector / trivial connector without the check (informational)", lambda value: value / trivial, fmt_x),
    ]
    numbers = phonenumbers_cost(max(3, runs))
    rows += [
        Row(part, "  of which phonenumbers: import and first number check (the recipient check)", fmt_ms(numbers)),
        Row(part, "  ratio without that phonenumbers cost (informational)", fmt_x((connector["after"] - numbers) / trivial)),
        Row(part, "fresh process: bare requests POST sms/send", fmt_ms(bare)),
        both("ratio connector / bare requests", lambda value: value / bare, fmt_x),
    ]
    if "sdk" in timing:
        sdk = timing["sdk"]
        rows.append(Row(part, "fresh process: official SDK clicksend-client send_sms", fmt_ms(sdk)))
        rows.append(both("speed-up connector vs SDK (SDK / connector)", lambda value: sdk / value, fmt_x, ">= 3.00x", lambda speed: speed >= 3))
    else:
        rows.append(Row(part, "official SDK", "n/a (clicksend-client not installed)"))
    profiles = {version.label: import_profile(runs=max(3, runs), path=version.root) for version in versions}
    before_import = fmt_ms(profiles["before"]["total_us"] / 1e6) if "before" in profiles else ""
    after_import = fmt_ms(profiles["after"]["total_us"] / 1e6)
    rows.append(Row(part, "import clicksend_connector (-X importtime, cumulative)", after_import, before=before_import))
    for group, micros in import_groups(profiles["after"]).items():
        rows.append(Row(part, f"  of which {group} (self times)", fmt_ms(micros / 1e6)))
    bare_profile = import_profile("requests", runs=max(3, runs))
    rows.append(Row(part, "import requests alone (for comparison)", fmt_ms(bare_profile["total_us"] / 1e6)))
    return rows


# --- 2. bulk send --------------------------------------------------------------------------------------------------


def bulk_send(sim: Sim, recipients: int, runs: int, version: Version = AFTER) -> dict:
    """send_message to `recipients` numbers: send calls, wall and CPU time (median), tracemalloc peak (one more run)."""
    walls, cpus, sends = [], [], set()
    queued = None
    for _ in range(runs):
        sim.reset()
        figures = run_action(sim, version, "send_message", {"message": ONE_TEXT}, recipients=recipients)
        check_success(figures, "bulk send")
        walls.append(figures["wall"])
        cpus.append(figures["cpu"])
        sends.add(sim.count("POST", r"/v3/sms/send"))
        queued = figures["summary"].get("queued_count")
    sim.reset()
    traced = run_action(sim, version, "send_message", {"message": ONE_TEXT}, recipients=recipients, trace=True)
    return {"sends": single(sends), "queued": queued, "wall": median(walls), "cpu": median(cpus), "peak": traced["peak"]}


def big_send(sim: Sim, recipients: int, version: Version = AFTER) -> dict:
    """One send_message to `recipients` numbers in a fresh process: its peak resident memory (ru_maxrss, the whole
    process: interpreter, fake platform and app) and the size of the result JSON the platform stores."""
    sim.reset()
    config = {"max_recipients_per_action": max(recipients, 10_000)}  # the asset allows the send (default cap: 10 000)
    figures = run_action(sim, version, "send_message", {"message": "x" * 160}, config=config, recipients=recipients)
    check_success(figures, f"send to {recipients}")
    return dict(figures, sends=sim.count("POST", r"/v3/sms/send"), queued=figures["summary"].get("queued_count"))


def normalisation_cost(recipients: int) -> float:
    """CPU seconds of clicksend_params.recipients alone on `recipients` numbers (the parameter check of every send)."""
    import clicksend_params

    raw = ",".join(bench_number(index) for index in range(recipients))
    started = time.process_time()
    clicksend_params.recipients(raw, "AU")
    return time.process_time() - started


def part_bulk(sim: Sim, runs: int, recipients: int, versions: list, big: int = 0) -> list:
    part = "2 bulk send"
    if not available("send_message"):
        return [Row(part, "send_message", NA)]
    result = bulk_send(sim, recipients, runs)
    expected = math.ceil(recipients / SEND_BATCH)
    per_k = 1000 / recipients
    sends = result["sends"]
    rows = [
        Row(part, f"{recipients} recipients -> POST sms/send calls", str(sends), f"== {expected}", verdict(sends == expected)),
        Row(part, "messages queued", str(result["queued"]), f"== {recipients}", verdict(result["queued"] == recipients)),
        Row(part, "wall time, whole action", fmt_ms(result["wall"])),
        Row(part, "connector CPU per 1000 messages (process_time)", fmt_ms(result["cpu"] * per_k)),
        Row(part, "  of which recipient normalisation per 1000", fmt_ms(normalisation_cost(recipients) * per_k)),
        Row(part, "peak memory (tracemalloc)", fmt_mib(result["peak"])),
    ]
    if big:
        figures = by_version(versions, lambda version: big_send(sim, big, version))
        calls = math.ceil(big / SEND_BATCH)
        rows += [
            compared(part, f"{big} recipients, 160 characters: POST sms/send calls", figures, lambda f: str(f["sends"]), f"== {calls}",
                     lambda f: f["sends"] == calls),
            compared(part, f"{big} recipients: messages queued", figures, lambda f: str(f["queued"]), f"== {big}", lambda f: f["queued"] == big),
            compared(part, f"{big} recipients: peak RSS of the fresh process (ru_maxrss)", figures, lambda f: fmt_mb(f["rss"]), "<= 250 MB",
                     lambda f: f["rss"] <= 250 * MB),
            compared(part, f"{big} recipients: result JSON the platform stores", figures, lambda f: fmt_mb(f["json_bytes"]), "<= 25 MB",
                     lambda f: f["json_bytes"] <= 25 * MB),
            compared(part, f"{big} recipients: wall time, whole action", figures, lambda f: fmt_ms(f["wall"])),
        ]
    return rows


# --- 3. inbound backlog --------------------------------------------------------------------------------------------


def inbound_backlog(sim: Sim, messages: int, runs: int, version: Version = AFTER, trace: bool = True, latency: float = 0.0) -> dict:
    """A scheduled poll over `messages` unread inbound SMS (max_messages_per_poll = messages). The poll works page by
    page: it saves page 1's messages and marks them read, which takes them off the list, and reads page 1 again, until
    it has taken max_messages_per_poll and one more read tells whether more are waiting."""
    config = {"max_messages_per_poll": messages}
    params = {"container_count": messages, "artifact_count": messages}
    walls, cpus, platform_cpus, flights = [], [], [], []
    counts: dict = {}

    def seeded() -> None:
        sim.reset()
        sim.control("POST", "inbound-rules", {"action": "POLL", "enabled": 1})
        sim.control("POST", "bench/inbound", {"count": messages})

    for _ in range(runs):
        seeded()
        figures = run_action(sim, version, "on_poll", params, config=config, latency=latency)
        check_success(figures, "on_poll")
        walls.append(figures["wall"])
        cpus.append(figures["cpu"])
        platform_cpus.append(figures["platform_cpu"])
        flights.append(figures["sim_in_flight"])
        log = sim.requests()
        reads = [item for item in log if item["method"] == "GET" and item["path"] == "/v3/sms/inbound"]
        counts = {
            "pages": len(reads),
            "page_numbers": sorted({int(item["page"]) for item in reads}),
            "marked": sum(1 for item in log if item["method"] == "PUT" and item["path"].startswith("/v3/sms/inbound-read")),
            "containers": figures["containers"],
            "artifacts": figures["artifacts"],
        }
    result = dict(counts, wall=median(walls), cpu=median(cpus), platform_cpu=median(platform_cpus), in_flight=max(flights, default=0))
    if trace:
        seeded()
        traced = run_action(sim, version, "on_poll", params, config=config, trace=True)
        result.update(peak=traced["peak"], kept=traced["kept"])
    return result


def inbound_page_reads(messages: int) -> int:
    """Page reads of a poll taking a backlog of `messages` whole: one per page of messages marked read, plus the read
    of the emptied page 1 that tells nothing more is waiting."""
    return math.ceil(messages / PAGE_LIMIT) + 1


def per_message_memory(result: dict, size: int) -> float:
    """Working memory per message: the tracemalloc peak beyond what the saved containers hold after the run."""
    return max(0, result["peak"] - result["kept"]) / size


def growth_row(part: str, what: str, sizes: tuple, values: dict, unit: Any, flat: Any) -> Row:
    """A "does not grow with size" row: values = {label: {size: value}}; the verdict is on "after"."""

    def text(label: str) -> str:
        if label not in values:
            return ""
        return " vs ".join(unit(values[label][size]) for size in sizes)

    small, big = sizes
    after = values["after"]
    ok = flat(after[small], after[big])
    return Row(part, f"{what} {small} vs {big}", text("after"), "not growing", verdict(ok), text("before"))


def part_inbound(sim: Sim, runs: int, sizes: tuple, versions: list, latency: float, latency_size: int) -> list:
    part = "3 inbound backlog"
    if not available("on_poll"):
        return [Row(part, "on_poll", NA)]
    rows = []
    memory: dict = {version.label: {} for version in versions}
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
            Row(part, f"M={size}: wall time / CPU of the action's process", f"{fmt_ms(result['wall'])} / {fmt_ms(result['cpu'])}"),
            Row(part, f"M={size}:   CPU in the fake platform's save_* calls", fmt_ms(result["platform_cpu"])),
            Row(part, f"M={size}:   connector CPU per message (the rest)", f"{(result['cpu'] - result['platform_cpu']) / size * 1000:.2f} ms"),
            Row(
                part,
                f"M={size}: peak memory (tracemalloc) / held by the containers after",
                f"{fmt_mib(result['peak'])} / {fmt_mib(result['kept'])}",
            ),
        ]
        memory["after"][size] = per_message_memory(result, size)
        for version in versions:
            if version.label != "after":
                memory[version.label][size] = per_message_memory(inbound_backlog(sim, size, 0, version), size)
    if len(sizes) == 2:
        rows.append(
            growth_row(
                part, "working memory per message (peak - containers) M=", sizes, memory, lambda value: f"{value / 1024:.2f} KiB",
                lambda small, big: big <= small * 1.25,
            )
        )
    if latency:
        timed = by_version(versions, lambda version: inbound_backlog(sim, latency_size, 1, version, trace=False, latency=latency))
        label = f"M={latency_size} at {latency * 1000:.0f} ms per request"
        rows += [
            compared(part, f"{label}: wall time of the poll", timed, lambda f: fmt_s(f["wall"]), "<= 25 s", lambda f: f["wall"] <= 25),
            compared(part, f"{label}: containers saved / mark-read calls", timed, lambda f: f"{f['containers']} / {f['marked']}",
                     f"== {latency_size} / {latency_size}", lambda f: f["containers"] == f["marked"] == latency_size),
            compared(part, f"{label}: most requests in flight at once (simulator)", timed, lambda f: str(f["in_flight"]),
                     f"<= {MAX_IN_FLIGHT}", lambda f: f["in_flight"] <= MAX_IN_FLIGHT),
        ]
    return rows


# --- 4. contacts ---------------------------------------------------------------------------------------------------


def seed_list(sim: Sim, contacts: int, name: str = "bench") -> dict:
    return sim.control("POST", "bench/contacts", {"list_name": name, "count": contacts})


SEARCHES = (("search_contact_by_phone", "phone_number"), ("search_contact_by_email", "email"))


def contact_search(sim: Sim, contacts: int, runs: int, version: Version = AFTER, latency: float = 0.0, trace: bool = False) -> dict:
    """Each search for the last contact of a list of `contacts`: wall time (median), page reads, matches, requests in
    flight; with trace, the tracemalloc peak of one more run."""
    sim.reset()
    seeded = seed_list(sim, contacts)
    list_id, last = seeded["list_id"], seeded["last"]
    results = {}
    for identifier, name in SEARCHES:
        if not available(identifier):
            results[identifier] = None
            continue
        value = last["phone_number"] if name == "phone_number" else last["email"].upper()
        params = {"contact_list_id": list_id, name: value}
        walls, pages, matches, flights = [], set(), set(), []
        for _ in range(runs):  # the list survives between runs: page reads are counted as a difference
            before = sim.count("GET", rf"/v3/lists/{list_id}/contacts")
            figures = run_action(sim, version, identifier, params, latency=latency)
            check_success(figures, identifier)
            walls.append(figures["wall"])
            flights.append(figures["sim_in_flight"])
            pages.add(sim.count("GET", rf"/v3/lists/{list_id}/contacts") - before)
            matches.add(figures["summary"].get("total_matches"))
        results[identifier] = {"wall": median(walls), "pages": single(pages), "matches": single(matches), "in_flight": max(flights, default=0)}
        if trace:
            results[identifier]["peak"] = run_action(sim, version, identifier, params, trace=True)["peak"]
    return results


def contact_without_list(sim: Sim, identifier: str, lists: int, per_list: int, version: Version = AFTER, latency: float = 0.0) -> dict:
    """update_contact or delete_contact given only the contact id of the last contact of the last of `lists` lists of
    `per_list` contacts: every page of every list is read before it is found."""
    sim.reset()
    last = None
    for index in range(lists):
        last = seed_list(sim, per_list, f"bench {index + 1}")["last"]
    params = {"contact_id": last["contact_id"]}
    if identifier == "update_contact":
        params["first_name"] = "Benchmarked"
    figures = run_action(sim, version, identifier, params, latency=latency)
    check_success(figures, identifier)
    log = sim.requests()
    pages = sum(1 for item in log if item["method"] == "GET" and re.fullmatch(r"/v3/lists(/\d+/contacts)?", item["path"]))
    return {"wall": figures["wall"], "pages": pages, "in_flight": figures["sim_in_flight"]}


def part_contacts(sim: Sim, runs: int, contacts: int, versions: list, latency: float, lists: tuple, memory_sizes: tuple) -> list:
    part = "4 contacts"
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
    if results.get("search_contact_by_phone") is None:
        return rows
    peaks: dict = {version.label: {} for version in versions}
    for version in versions:
        for size in memory_sizes:
            peaks[version.label][size] = contact_search(sim, size, 1, version, trace=True)["search_contact_by_phone"]["peak"]
    rows.append(
        growth_row(part, "search_contact_by_phone peak memory (tracemalloc), list of", memory_sizes, peaks, fmt_mib,
                   lambda small, big: big <= small * 1.25 + 2**20)
    )
    if not latency:
        return rows
    at = f"at {latency * 1000:.0f} ms per request"
    timed = by_version(versions, lambda version: contact_search(sim, contacts, 1, version, latency=latency))
    for identifier, _ in SEARCHES:
        searches = {label: figures[identifier] for label, figures in timed.items()}
        rows.append(compared(part, f"{identifier}, list of {contacts} {at}: wall time", searches, lambda f: fmt_s(f["wall"]), "<= 2.5 s",
                             lambda f: f["wall"] <= 2.5))
    count, size = lists
    reads = 1 + count * math.ceil(size / PAGE_LIMIT)
    for identifier in ("update_contact", "delete_contact"):
        if not available(identifier):
            rows.append(Row(part, identifier, NA))
            continue
        found = by_version(versions, lambda version, identifier=identifier: contact_without_list(sim, identifier, count, size, version, latency))
        rows += [
            compared(part, f"{identifier} without a list id, {count} lists x {size} {at}: wall time", found, lambda f: fmt_s(f["wall"]),
                     "<= 5 s", lambda f: f["wall"] <= 5),
            compared(part, f"{identifier}: page reads / most in flight at once (simulator)", found, lambda f: f"{f['pages']} / {f['in_flight']}",
                     f"== {reads} / <= {MAX_IN_FLIGHT}", lambda f: f["pages"] == reads and f["in_flight"] <= MAX_IN_FLIGHT),
        ]
    return rows


# --- 5. retry cost -------------------------------------------------------------------------------------------------


def retry_cost(sim: Sim, runs: int) -> dict:
    """test_connectivity with and without one 429 Retry-After: 1 on GET account."""
    plain, faulted, gets = [], [], set()
    for _ in range(runs):
        sim.reset()
        figures = run_action(sim, AFTER, "test_connectivity")
        check_success(figures, "test connectivity")
        plain.append(figures["wall"])
        sim.reset()
        sim.control("POST", "faults", {"method": "GET", "path": "/v3/account", "status": 429, "headers": {"Retry-After": "1"}, "times": 1})
        figures = run_action(sim, AFTER, "test_connectivity")
        check_success(figures, "test connectivity after a 429")
        faulted.append(figures["wall"])
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
    parser.add_argument("--runs", type=int, default=5, help="runs per figure without latency (the median is reported); default 5")
    parser.add_argument("--quick", action="store_true", help="small sizes and 3 runs, for a fast look")
    parser.add_argument("--before", default=BEFORE_REV, help=f"git revision measured as 'before' (default {BEFORE_REV}); 'none' for none")
    parser.add_argument("--latency", type=float, default=0.1, help="the simulator's per-request latency of the latency rows (s); 0: none")
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else max(1, args.runs)
    if args.quick:
        recipients, big, contacts, sizes, lists, memory_sizes, backlog = 2000, 10_000, 2000, (200, 1000), (5, 300), (300, 2000), 200
    else:
        recipients, big, contacts, sizes, lists, memory_sizes, backlog = 10_000, 100_000, 10_000, (1000, 5000), (20, 1000), (1000, 10_000), 1000
    versions = [AFTER]
    before = "none" if args.before.lower() == "none" else args.before
    if before != "none":
        versions.insert(0, version_from_git(before))
    settings = (
        f"after = this working tree, before = {before}; {runs} runs per figure without latency (fewer for the biggest inbound "
        f"backlog), one run per version at {args.latency * 1000:.0f} ms per request; {recipients} and {big} recipients, "
        f"{contacts} contacts, inbound M={sizes}, latency backlog M={backlog}, {lists[0]} lists x {lists[1]} contacts"
    )
    print(f"ClickSend app benchmark: {settings}", file=sys.stderr)
    rows: list = []
    with Sim() as sim:
        for name, part in (
            ("cold action", lambda: part_cold(sim, runs, versions)),
            ("bulk send", lambda: part_bulk(sim, runs, recipients, versions, big)),
            ("inbound backlog", lambda: part_inbound(sim, runs, sizes, versions, args.latency, backlog)),
            ("contacts", lambda: part_contacts(sim, runs, contacts, versions, args.latency, lists, memory_sizes)),
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

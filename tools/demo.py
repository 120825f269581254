#!/usr/bin/env python3
"""The demo: every action end to end, through the fake SOAR platform, against the local ClickSend simulator.

No ClickSend account is needed. Each module tools/demo_steps/s<NN>_<topic>.py defines run(demo) and runs its
actions with demo.action(...); they run in name order. Exit status 1 if any step ends differently than expected.
"""

import importlib
import json
import pathlib
import sys
import tempfile
import time
from datetime import datetime, timezone


ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

from clicksend_sim import ClickSendSimulator  # noqa: E402
from phantom_sdk_stubs import FakePlatform  # noqa: E402

from clicksend_connector import ClickSendConnector  # noqa: E402
from clicksend_text import plural  # noqa: E402


class Demo:
    def __init__(self, sim, platform):
        self.sim = sim
        self.platform = platform
        self.config = {
            "base_url": sim.url,
            "username": sim.username,
            "key": sim.api_key,
            "default_country": "AU",
            "default_from": "+61431111112",
            "to": "+61411111111",
        }
        self.failures = 0
        # a time to schedule sends at: a week ahead (the app refuses more than a year ahead)
        self.later = datetime.fromtimestamp(time.time() + 7 * 86400, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def action(self, title, identifier, params=None, expect="success", container_id=None, poll_now=False, config=None):
        out = self.platform.run(
            ClickSendConnector,
            identifier,
            parameters=[params or {}],
            config=dict(self.config, **(config or {})),
            asset_id="1",
            container_id=container_id,
            poll_now=poll_now,
        )
        result = out["result_data"][0] if out.get("result_data") else {"status": out["status"], "message": out["message"], "summary": {}}
        mark = "ok " if result["status"] == expect else "FAIL"
        self.failures += result["status"] != expect
        print(f"\n[{mark}] {title}  ({identifier}: {result['status']})")
        print(f"      message: {result['message']}")
        if result.get("summary"):
            print(f"      summary: {json.dumps(result['summary'], ensure_ascii=False)}")
        if identifier == "on_poll":
            print(f"      containers: {json.dumps(out['result_summary'], ensure_ascii=False)}")
        return out


def main():
    steps = sorted(p.stem for p in (ROOT / "tools" / "demo_steps").glob("s[0-9]*.py"))
    with tempfile.TemporaryDirectory() as home, ClickSendSimulator() as sim:
        sim.start()
        print(f"ClickSend simulator listening at {sim.url}; SOAR platform fake at {home}")
        demo = Demo(sim, FakePlatform(home=pathlib.Path(home)))
        for name in steps:
            importlib.import_module(f"demo_steps.{name}").run(demo)
        print(f"\nDemo finished: {plural(demo.failures, 'step')} did not end as expected; the simulator saw {len(sim.requests)} requests")
    return 1 if demo.failures else 0


if __name__ == "__main__":
    sys.exit(main())

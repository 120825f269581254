"""A corrupt, empty or old-format state file never crashes an action; the app starts from a clean state."""

import json

import pytest

from tests.conftest import MANIFEST, sim_config


APPID = MANIFEST["appid"]


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2]", "null", json.dumps({"app_version": "1.0.5", "last_id": 7})])
def test_bad_or_old_state_does_not_break_an_action(sim, sim_run, platform, content):
    platform.write_state("1", APPID, content)
    sim_run("send_message", {"to": "+61411111111", "message": "x"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    saved = platform.read_state("1", APPID)
    assert isinstance(saved, dict)
    assert saved["app_version"] == MANIFEST["app_version"]
    unreadable = content in ("{not json", "", "[1, 2]", "null")
    assert sim_run.result["message"].endswith("the saved state file could not be read, so the app started from a clean state") == unreadable


def test_on_poll_with_a_corrupt_state_starts_clean_and_says_so(sim, sim_run, platform):
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_inbound_message("+61411111111", "hello")
    platform.write_state("1", APPID, "{corrupt")
    sim_run("on_poll", {"container_count": 5}, poll_now=True)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert "started from a clean state" in sim_run.result["message"]
    assert len(platform.containers) == 1
    assert isinstance(platform.read_state("1", APPID), dict)


def test_state_never_holds_the_key(sim, sim_run, platform):
    sim_run("test_connectivity", config=sim_config(sim, to="+61411111111"))
    assert sim.api_key not in json.dumps(platform.read_state("1", APPID))

from __future__ import annotations

import json
import os

import phantom.app as phantom
from phantom.action_result import ActionResult


APPID = "11111111-2222-3333-4444-555555555555"


def _run_with(platform, connector_class, config, on_action, asset_id="1"):
    connector_class.on_action = on_action
    return platform.run(connector_class, "test_connectivity", config=config, asset_id=asset_id)


def _ok(self, param):
    return self.add_action_result(ActionResult(dict(param))).set_status(phantom.APP_SUCCESS)


def test_state_paths(platform, connector_class, config):
    seen = {}

    def on_action(self, param):
        seen["dir"] = self.get_state_dir()
        seen["file"] = self.get_state_file_path()
        return _ok(self, param)

    _run_with(platform, connector_class, config, on_action, asset_id="5")
    expected_dir = os.path.join(platform.home, "local_data", "app_states", APPID)
    assert seen["dir"].rstrip(os.sep) == expected_dir
    assert seen["file"] == os.path.join(expected_dir, "5_state.json")
    assert platform.state_path("5", APPID) == seen["file"]


def test_load_state_creates_missing_file(platform, connector_class, config):
    seen = {}

    def on_action(self, param):
        seen["before"] = self.get_state()
        seen["loaded"] = self.load_state()
        seen["after"] = self.get_state()
        return _ok(self, param)

    _run_with(platform, connector_class, config, on_action)
    assert seen["before"] is None
    assert seen["loaded"] == {"app_version": "1.2.3"} == seen["after"]
    assert platform.read_state("1", APPID) == {"app_version": "1.2.3"}


def test_save_state_replaces_whole_file(platform, connector_class, config):
    platform.write_state("1", APPID, {"old_key": 1, "app_version": "1.0.0"})
    seen = {}

    def on_action(self, param):
        seen["loaded"] = self.load_state()
        self.save_state({"last_time": 123})
        seen["state"] = self.get_state()
        return _ok(self, param)

    _run_with(platform, connector_class, config, on_action)
    assert seen["loaded"] == {"old_key": 1, "app_version": "1.0.0"}
    assert platform.read_state("1", APPID) == {"last_time": 123, "app_version": "1.2.3"}
    assert seen["state"] == {"last_time": 123, "app_version": "1.2.3"}


def test_corrupt_state_returns_none(platform, connector_class, config):
    platform.write_state("1", APPID, "{not json")
    seen = {}

    def on_action(self, param):
        seen["loaded"] = self.load_state()
        return _ok(self, param)

    _run_with(platform, connector_class, config, on_action)
    assert seen["loaded"] is None
    assert platform.read_state("1", APPID) is None
    with open(platform.state_path("1", APPID), encoding="utf-8") as handle:
        assert handle.read() == "{not json"


def test_state_is_per_asset_and_in_all_output(platform, connector_class, config):
    def on_action(self, param):
        self.save_state({"token": encrypted_marker(self)})
        return _ok(self, param)

    def encrypted_marker(self):
        return f"marker-for-{self.get_asset_id()}"

    _run_with(platform, connector_class, config, on_action, asset_id="1")
    _run_with(platform, connector_class, config, on_action, asset_id="2")
    assert platform.read_state("1", APPID)["token"] == "marker-for-1"
    assert platform.read_state("2", APPID)["token"] == "marker-for-2"
    output = platform.all_output()
    assert "marker-for-1" in output and "marker-for-2" in output


def test_reset_keeps_state_files(platform, connector_class, config):
    platform.write_state("1", APPID, {"a": 1})
    platform.progress.append("x")
    platform.reset()
    assert platform.progress == [] and platform.results == []
    assert json.loads(open(platform.state_path("1", APPID), encoding="utf-8").read()) == {"a": 1}

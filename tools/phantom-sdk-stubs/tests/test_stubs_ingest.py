from __future__ import annotations

import phantom.app as phantom
import pytest
from phantom.action_result import ActionResult
from phantom_sdk_stubs import ProcessKilled


def _poll(platform, connector_class, config, on_action, **kwargs):
    connector_class.on_action = on_action
    return platform.run(connector_class, "on_poll", parameters={"container_count": 10}, config=config, **kwargs)


def _finish(self, param):
    return self.add_action_result(ActionResult(dict(param))).set_status(phantom.APP_SUCCESS)


def test_save_container_with_artifacts_and_counters(platform, connector_class, config):
    returned = []

    def on_action(self, param):
        for sdi in ("msg-1", "msg-2"):
            container = {
                "name": f"Message {sdi}",
                "source_data_identifier": sdi,
                "artifacts": [
                    {"name": "a", "cef": {"messageId": sdi}, "source_data_identifier": f"{sdi}-a"},
                    {"name": "b", "cef": {"to": "+61400000000"}, "source_data_identifier": f"{sdi}-b"},
                ],
            }
            returned.append(self.save_container(container))
        return _finish(self, param)

    result = _poll(platform, connector_class, config, on_action, asset_id="3", ingest_label="sms")
    assert [r[0] for r in returned] == [True, True]
    assert [r[2] for r in returned] == [1, 2]
    assert set(platform.containers) == {1, 2}
    container = platform.containers[1]
    assert container["label"] == "sms" and container["asset_id"] == "3" and container["id"] == 1
    assert "artifacts" not in container
    arts = platform.container_artifacts(1)
    assert [a["name"] for a in arts] == ["a", "b"]
    assert [a["run_automation"] for a in arts] == [False, True]
    assert all(a["container_id"] == 1 and a["label"] == "artifact" and a["type"] == "network" for a in arts)
    summary = result["result_summary"]
    assert summary["containers_successful"] == 2 and summary["artifacts_successful"] == 4
    assert summary["containers_failed"] == summary["containers_duplicate"] == 0
    assert summary["artifacts_failed"] == summary["artifacts_duplicate"] == 0


def test_duplicate_container(platform, connector_class, config):
    returned = []

    def on_action(self, param):
        container = {"name": "x", "source_data_identifier": "sdi-1", "label": "custom", "artifacts": [{"name": "a", "cef": {"k": 1}}]}
        returned.append(self.save_container(container))
        returned.append(self.save_container(dict(container, artifacts=[{"name": "new", "cef": {"k": 2}}])))
        returned.append(self.save_container(container, fail_on_duplicate=True))
        return _finish(self, param)

    result = _poll(platform, connector_class, config, on_action)
    assert returned[0] == (True, returned[0][1], 1)
    assert returned[1] == (True, "Duplicate container found", 1)
    assert returned[2] == (False, "Duplicate container found", 1)
    assert platform.containers[1]["label"] == "custom"
    assert [a["name"] for a in platform.container_artifacts(1)] == ["a"]
    assert result["result_summary"]["containers_successful"] == 1
    assert result["result_summary"]["containers_duplicate"] == 2
    assert result["result_summary"]["artifacts_successful"] == 1


def test_same_sdi_on_another_asset_is_not_a_duplicate(platform, connector_class, config):
    def on_action(self, param):
        self.save_container({"name": "x", "source_data_identifier": "same"})
        return _finish(self, param)

    _poll(platform, connector_class, config, on_action, asset_id="1")
    _poll(platform, connector_class, config, on_action, asset_id="2")
    _poll(platform, connector_class, config, on_action, asset_id="2")
    assert len(platform.containers) == 2


def test_save_artifact_dedupe_and_validation(platform, connector_class, config):
    returned = {}

    def on_action(self, param):
        _ok, _msg, cid = self.save_container({"name": "c", "source_data_identifier": "c1"})
        returned["first"] = self.save_artifact({"container_id": cid, "name": "n", "cef": {"a": 1}, "source_data_identifier": "s1"})
        returned["same_sdi"] = self.save_artifact({"container_id": cid, "name": "other", "cef": {"a": 2}, "source_data_identifier": "s1"})
        returned["content"] = self.save_artifact({"container_id": cid, "name": "plain", "cef": {"b": 1}})
        returned["same_content"] = self.save_artifact({"container_id": cid, "name": "plain", "cef": {"b": 1}})
        returned["diff_content"] = self.save_artifact({"container_id": cid, "name": "plain", "cef": {"b": 2}})
        returned["no_container"] = self.save_artifact({"name": "orphan"})
        returned["bad_container"] = self.save_artifact({"container_id": 999, "name": "orphan"})
        returned["batch"] = self.save_artifacts([{"container_id": cid, "name": "x1"}, {"container_id": cid, "name": "x2"}])
        return _finish(self, param)

    result = _poll(platform, connector_class, config, on_action)
    first_id = returned["first"][2]
    assert returned["first"][0] is True
    assert returned["same_sdi"] == (True, "Artifact already exists", first_id)
    assert returned["same_content"] == (True, "Artifact already exists", returned["content"][2])
    assert returned["diff_content"][2] not in (first_id, returned["content"][2])
    assert returned["no_container"][0] is False and returned["no_container"][2] is None
    assert returned["bad_container"][0] is False
    status, _msg, ids = returned["batch"]
    assert status is True and len(ids) == 2 and None not in ids
    assert [platform.artifacts[i]["run_automation"] for i in ids] == [False, True]
    summary = result["result_summary"]
    assert summary["artifacts_successful"] == 5
    assert summary["artifacts_duplicate"] == 2
    assert summary["artifacts_failed"] == 2
    assert all("container_id" in art for art in platform.artifacts.values())


def test_fail_next(platform, connector_class, config):
    returned = []

    def on_action(self, param):
        returned.append(self.save_container({"name": "a", "source_data_identifier": "a"}))
        returned.append(self.save_container({"name": "b", "source_data_identifier": "b"}))
        returned.append(self.save_container({"name": "c", "source_data_identifier": "c"}))
        return _finish(self, param)

    platform.fail_next("save_container", times=2, message="Platform is busy")
    result = _poll(platform, connector_class, config, on_action)
    assert returned[0] == (False, "Platform is busy", None)
    assert returned[1] == (False, "Platform is busy", None)
    assert returned[2][0] is True
    assert [c["name"] for c in platform.containers.values()] == ["c"]
    assert result["result_summary"]["containers_failed"] == 2
    assert result["result_summary"]["containers_successful"] == 1


def test_fail_next_artifact(platform, connector_class, config):
    returned = []

    def on_action(self, param):
        _s, _m, cid = self.save_container({"name": "c"})
        returned.append(self.save_artifact({"container_id": cid, "name": "x"}))
        returned.append(self.save_artifact({"container_id": cid, "name": "x"}))
        return _finish(self, param)

    platform.fail_next("save_artifact", message="nope")
    _poll(platform, connector_class, config, on_action)
    assert returned[0] == (False, "nope", None)
    assert returned[1][0] is True
    assert len(platform.artifacts) == 1


def test_kill_on_save_container_after_one(platform, connector_class, config):
    def on_action(self, param):
        for name in ("a", "b", "c"):
            self.save_container({"name": name, "source_data_identifier": name, "artifacts": [{"name": name}]})
        self.save_state({"checkpoint": "c"})
        return _finish(self, param)

    platform.kill_on("save_container", after=1)
    with pytest.raises(ProcessKilled):
        _poll(platform, connector_class, config, on_action)
    assert [c["name"] for c in platform.containers.values()] == ["a", "b"]
    assert len(platform.artifacts) == 2
    assert "finalize" not in platform.last_connector.calls
    assert platform.read_state("1", "11111111-2222-3333-4444-555555555555") is None
    again = _poll(platform, connector_class, config, on_action)
    assert again["result_summary"]["containers_duplicate"] == 2
    assert again["result_summary"]["containers_successful"] == 1


def test_kill_on_save_artifact_next_call(platform, connector_class, config):
    def on_action(self, param):
        _s, _m, cid = self.save_container({"name": "c"})
        self.save_artifact({"container_id": cid, "name": "first"})
        self.save_artifact({"container_id": cid, "name": "second"})
        return _finish(self, param)

    platform.kill_on("save_artifact", after=0)
    with pytest.raises(ProcessKilled):
        _poll(platform, connector_class, config, on_action)
    assert [a["name"] for a in platform.artifacts.values()] == ["first"]


def test_fault_injection_rejects_unknown_operation(platform):
    with pytest.raises(ValueError):
        platform.fail_next("save_everything")
    with pytest.raises(ValueError):
        platform.kill_on("delete_container")


def test_label_default_without_ingest_config_and_non_ingest_summary(platform, connector_class, config):
    def on_action(self, param):
        self.save_container({"name": "x"})
        return _finish(self, param)

    connector_class.on_action = on_action
    result = platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config, ingest_label=None)
    assert platform.containers[1]["label"] == "incident"
    assert "containers_successful" not in result["result_summary"]


def test_get_container_info_and_seeded_containers(platform, connector_class, config):
    seeded = platform.add_container({"id": 40, "name": "seeded", "label": "events"})
    assert seeded == 40
    seen = {}

    def on_action(self, param):
        seen["current"] = self.get_container_info()
        seen["missing"] = self.get_container_info(999)
        seen["new"] = self.save_container({"name": "after seed"})
        return _finish(self, param)

    connector_class.on_action = on_action
    platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config, container_id=40)
    ok, info, code = seen["current"]
    assert ok is True and code == 200 and info["name"] == "seeded"
    assert seen["missing"][0] is False and seen["missing"][2] == 404
    assert seen["new"][2] == 41


def test_reset_clears_store(platform, connector_class, config):
    def on_action(self, param):
        self.save_container({"name": "x", "artifacts": [{"name": "a"}]})
        self.save_progress("p")
        return _finish(self, param)

    _poll(platform, connector_class, config, on_action)
    platform.fail_next("save_container")
    platform.reset()
    assert platform.containers == {} and platform.artifacts == {} and platform.progress == [] and platform.debug_log == []
    _poll(platform, connector_class, config, on_action)
    assert list(platform.containers) == [1]

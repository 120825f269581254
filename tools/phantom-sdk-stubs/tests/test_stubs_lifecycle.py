from __future__ import annotations

import json
import os

import encryption_helper
import phantom.app as phantom
import phantom.base_connector as base_conn
import pytest
from phantom.action_result import ActionResult
from phantom_sdk_stubs import ProcessKilled


def test_result_json_shape_for_one_success(platform, connector_class, config):
    result = platform.run(connector_class, "send_message", parameters={"to": "+61400000000"}, config=config)
    assert set(result) == {"identifier", "result_data", "result_summary", "status", "message", "exception_occured", "action_cancelled"}
    assert result["identifier"] == "send_message"
    assert result["status"] == "success"
    assert result["message"] == "1 action succeeded"
    assert result["exception_occured"] is False and result["action_cancelled"] is False
    assert result["result_summary"] == {"total_objects": 1, "total_objects_successful": 1}
    (entry,) = result["result_data"]
    assert entry["status"] == "success" and entry["message"] == "ok"
    assert entry["parameter"]["to"] == "+61400000000"
    assert set(entry["parameter"]["context"]) == {"artifact_id", "guid", "parent_action_run"}
    assert platform.results[-1] == result


def test_input_json_matches_platform_shape(platform, connector_class, config):
    platform.run(connector_class, "send_message", parameters=[{"to": "1"}], config=config, asset_id=7, container_id=12)
    in_json = platform.last_in_json
    assert in_json["action"] == "send message" and in_json["identifier"] == "send_message"
    assert in_json["asset_id"] == "7" and in_json["container_id"] == 12 and in_json["dec_key"] == "7"
    assert in_json["config"]["api_key"] == encryption_helper.encrypt(config["api_key"], "7")
    assert in_json["config"]["ingest"]["container_label"] == "events"
    connector = platform.last_connector
    assert connector.get_action_name() == "send message"
    assert connector.get_asset_id() == "7" and connector.get_container_id() == 12


def test_password_fields_are_decrypted_before_get_config(platform, connector_class, config):
    seen = {}

    def on_action(self, param):
        seen.update(self.get_config())
        return self.add_action_result(ActionResult(dict(param))).set_status(phantom.APP_SUCCESS)

    connector_class.on_action = on_action
    platform.run(connector_class, "test_connectivity", config=config, asset_id="9")
    assert seen["api_key"] == "s3cr3t-api-key"
    assert seen["username"] == "user"
    assert seen["main_module"] == "tiny_connector.py" and seen["app_version"] == "1.2.3"
    assert seen["directory"] == "app" and "appname" in seen


def test_wrong_dec_key_fails_the_run(platform, connector_class, config):
    in_json = platform.build_in_json(connector_class, "test_connectivity", config=config, asset_id="1")
    in_json["dec_key"] = "2"
    connector = connector_class()
    result = json.loads(connector._handle_action(json.dumps(in_json), None))
    assert result["status"] == "failed"
    assert result["message"] == "Unable to decrypt asset config key 'api_key'"
    assert connector.calls == []


def test_initialize_once_finalize_once_for_two_parameter_dicts(platform, connector_class, config):
    result = platform.run(connector_class, "send_message", parameters=[{"to": "1"}, {"to": "2"}], config=config)
    calls = platform.last_connector.calls
    assert calls.count("initialize") == 1 and calls.count("finalize") == 1
    assert calls == ["initialize", ("handle_action", "send_message"), ("handle_action", "send_message"), "finalize"]
    assert result["message"] == "2 actions succeeded"
    assert result["result_summary"]["total_objects"] == 2
    assert [r["parameter"]["to"] for r in result["result_data"]] == ["1", "2"]


def test_mixed_results(platform, connector_class, config):
    def on_action(self, param):
        action_result = self.add_action_result(ActionResult(dict(param)))
        if param["to"] == "bad":
            return action_result.set_status(phantom.APP_ERROR, "Invalid number")
        return action_result.set_status(phantom.APP_SUCCESS, "Sent")

    connector_class.on_action = on_action
    result = platform.run(connector_class, "send_message", parameters=[{"to": "1"}, {"to": "bad"}], config=config)
    assert result["result_summary"]["total_objects"] == 2
    assert result["result_summary"]["total_objects_successful"] == 1
    assert result["status"] == "success"
    assert result["message"] == "1 action succeeded, 1 failed"
    one_fail = platform.run(connector_class, "send_message", parameters={"to": "bad"}, config=config)
    assert one_fail["status"] == "failed" and one_fail["message"] == "1 action failed"
    assert one_fail["result_summary"]["total_objects_successful"] == 0


def test_default_failed_result_when_handler_forgets_set_status(platform, connector_class, config):
    connector_class.on_action = lambda self, param: self.add_action_result(ActionResult(dict(param)))
    result = platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert result["status"] == "failed" and result["result_data"][0]["status"] == "failed"


def test_initialize_returning_false_processes_no_parameters(platform, connector_class, config):
    connector_class.on_initialize = lambda self: self.set_status(phantom.APP_ERROR, "Invalid base URL")
    result = platform.run(connector_class, "send_message", parameters=[{"to": "1"}, {"to": "2"}], config=config)
    assert platform.last_connector.calls == ["initialize"]
    assert result["status"] == "failed"
    assert result["message"] == "Invalid base URL"
    assert result["result_data"] == []
    assert result["result_summary"]["total_objects"] == 0


def test_initialize_returning_false_without_message(platform, connector_class, config):
    connector_class.on_initialize = lambda self: phantom.APP_ERROR
    result = platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert result["status"] == "failed"
    assert result["message"] == "TinyConnector::initialize() returned error"


def test_initialize_returning_none(platform, connector_class, config):
    connector_class.on_initialize = lambda self: None
    result = platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert result["status"] == "failed"
    assert result["message"] == phantom.APP_ERR_INITIALIZE_DID_NOT_RETURN_A_VALUE.format(classname="TinyConnector")
    assert ("handle_action", "send_message") not in platform.last_connector.calls


def test_unknown_identifier(platform, connector_class, config):
    result = platform.run(connector_class, "no_such_action", parameters={"x": 1}, config=config)
    assert result["status"] == "failed"
    assert result["message"] == "Unknown action. Unable to find action info for 'no_such_action' in App JSON"
    assert result["identifier"] == "no_such_action"
    assert platform.last_connector.calls == []


def test_exception_in_handler_gives_failed_result(platform, connector_class, config):
    handled = []

    def on_action(self, param):
        raise ValueError("boom went the handler")

    connector_class.on_action = on_action
    connector_class.handle_exception = lambda self, exc: handled.append(exc)
    result = platform.run(connector_class, "send_message", parameters=[{"to": "1"}, {"to": "2"}], config=config)
    assert result["exception_occured"] is True
    assert result["status"] == "failed"
    assert len(result["result_data"]) == 2
    message = result["result_data"][0]["message"]
    assert "boom went the handler" in message and "Traceback" not in message
    assert result["result_data"][0]["parameter"]["to"] == "1"
    assert len(handled) == 2 and isinstance(handled[0], ValueError)
    assert platform.last_connector.calls[-1] == "finalize"
    assert any("Traceback" in line for line in platform.debug_log)


def test_exception_after_result_added_adds_no_extra_result(platform, connector_class, config):
    def on_action(self, param):
        action_result = self.add_action_result(ActionResult(dict(param)))
        action_result.set_status(phantom.APP_ERROR, "partial")
        raise RuntimeError("late failure")

    connector_class.on_action = on_action
    result = platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert len(result["result_data"]) == 1
    assert result["result_data"][0]["message"] == "partial"
    assert result["exception_occured"] is True


def test_process_killed_is_not_caught(platform, connector_class, config):
    def on_action(self, param):
        try:
            raise ProcessKilled("killed")
        except Exception:  # a connector's broad handler must not swallow it
            pytest.fail("ProcessKilled was caught by except Exception")

    connector_class.on_action = on_action
    with pytest.raises(ProcessKilled):
        platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert "finalize" not in platform.last_connector.calls


def test_contains_validation_rejects_bad_email(platform, connector_class, config):
    result = platform.run(
        connector_class, "send_message", parameters=[{"to": "1", "email": "not-an-email"}, {"to": "2", "email": "a@b.co"}], config=config
    )
    calls = platform.last_connector.calls
    assert calls.count(("handle_action", "send_message")) == 1
    bad, good = result["result_data"]
    assert bad["status"] == "failed" and "email" in bad["message"]
    assert good["status"] == "success"
    assert result["message"] == "1 action succeeded, 1 failed"


def test_contains_validation_allow_list_and_multiple_types(platform, connector_class, config):
    ok = platform.run(connector_class, "send_message", parameters={"to": "1", "hosts": "10.0.0.1, example.com"}, config=config)
    assert ok["status"] == "success"
    bad = platform.run(connector_class, "send_message", parameters={"to": "1", "hosts": "10.0.0.1, not a host"}, config=config)
    assert bad["status"] == "failed" and "hosts" in bad["result_data"][0]["message"]
    empty = platform.run(connector_class, "send_message", parameters={"to": "1", "email": ""}, config=config)
    assert empty["status"] == "success"


def test_set_validator_overrides(platform, connector_class, config):
    def on_initialize(self):
        self.set_validator("email", lambda value: value.endswith("@corp.test"))
        self.set_validator("phone number", lambda value: value.startswith("+"))
        return phantom.APP_SUCCESS

    connector_class.on_initialize = on_initialize
    result = platform.run(
        connector_class,
        "send_message",
        parameters=[{"to": "+1", "email": "x@corp.test"}, {"to": "+1", "email": "a@b.co"}, {"to": "0400"}],
        config=config,
    )
    assert [r["status"] for r in result["result_data"]] == ["success", "failed", "failed"]
    assert "to" in result["result_data"][2]["message"]


def test_progress_and_debug_capture(platform, connector_class, config, capsys):
    def on_action(self, param):
        self.save_progress(phantom.APP_PROG_CONNECTING_TO_ELLIPSES, "api.example.test")
        self.send_progress("Sent {count} of {total}", count=1, total=2)
        self.save_progress('Raw {"json": true}')
        self.debug_print("Response:", {"id": 5})
        self.error_print("Bad thing")
        return self.add_action_result(ActionResult(dict(param))).set_status(phantom.APP_SUCCESS, "done")

    connector_class.on_action = on_action
    platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert platform.progress == ["Connecting to api.example.test...", "Sent 1 of 2", 'Raw {"json": true}']
    assert "Response: {'id': 5}" in platform.debug_log
    assert "Bad thing" in platform.debug_log and platform.error_log == ["Bad thing"]
    assert capsys.readouterr().out == ""
    output = platform.all_output()
    assert "Connecting to api.example.test..." in output and "Response: {'id': 5}" in output and '"done"' in output


def test_print_progress_message_prints(platform, connector_class, config, capsys):
    def on_action(self, param):
        self.print_progress_message = True
        self.save_progress("visible progress")
        return self.add_action_result(ActionResult(dict(param))).set_status(phantom.APP_SUCCESS)

    connector_class.on_action = on_action
    platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert "visible progress" in capsys.readouterr().out


def test_connector_update_summary_merges_into_result_summary(platform, connector_class, config):
    def on_action(self, param):
        summary = self.update_summary({"sent": 1})
        summary["queued"] = 2
        assert self.update_summary({"sent": 3}) is summary
        return self.add_action_result(ActionResult(dict(param))).set_status(phantom.APP_SUCCESS)

    connector_class.on_action = on_action
    result = platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert result["result_summary"] == {"total_objects": 1, "total_objects_successful": 1, "sent": 3, "queued": 2}


def test_summary_message_rule_in_result_json(platform, connector_class, config):
    def on_action(self, param):
        action_result = self.add_action_result(ActionResult(dict(param)))
        action_result.update_summary({"message_delivery_status": "delivered"})
        return action_result.set_status(phantom.APP_SUCCESS)

    connector_class.on_action = on_action
    result = platform.run(connector_class, "send_message", parameters={"to": "1"}, config=config)
    assert result["result_data"][0]["message"] == "Message delivery status: delivered"


def test_run_without_results_uses_connector_status(platform, connector_class, config):
    connector_class.on_action = lambda self, param: self.set_status_save_progress(phantom.APP_SUCCESS, "Test Connectivity Passed")
    result = platform.run(connector_class, "test_connectivity", config=config)
    assert result["status"] == "success" and result["message"] == "Test Connectivity Passed"
    assert platform.progress == ["Test Connectivity Passed"]
    connector_class.on_action = lambda self, param: self.set_status(phantom.APP_ERROR, "Connectivity failed: {}", None, "nope")
    failed = platform.run(connector_class, "test_connectivity", config=config)
    assert failed["status"] == "failed" and failed["message"] == "Connectivity failed: nope"


def test_environment_variables_applied_during_run_only(platform, connector_class, config, monkeypatch):
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    seen = {}

    def on_action(self, param):
        seen["proxy"] = os.environ.get("HTTPS_PROXY")
        seen["home"] = os.environ.get("PHANTOM_HOME")
        return self.add_action_result(ActionResult(dict(param))).set_status(phantom.APP_SUCCESS)

    connector_class.on_action = on_action
    platform.run(
        connector_class,
        "test_connectivity",
        config=config,
        environment_variables={"HTTPS_PROXY": {"type": "string", "value": "http://proxy:3128"}},
    )
    assert seen == {"proxy": "http://proxy:3128", "home": platform.home}
    assert "HTTPS_PROXY" not in os.environ


def test_module_global_and_identity_methods(platform, connector_class, config):
    platform.run(connector_class, "on_poll", parameters={"container_count": 5}, config=config, poll_now=True)
    connector = platform.last_connector
    assert base_conn.connector_obj is connector
    assert connector.is_poll_now() is True
    assert connector.get_app_id() == "11111111-2222-3333-4444-555555555555"
    assert connector.get_product_version() == "6.4.0.1"
    assert connector.get_phantom_home() == platform.home
    assert connector.get_app_json()["name"] == "Tiny"
    assert os.path.basename(connector.get_app_dir()) == "app"
    assert connector.get_current_param()["container_count"] == 5
    assert connector.get_phantom_base_url().startswith("https://")
    assert connector_class._get_phantom_base_url().endswith("/")
    assert connector.is_action_cancelled() is False
    scheduled = platform.run(connector_class, "test_connectivity", config=config)
    assert scheduled["status"] == "success" and platform.last_connector.is_poll_now() is False

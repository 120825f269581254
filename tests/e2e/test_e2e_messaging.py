"""test connectivity and send message, end to end: connector -> fake platform -> simulator over real HTTP."""

import json
import pathlib
import subprocess
import sys

from tests.conftest import sim_config


ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_connectivity_is_read_only_and_reports_polling(sim, sim_run):
    sim_run("test_connectivity", config=sim_config(sim, to="0411 111 111"))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim.sent == []
    paths = [(r["method"], r["path"]) for r in sim.requests]
    assert paths == [("GET", "/v3/account"), ("POST", "/v3/sms/price"), ("GET", "/v3/automations/sms/inbound")]
    assert "needs an enabled inbound SMS automation rule with action POLL" in sim_run.result["message"]

    sim.add_inbound_rule(action="POLL", enabled=1)
    sim_run("test_connectivity")
    assert "Inbound polling is ready" in sim_run.result["message"]


def test_send_message_queues_each_number_once_and_reports_ids(sim, sim_run):
    sim.set_recipient_status("+61400000001", "COUNTRY_NOT_ENABLED")
    sim_run("send_message", {"to": "0411 111 111,+61411111111,+61400000001", "message": "Alert 123"}, container_id=7)
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert [m["to"] for m in sim.sent] == ["+61411111111"]
    assert result["summary"]["message_ids"] == [sim.sent[0]["message_id"]]
    assert result["summary"]["rejected_count"] == 1
    assert sim.sent[0]["custom_string"] == "soar:container:7"
    assert "+61400000001 (COUNTRY_NOT_ENABLED)" in result["message"]


def test_lost_answer_after_the_send_is_reported_unknown_and_not_resent(sim, sim_run):
    sim.add_fault("POST", "/v3/sms/send", kind="reset", after_processing=True)
    sim_run("send_message", {"to": "+61411111111", "message": "Alert"})
    assert sim_run.result["status"] == "failed"
    assert "outcome is unknown" in sim_run.result["message"]
    assert len(sim.sent) == 1  # ClickSend got it once; the app did not try again


def test_503_on_send_is_not_retried(sim, sim_run):
    sim.add_fault("POST", "/v3/sms/send", status=503, headers={"Retry-After": "0"}, times=5)
    sim_run("send_message", {"to": "+61411111111", "message": "Alert"})
    assert sim_run.result["status"] == "failed"
    assert [r["path"] for r in sim.requests].count("/v3/sms/send") == 1
    assert sim.sent == []


def test_read_is_retried_after_429_as_retry_after_asks(sim, sim_run):
    sim.add_fault("GET", "/v3/account", status=429, headers={"Retry-After": "1"})
    sim_run("test_connectivity")
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert [r["path"] for r in sim.requests].count("/v3/account") == 2


def test_read_timeout_uses_the_asset_timeout(sim, sim_run):
    sim.add_fault("GET", "/v3/account", kind="delay", delay=2.0)
    sim_run("test_connectivity", config=sim_config(sim, timeout=0.5))
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == "ClickSend did not answer GET account within 0.5 s"


def test_clicksend_test_username_without_credit(sim, sim_run):
    config = sim_config(sim, username="nocredit", key="D83DED51-9E35-4D42-9BB9-0E34B7CA85AE")
    sim_run("send_message", {"to": "+61411111111", "message": "x"}, config=config)
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == "ClickSend accepted none of the 1 messages: +61411111111 (INSUFFICIENT_CREDIT)"


def test_wrong_key_is_a_clear_401(sim, sim_run):
    sim_run("test_connectivity", config=sim_config(sim, key="wrong"))
    assert sim_run.result["status"] == "failed"
    assert "HTTP 401" in sim_run.result["message"] and "check the asset's username and API key" in sim_run.result["message"]


def test_the_key_appears_nowhere(sim, sim_run, platform):
    sim_run("test_connectivity", config=sim_config(sim, to="+61411111111"))
    sim_run("send_message", {"to": "+61411111111", "message": "x"})
    sim_run("test_connectivity", config=sim_config(sim, key="wrong"))
    assert sim.api_key not in platform.all_output()
    assert "wrong" not in platform.all_output()
    assert "Authorization" not in platform.all_output()


def test_local_runner_runs_an_input_json(sim, tmp_path):
    in_json = {
        "action": "send message",
        "identifier": "send_message",
        "asset_id": "1",
        "config": sim_config(sim),
        "parameters": [{"to": "+61411111111", "message": "from the runner"}],
    }
    path = tmp_path / "input.json"
    path.write_text(json.dumps(in_json))
    env_home = {"PHANTOM_HOME": str(tmp_path)}
    import os

    run = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "clicksend_connector.py"), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, **env_home),
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout[run.stdout.index("{\n") :])
    assert out["status"] == "success"
    assert [m["body"] for m in sim.sent] == ["from the runner"]

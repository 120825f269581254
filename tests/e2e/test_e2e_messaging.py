"""test connectivity and send message, end to end: connector -> fake platform -> simulator over real HTTP."""

import json
import pathlib
import re
import subprocess
import sys

from tests.conftest import sim_config


ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_connectivity_is_read_only_and_reports_polling(sim, sim_run):
    sim_run("test_connectivity", config=sim_config(sim, to="0411 111 111"))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim.sent == []
    paths = [(r["method"], r["path"]) for r in sim.requests]
    rules = [("GET", "/v3/automations/sms/inbound"), ("GET", "/v3/automations/sms/receipts")]
    assert paths == [("GET", "/v3/account"), ("POST", "/v3/sms/price"), *rules]
    assert "needs an enabled inbound SMS automation rule with action POLL" in sim_run.result["message"]

    sim.add_inbound_rule(action="POLL", enabled=1)
    sim_run("test_connectivity")
    assert "Inbound polling is ready" in sim_run.result["message"]


def test_connectivity_says_whether_replies_to_default_from_come_back(sim, sim_run):
    sim.add_dedicated_number("+61431111112")
    sim.add_alpha_tag("SOCTeam")
    sim_run("test_connectivity", config=sim_config(sim, default_from="+61431111112"))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["message"].startswith("WARNING: default_from +61431111112 is a dedicated number of the account, but no POLL")

    sim.add_inbound_rule(action="POLL", enabled=1, dedicated_number="+61431111112")
    sim_run("test_connectivity", config=sim_config(sim, default_from="+61431111112"))
    assert "default_from +61431111112 is a dedicated number of the account and a POLL rule captures its replies" in sim_run.result["message"]
    assert "WARNING" not in sim_run.result["message"]

    sim_run("test_connectivity", config=sim_config(sim, default_from="SOCTeam"))
    assert "default_from SOCTeam is an alpha tag of the account: recipients cannot reply to it" in sim_run.result["message"]
    sim_run("test_connectivity", config=sim_config(sim, default_from="+61400000009"))
    assert sim_run.result["message"].startswith("WARNING: default_from +61400000009 is none of the account's dedicated numbers")
    assert sim.sent == []


def test_send_message_queues_each_number_once_and_reports_ids(sim, sim_run):
    sim.set_recipient_status("+61400000001", "COUNTRY_NOT_ENABLED")
    sim_run("send_message", {"to": "0411 111 111,+61411111111,+61400000001", "message": "Alert 123"}, container_id=7)
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert [m["to"] for m in sim.sent] == ["+61411111111"]
    assert result["summary"]["message_ids"] == [sim.sent[0]["message_id"]]
    assert result["summary"]["rejected_count"] == 1
    assert re.fullmatch(r"soar:7:[0-9a-f]{20}", sim.sent[0]["custom_string"])  # the asset's keyed marker for container 7
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
    assert sim_run.result["message"] == "ClickSend did not accept the message: +61411111111 (INSUFFICIENT_CREDIT)"


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


# --- against the real ClickSend: short codes, lists over 1000, the part limit ----------------------------------


def test_a_short_code_sender_goes_out_unchanged(sim, sim_run):
    sim_run("send_message", {"to": "+61411111111", "message": "Short code", "from": "12345"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert [m["from"] for m in sim.sent] == ["12345"]


def test_a_short_code_default_from_works_for_every_action(sim, sim_run):
    sim_run("send_message", {"to": "+61411111111", "message": "hi"}, config=sim_config(sim, default_from="12345"))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim.sent[0]["from"] == "12345"


def test_a_1500_contact_list_reaches_every_contact_once_in_calls_of_at_most_1000(sim, sim_run):
    numbers = [f"+6141{n:07d}" for n in range(1500)]
    listing = sim.add_list("All staff", contacts=[{"phone_number": number} for number in numbers])
    sim_run("send_message", {"contact_list_id": listing["list_id"], "to": "+61411111111,+61410000007", "message": "Drill at 10:00"})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    calls = [r["json"]["messages"] for r in sim.requests if r["path"] == "/v3/sms/send"]
    assert all(len(call) <= 1000 for call in calls)
    sent = sorted(m["to"] for m in sim.sent)
    assert sent == sorted(set(numbers) | {"+61411111111"})  # the number in both 'to' and the list gets one SMS
    assert result["summary"]["queued_count"] == 1501
    assert "list " in result["message"] and "read by the app" in result["message"]


def test_a_number_in_to_and_in_the_list_gets_one_sms(sim, sim_run):
    """Each distinct number gets one message, whatever the guard rails: the app reads the list and sends to numbers."""
    phones = ["+61422222222", "+61411111111", "0422 222 222"]  # one number in `to` too, one twice
    listing = sim.add_list("On call", contacts=[{"phone_number": phone} for phone in phones])
    sim_run("send_message", {"contact_list_id": listing["list_id"], "to": "+61411111111", "message": "Page"})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    (call,) = [r["json"]["messages"] for r in sim.requests if r["path"] == "/v3/sms/send"]
    assert [m["to"] for m in call] == ["+61411111111", "+61422222222"] and all("list_id" not in m for m in call)
    assert sorted(m["to"] for m in sim.sent) == ["+61411111111", "+61422222222"]
    queued = result["data"][0]["data"]["queued"]
    assert [(e["to"], e["list_id"]) for e in queued] == [("+61411111111", str(listing["list_id"])), ("+61422222222", str(listing["list_id"]))]
    assert all(e["contact_id"] for e in queued)
    assert result["summary"]["message_id"] == result["summary"]["message_ids"][0] == queued[0]["message_id"]


def test_an_empty_list_says_so_and_sends_nothing(sim, sim_run):
    listing = sim.add_list("Nobody")
    sim_run("send_message", {"contact_list_id": listing["list_id"], "message": "Page"})
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == f"Contact list {listing['list_id']} has no contacts, so there was nobody to send to; nothing was sent"
    assert sim.sent == []


def test_the_6_part_limit_refuses_what_clickSend_would_cut_and_the_asset_can_raise_it(sim, sim_run):
    sim_run("send_message", {"to": "+61411111111", "message": "x" * 919})
    assert sim_run.result["status"] == "failed"
    assert "is 919 GSM-7 characters; ClickSend cuts an SMS (6 parts for this asset) beyond 918" in sim_run.result["message"]
    assert sim.requests == []
    sim.add_account(sim.username, sim.api_key, setting_sms_message_char_limit=8)
    sim_run("send_message", {"to": "+61411111111", "message": "x" * 1224}, config=sim_config(sim, sms_part_limit=8))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim.sent[0]["body"] == "x" * 1224 and sim.sent[0]["message_parts"] == 8  # nothing was cut


def test_test_connectivity_warns_when_the_asset_allows_more_parts_than_the_account(sim, sim_run):
    sim_run("test_connectivity", config=sim_config(sim, sms_part_limit=8))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert "WARNING: the asset allows SMS of up to 8 parts but this ClickSend account truncates beyond 6 parts" in sim_run.result["message"]


def test_test_connectivity_names_the_numbers_and_keywords_the_poll_rules_capture(sim, sim_run):
    sim.add_inbound_rule(action="POLL", enabled=1, dedicated_number="+61431111112", message_search_type=1, message_search_term="YES")
    sim_run("test_connectivity")
    message = sim_run.result["message"]
    assert "1 POLL rule captures number +61431111112, messages starting with 'YES'" in message
    assert "not captured" in message


def test_no_default_country_follows_the_accounts_country_and_asks_it_once(sim, sim_run, platform):
    config = sim_config(sim)
    del config["default_country"]
    sim_run("send_message", {"to": "0411 111 111", "message": "Upgrade check"}, config=config)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert [m["to"] for m in sim.sent] == ["+61411111111"]
    sim_run("send_message", {"to": "0422 222 222", "message": "Again"}, config=config)
    assert [r["path"] for r in sim.requests].count("/v3/account") == 1  # cached in the state file, no request per send


def test_a_page_out_with_one_bad_number_under_skip_reaches_the_others(sim, sim_run):
    sim_run("send_message", {"to": "+61411111111,+6141111,+61422222222", "message": "P1", "invalid_numbers": "skip"})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert sorted(m["to"] for m in sim.sent) == ["+61411111111", "+61422222222"]
    assert result["summary"]["skipped_numbers"] == ["+6141111"]
    assert "skipped 1 invalid number: '+6141111'" in result["message"]

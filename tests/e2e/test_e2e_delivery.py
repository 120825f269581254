"""get message status, cancel scheduled message and get account, end to end against the simulator."""

import json
import time


def _send(sim_run, **params):
    sim_run("send_message", dict({"to": "+61411111111", "message": "Alert 123"}, **params))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    return sim_run.result["summary"]["message_ids"][0]


def test_schedule_check_cancel_and_check_again(sim, sim_run):
    message_id = _send(sim_run, schedule=str(int(time.time()) + 86400))

    sim_run("get_message_status", {"message_id": message_id})
    assert sim_run.result["data"][0]["status"] == "Scheduled"
    assert sim_run.result["summary"] == {"status": "Scheduled", "status_code": "200", "is_final": False, "delivered": False}

    sim_run("cancel_scheduled_message", {"message_id": message_id})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim.requests[-1]["method"] == "PUT" and sim.requests[-1]["path"] == f"/v3/sms/{message_id}/cancel"

    sim_run("get_message_status", {"message_id": message_id})
    item = sim_run.result["data"][0]
    assert (item["status"], item["status_code"], item["is_final"]) == ("Cancelled", "301", True)

    sim_run("cancel_scheduled_message", {"message_id": message_id})
    assert sim_run.result["status"] == "failed"
    assert "HTTP 400 BAD_REQUEST" in sim_run.result["message"] and "not scheduled" in sim_run.result["message"]


def test_delivered_message_is_final_and_cannot_be_cancelled(sim, sim_run):
    message_id = _send(sim_run)
    sim_run("get_message_status", {"message_id": message_id})
    item = sim_run.result["data"][0]
    assert (item["message_id"], item["status"], item["status_code"], item["to"], item["is_final"]) == (
        message_id,
        "Sent",
        "201",
        "+61411111111",
        True,
    )
    assert isinstance(item["date"], int)
    history_reads = [r for r in sim.requests if r["path"] == "/v3/sms/history"]
    assert history_reads[-1]["query"] == {"q": f"message_id:{message_id}"}

    sim_run("cancel_scheduled_message", {"message_id": message_id})
    assert sim_run.result["status"] == "failed"
    assert [h["status"] for h in sim.history] == ["Sent"]


def test_unknown_ids_fail_naming_the_id(sim, sim_run):
    unknown = "00000000-0000-0000-0000-000000000000"
    sim_run("get_message_status", {"message_id": unknown})
    assert sim_run.result["status"] == "failed"
    assert unknown in sim_run.result["message"]
    sim_run("cancel_scheduled_message", {"message_id": unknown})
    assert sim_run.result["status"] == "failed"
    assert "HTTP 404 for both" in sim_run.result["message"] and unknown in sim_run.result["message"]


def test_a_bad_id_sends_nothing(sim, sim_run):
    sim_run("cancel_scheduled_message", {"message_id": "x/../../account"})
    assert sim_run.result["status"] == "failed"
    assert sim.requests == []


def test_account_never_carries_the_api_key(sim, sim_run, platform):
    sim_run("get_account")
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert result["summary"] == {"balance": 42.51, "currency": "AUD", "username": sim.username}
    assert "api_key" not in result["data"][0]["_subaccount"]
    assert result["data"][0]["_subaccount"]["subaccount_id"]
    assert sim.api_key not in json.dumps(sim_run.out)
    # nor anything the platform keeps: progress, debug log, run outputs, state files
    assert sim.api_key not in platform.all_output()

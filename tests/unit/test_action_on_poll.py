"""on poll: the exact requests ClickSend receives, the containers and artifacts SOAR gets, and when messages are marked read."""

import re

import pytest

import clicksend_consts as consts
from tests.conftest import BASE_URL, envelope


RULES_URL = f"{BASE_URL}/automations/sms/inbound"
INBOUND_URL = f"{BASE_URL}/sms/inbound"
READ_URL = f"{BASE_URL}/sms/inbound-read/"
HISTORY_URL = f"{BASE_URL}/sms/history"
ID_A = "AAAAAAAA-0000-4000-8000-000000000001"
ID_B = "BBBBBBBB-0000-4000-8000-000000000002"
ID_C = "CCCCCCCC-0000-4000-8000-000000000003"
SENT_ID = "5E4D3C2B-0000-4000-8000-0000000000F0"


def page(items, current=1, last=1):
    return envelope({"total": len(items), "per_page": 100, "current_page": current, "last_page": last, "data": items})


def inbound(message_id, timestamp, sender="+61411111111", body="hello", **extra):
    item = {
        "timestamp": timestamp,
        "from": sender,
        "body": body,
        "original_body": "",
        "original_message_id": "",
        "to": "+61447254068",
        "custom_string": "",
        "message_id": message_id,
        "_keyword": body.split()[0].lower(),
    }
    item.update(extra)
    return item


def poll_rule(enabled=1, action="POLL"):
    return {"inbound_rule_id": 102, "dedicated_number": "*", "rule_name": "SOAR", "action": action, "enabled": enabled}


def serve(requests_mock, pages, rules=None, read_status=200):
    """Answer the rule list, the inbound pages (a list of lists) and every mark-read."""
    requests_mock.get(RULES_URL, json=page([poll_rule()] if rules is None else list(rules)))
    requests_mock.get(
        INBOUND_URL, [{"json": page(items, index, len(pages))} for index, items in enumerate(pages, 1)] if pages else [{"json": page([])}]
    )
    requests_mock.put(
        re.compile(re.escape(READ_URL) + ".+"), status_code=read_status, json=envelope(1, "Inbound messages have been marked as read.")
    )


def calls(requests_mock):
    return [(r.method, r.url.replace(BASE_URL, "")) for r in requests_mock.request_history]


def test_poll_now_ingests_oldest_first_each_message_once_and_marks_read_after_saving(run, requests_mock, platform):
    first = [inbound(ID_B, 1700000200, body="second"), inbound(ID_A, 1700000100, body="first"), inbound(ID_C, 1700000300)]
    second = [inbound(ID_B, 1700000200, body="second"), inbound(ID_A, 1700000100, body="first"), inbound(ID_C, 1700000300)]
    serve(requests_mock, [first, second])  # two POLL rules: ClickSend lists every message twice

    run("on_poll", {"container_count": 2, "start_time": 0, "end_time": 1, "artifact_count": 10}, poll_now=True)

    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        ("GET", "/automations/sms/inbound?page=1&limit=100"),
        ("GET", "/sms/inbound?page=1&limit=100"),
        ("GET", "/sms/inbound?page=2&limit=100"),
        ("PUT", f"/sms/inbound-read/{ID_A}"),
        ("PUT", f"/sms/inbound-read/{ID_B}"),
    ]
    assert run.result["message"] == (
        "Ingested 2 of 3 unread inbound SMS (2 new containers, 0 added to their reply thread's container, 0 already in SOAR); "
        "1 message left unread for the next poll"
    )
    assert run.result["summary"] == {
        "total_unread": 3,
        "new_containers": 2,
        "threaded_replies": 0,
        "already_ingested": 0,
        "failed": 0,
        "left_unread": 1,
    }
    assert run.out["result_summary"]["containers_successful"] == 2
    (one, two) = platform.containers.values()
    assert [one["source_data_identifier"], two["source_data_identifier"]] == [ID_A, ID_B]
    assert one["name"] == "SMS from +61411111111"
    assert one["label"] == "events"
    assert one["data"] == inbound(ID_A, 1700000100, body="first")
    (artifact,) = platform.container_artifacts(one["id"])
    assert artifact["source_data_identifier"] == ID_A
    assert artifact["cef"] == {
        "from": "+61411111111",
        "to": "+61447254068",
        "body": "first",
        "message_id": ID_A,
        "received_time": "2023-11-14T22:15:00Z",
    }
    assert artifact["cef_types"] == {"from": ["phone number"], "to": ["phone number"], "message_id": ["clicksend message id"]}
    assert artifact["data"] == inbound(ID_A, 1700000100, body="first")


def test_every_cef_field_with_a_value_is_kept_with_its_contains_type(run, requests_mock, platform):
    reply = inbound(ID_A, 1700000100, body="YES", original_message_id=SENT_ID, original_body="Approve?", custom_string="ticket-9")
    serve(requests_mock, [[reply]])
    requests_mock.get(HISTORY_URL, json=page([{"message_id": SENT_ID, "custom_string": "ticket-9", "direction": "out"}]))
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    (artifact,) = platform.artifacts.values()
    assert artifact["cef"] == {
        "from": "+61411111111",
        "to": "+61447254068",
        "body": "YES",
        "message_id": ID_A,
        "original_message_id": SENT_ID,
        "original_body": "Approve?",
        "custom_string": "ticket-9",
        "received_time": "2023-11-14T22:15:00Z",
    }
    assert artifact["cef_types"] == {
        "from": ["phone number"],
        "to": ["phone number"],
        "message_id": ["clicksend message id"],
        "original_message_id": ["clicksend message id"],
    }
    # a user's own custom_string is no marker: a new container, after one history look-up of the sent message
    assert ("GET", f"/sms/history?q=message_id%3A{SENT_ID}") in calls(requests_mock)
    assert len(platform.containers) == 1


def test_scheduled_poll_uses_max_messages_per_poll_never_the_platform_container_count(run, requests_mock, platform):
    serve(requests_mock, [[inbound(ID_A, 1), inbound(ID_B, 2), inbound(ID_C, 3)]])
    config = dict(run.config, max_messages_per_poll=2)
    run("on_poll", {"container_count": 4294967295}, config=config, poll_now=False)
    assert run.result["status"] == "success", run.result["message"]
    assert [c["source_data_identifier"] for c in platform.containers.values()] == [ID_A, ID_B]
    assert [u for m, u in calls(requests_mock) if m == "PUT"] == [f"/sms/inbound-read/{ID_A}", f"/sms/inbound-read/{ID_B}"]


def test_scheduled_poll_default_limit_is_100(run, requests_mock, platform):
    items = [inbound(f"AAAAAAAA-0000-4000-8000-{n:012d}", n) for n in range(101)]
    serve(requests_mock, [items[:100], items[100:]])
    run("on_poll", {"container_count": 1})
    assert len(platform.containers) == 100
    assert run.result["summary"]["left_unread"] == 1


@pytest.mark.parametrize("rules", [[], [poll_rule(enabled=0)], [poll_rule(action="URL")]], ids=["none", "disabled", "webhook"])
def test_without_an_enabled_poll_rule_the_poll_fails_and_changes_nothing(run, requests_mock, platform, rules):
    serve(requests_mock, [[inbound(ID_A, 1)]], rules=rules)
    run("on_poll", {}, poll_now=True)
    assert run.result["status"] == "failed"
    assert run.result["message"] == consts.MSG_POLL_RULE_MISSING
    assert calls(requests_mock) == [("GET", "/automations/sms/inbound?page=1&limit=100")]
    assert platform.containers == {}


@pytest.mark.parametrize("count", [0, -1, "many", 1.5])
def test_a_bad_poll_now_container_count_fails_before_any_request(run, requests_mock, count):
    run("on_poll", {"container_count": count}, poll_now=True)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("Parameter 'container_count': ")
    assert requests_mock.call_count == 0


def test_nothing_unread_is_a_success(run, requests_mock, platform):
    serve(requests_mock, [])
    run("on_poll", {})
    assert run.result["status"] == "success"
    assert run.result["message"] == "No unread inbound SMS at ClickSend"
    assert platform.containers == {}


def test_a_message_the_platform_cannot_save_stays_unread_and_the_others_are_ingested(run, requests_mock, platform):
    serve(requests_mock, [[inbound(ID_A, 1), inbound(ID_B, 2)]])
    platform.fail_next("save_container", message="Database is locked")
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "Ingested 1 of 2 unread inbound SMS (1 new container, 0 added to their reply thread's container, 0 already in SOAR); "
        f"1 could not be saved (first: {ID_A}: the platform did not save its container (Database is locked)); " + consts.MSG_INBOUND_RETRY
    )
    assert [u for m, u in calls(requests_mock) if m == "PUT"] == [f"/sms/inbound-read/{ID_B}"]
    assert run.result["summary"]["failed"] == 1


def test_a_failed_mark_read_stops_the_poll_and_the_next_poll_only_marks_it_read(run, requests_mock, platform):
    serve(requests_mock, [[inbound(ID_A, 1), inbound(ID_B, 2)]], read_status=500)
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert (
        f"the poll stopped because marking {ID_A} read failed (ClickSend refused PUT sms/inbound-read/{ID_A} with HTTP 500"
        in (run.result["message"])
    )
    assert [u for m, u in calls(requests_mock) if m == "PUT"] == [f"/sms/inbound-read/{ID_A}"]  # B was not touched
    assert len(platform.containers) == 1
    assert platform.read_state("1", "6b772f0b-5d32-4970-8e9d-e09c7e3ff895")[consts.INBOUND_PENDING_KEY] == [ID_A]

    requests_mock.reset_mock()
    serve(requests_mock, [[inbound(ID_A, 1), inbound(ID_B, 2)]])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.out["result_summary"]["containers_successful"] == 1  # only B; A was known from the state file
    assert run.out["result_summary"]["containers_duplicate"] == 0
    assert run.result["summary"]["already_ingested"] == 1
    assert len(platform.containers) == 2 and len(platform.artifacts) == 2
    assert platform.read_state("1", "6b772f0b-5d32-4970-8e9d-e09c7e3ff895")[consts.INBOUND_PENDING_KEY] == []


def test_the_pending_list_is_bounded_and_forgets_ids_no_longer_unread(run, requests_mock, platform):
    appid = "6b772f0b-5d32-4970-8e9d-e09c7e3ff895"
    platform.write_state("1", appid, {consts.INBOUND_PENDING_KEY: [f"OLD-{n}" for n in range(500)] + [ID_A]})
    serve(requests_mock, [[inbound(ID_A, 1)]])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert platform.containers == {}  # A was saved by the earlier run: only marked read
    assert [u for m, u in calls(requests_mock) if m == "PUT"] == [f"/sms/inbound-read/{ID_A}"]
    assert platform.read_state("1", appid)[consts.INBOUND_PENDING_KEY] == []


# --- reply threading ------------------------------------------------------------------------------------------


def test_a_reply_carrying_the_marker_becomes_an_artifact_of_its_container(run, requests_mock, platform):
    platform.add_container({"id": 42, "name": "Phishing 42", "label": "events"})
    serve(requests_mock, [[inbound(ID_A, 5, body="YES", custom_string="soar:container:42", original_message_id=SENT_ID)]])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert list(platform.containers) == [42]
    (artifact,) = platform.container_artifacts(42)
    assert artifact["name"] == "Reply from +61411111111"
    assert artifact["source_data_identifier"] == ID_A
    assert artifact["run_automation"] is True
    assert artifact["cef"]["body"] == "YES" and artifact["cef"]["custom_string"] == "soar:container:42"
    assert not [u for _, u in calls(requests_mock) if u.startswith("/sms/history")]  # the marker was enough
    assert run.result["summary"]["threaded_replies"] == 1
    assert "1 added to their reply thread's container" in run.result["message"]


def test_a_reply_whose_sent_message_carries_the_marker_is_threaded(run, requests_mock, platform):
    platform.add_container({"id": 42, "name": "Phishing 42"})
    replies = [inbound(ID_A, 5, body="YES", original_message_id=SENT_ID), inbound(ID_B, 6, body="really", original_message_id=SENT_ID)]
    serve(requests_mock, [replies])
    requests_mock.get(HISTORY_URL, json=page([{"message_id": SENT_ID, "custom_string": "soar:container:42", "direction": "out"}]))
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert [a["source_data_identifier"] for a in platform.container_artifacts(42)] == [ID_A, ID_B]
    assert list(platform.containers) == [42]
    history = [u for _, u in calls(requests_mock) if u.startswith("/sms/history")]
    assert history == [f"/sms/history?q=message_id%3A{SENT_ID}"]  # looked up once per run


def test_a_reply_to_a_deleted_container_opens_a_new_container(run, requests_mock, platform):
    serve(requests_mock, [[inbound(ID_A, 5, body="YES", custom_string="soar:container:999")]])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    (container,) = platform.containers.values()
    assert container["source_data_identifier"] == ID_A and container["name"] == "SMS from +61411111111"


def test_a_failed_history_lookup_leaves_the_reply_unread(run, requests_mock, platform):
    serve(requests_mock, [[inbound(ID_A, 5, body="YES", original_message_id=SENT_ID), inbound(ID_B, 6)]])
    requests_mock.get(HISTORY_URL, status_code=500, json=envelope(None, "Internal server error.", "INTERNAL_SERVER_ERROR", 500))
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert f"1 could not be saved (first: {ID_A}: its original message could not be looked up in SMS history" in run.result["message"]
    assert [c["source_data_identifier"] for c in platform.containers.values()] == [ID_B]
    assert [u for m, u in calls(requests_mock) if m == "PUT"] == [f"/sms/inbound-read/{ID_B}"]


def test_timestamp_send_is_read_when_timestamp_is_absent(run, requests_mock, platform):
    newer = inbound(ID_B, None, body="second")
    older = inbound(ID_A, None, body="first")
    del newer["timestamp"], older["timestamp"]
    newer["timestamp_send"], older["timestamp_send"] = "1700000200", "1700000100.0"
    serve(requests_mock, [[newer, older]])
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert [r.url.rsplit("/", 1)[1] for r in requests_mock.request_history if r.method == "PUT"] == [ID_A, ID_B]
    first = platform.container_artifacts(min(platform.containers))[0]
    assert first["cef"]["received_time"] == "2023-11-14T22:15:00Z"


def test_a_reply_whose_history_answer_is_a_bare_list_still_threads(run, requests_mock, platform):
    platform.add_container({"id": 42, "name": "Approval", "label": "events"})
    serve(requests_mock, [[inbound(ID_A, 1700000100, body="YES", original_message_id=SENT_ID)]])
    requests_mock.get(HISTORY_URL, json=envelope([{"message_id": SENT_ID, "custom_string": "soar:container:42"}]))
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert [a["name"] for a in platform.container_artifacts(42)] == ["Reply from +61411111111"]


def test_a_marker_container_the_platform_does_not_find_gets_a_new_container(run, requests_mock, platform, monkeypatch):
    from clicksend_connector import ClickSendConnector

    monkeypatch.setattr(ClickSendConnector, "get_container_info", lambda self, container_id=None: (False, "Container not found", None))
    serve(requests_mock, [[inbound(ID_A, 1700000100, body="YES", custom_string="soar:container:77")]])
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert [c["name"] for c in platform.containers.values()] == ["SMS from +61411111111"]

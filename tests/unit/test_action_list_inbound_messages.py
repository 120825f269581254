"""list inbound messages: exact requests, one item per message (oldest first), and the optional mark-read."""

import pytest

import clicksend_consts as consts
from tests.unit.test_action_on_poll import ID_A, ID_B, ID_C, calls, inbound, poll_rule, serve


def test_lists_each_message_once_oldest_first_and_leaves_them_unread(run, requests_mock):
    rule_one = [inbound(ID_C, 30), inbound(ID_A, 10), inbound(ID_B, 20)]
    serve(requests_mock, [rule_one, list(rule_one)])
    run("list_inbound_messages", {})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        ("GET", "/automations/sms/inbound?page=1&limit=100"),
        ("GET", "/sms/inbound?page=1&limit=100"),
        ("GET", "/sms/inbound?page=2&limit=100"),
    ]
    assert run.result["data"] == [inbound(ID_A, 10), inbound(ID_B, 20), inbound(ID_C, 30)]
    assert run.result["summary"] == {"total_messages": 3, "marked_read": 0}
    assert run.result["message"] == "Listed 3 unread inbound messages, oldest first; left unread"


def test_limit_and_mark_read_mark_exactly_the_listed_messages(run, requests_mock):
    serve(requests_mock, [[inbound(ID_C, 30), inbound(ID_A, 10), inbound(ID_B, 20)]])
    run("list_inbound_messages", {"limit": 2, "mark_read": True})
    assert run.result["status"] == "success", run.result["message"]
    assert [u for m, u in calls(requests_mock) if m == "PUT"] == [f"/sms/inbound-read/{ID_A}", f"/sms/inbound-read/{ID_B}"]
    assert [item["message_id"] for item in run.result["data"]] == [ID_A, ID_B]
    assert run.result["summary"] == {"total_messages": 2, "marked_read": 2}
    assert run.result["message"] == "Listed 2 unread inbound messages, oldest first, and marked them read (1 more unread message not listed)"


def test_nothing_unread(run, requests_mock):
    serve(requests_mock, [])
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "success"
    assert run.result["message"] == "No unread inbound messages"
    assert run.result["summary"] == {"total_messages": 0, "marked_read": 0}
    assert [m for m, _ in calls(requests_mock)] == ["GET", "GET"]


@pytest.mark.parametrize(
    ("params", "name"),
    [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"limit": "ten"}, "limit"), ({"mark_read": "maybe"}, "mark_read")],
)
def test_bad_parameters_fail_before_any_request(run, requests_mock, params, name):
    run("list_inbound_messages", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"Parameter '{name}': ")
    assert requests_mock.call_count == 0


def test_limit_1000_and_string_booleans_are_accepted(run, requests_mock):
    serve(requests_mock, [[inbound(ID_A, 1)]])
    run("list_inbound_messages", {"limit": "1000", "mark_read": "false"})
    assert run.result["status"] == "success", run.result["message"]
    assert [m for m, _ in calls(requests_mock)] == ["GET", "GET"]


def test_without_a_poll_rule_it_fails_with_the_connectivity_explanation(run, requests_mock):
    serve(requests_mock, [[inbound(ID_A, 1)]], rules=[poll_rule(enabled=0)])
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "failed"
    assert run.result["message"] == consts.MSG_POLL_RULE_MISSING
    assert calls(requests_mock) == [("GET", "/automations/sms/inbound?page=1&limit=100")]


def test_a_failed_mark_read_says_how_many_were_marked(run, requests_mock):
    serve(requests_mock, [[inbound(ID_A, 1), inbound(ID_B, 2)]], read_status=500)
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(
        f"Listed 2 unread inbound messages but marking them read stopped after 0: ClickSend refused PUT sms/inbound-read/{ID_A} with HTTP 500"
    )
    assert run.result["summary"] == {"total_messages": 2, "marked_read": 0}
    assert len(run.result["data"]) == 2

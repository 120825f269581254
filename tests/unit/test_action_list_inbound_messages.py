"""list inbound messages: exact requests, one item per message (oldest first within a page), and the optional mark-read."""

import pytest

import clicksend_consts as consts
from tests.unit.test_action_on_poll import ID_A, ID_B, ID_C, Inbox, calls, inbound, numbered, poll_rule, puts


def listed(data):
    """The listed items with ClickSend's fields and received_time (fields added from the body, like URLs, left out)."""
    fields = set(inbound(ID_A, 1)) | {"received_time"}
    return [{key: value for key, value in item.items() if key in fields} for item in data]


def test_lists_each_message_once_oldest_first_with_its_received_time_and_leaves_them_unread(run, requests_mock):
    inbox = Inbox(requests_mock, [inbound(ID_C, 1700000300), inbound(ID_A, 1700000100), inbound(ID_B, 1700000200)], copies=2)
    run("list_inbound_messages", {})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        ("GET", "/automations/sms/inbound?page=1&limit=100"),
        ("GET", "/sms/inbound?page=1&limit=100"),
        # nothing was taken off page 1, and it was the last page: no more reads
    ]
    assert listed(run.result["data"]) == [
        dict(inbound(ID_A, 1700000100), received_time="2023-11-14T22:15:00Z"),
        dict(inbound(ID_B, 1700000200), received_time="2023-11-14T22:16:40Z"),
        dict(inbound(ID_C, 1700000300), received_time="2023-11-14T22:18:20Z"),
    ]
    assert run.result["summary"] == {"total_messages": 3, "marked_read": 0}
    assert run.result["message"] == "Listed 3 unread inbound messages; left unread"
    assert len(inbox.unread()) == 3


def test_a_message_without_a_usable_timestamp_gets_no_received_time(run, requests_mock):
    Inbox(requests_mock, [inbound(ID_A, "soon")])
    run("list_inbound_messages", {})
    assert run.result["status"] == "success", run.result["message"]
    assert listed(run.result["data"]) == [dict(inbound(ID_A, "soon"), timestamp=None, received_time=None)]


@pytest.mark.parametrize(("given", "listed_as"), [("1700000100", 1700000100), ("1700000100.0", 1700000100), ("Infinity", None), ("NaN", None)])
def test_the_timestamp_data_path_holds_a_number_or_null(run, requests_mock, given, listed_as):
    """ClickSend also sends timestamps as numeric strings (LEG); the data path is declared numeric."""
    Inbox(requests_mock, [inbound(ID_A, given)])
    run("list_inbound_messages", {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["data"][0]["timestamp"] == listed_as


def test_limit_and_mark_read_mark_exactly_the_listed_messages_and_say_more_are_waiting(run, requests_mock):
    inbox = Inbox(requests_mock, [inbound(ID_C, 30), inbound(ID_A, 10), inbound(ID_B, 20)])
    run("list_inbound_messages", {"limit": 2, "mark_read": True})
    assert run.result["status"] == "success", run.result["message"]
    assert puts(requests_mock) == [ID_A, ID_B]
    assert [item["message_id"] for item in run.result["data"]] == [ID_A, ID_B]
    assert run.result["summary"] == {"total_messages": 2, "marked_read": 2}
    assert run.result["message"] == "Listed 2 unread inbound messages and marked them read (more unread messages are waiting)"
    assert inbox.unread_ids() == [ID_C]


def test_a_limit_that_cuts_a_page_says_more_are_waiting(run, requests_mock):
    Inbox(requests_mock, [inbound(ID_C, 30), inbound(ID_A, 10), inbound(ID_B, 20)])
    run("list_inbound_messages", {"limit": 2})
    assert run.result["status"] == "success", run.result["message"]
    assert [item["message_id"] for item in run.result["data"]] == [ID_A, ID_B]
    assert run.result["message"] == "Listed 2 unread inbound messages; left unread (more unread messages are waiting)"


def test_pages_are_read_only_up_to_the_limit_and_each_message_is_listed_once(run, requests_mock):
    messages = numbered(450)
    inbox = Inbox(requests_mock, messages, copies=2)  # 900 listed items: 9 pages
    run("list_inbound_messages", {"limit": 250})
    assert run.result["status"] == "success", run.result["message"]
    assert [item["message_id"] for item in run.result["data"]] == [m["message_id"] for m in messages[:250]]
    assert inbox.pages_read == [1, 2, 3, 3]  # page 3 holds more than the limit took: read again to tell more are waiting
    assert run.result["message"] == "Listed 250 unread inbound messages; left unread (more unread messages are waiting)"


def test_marking_read_lists_a_backlog_page_by_page(run, requests_mock):
    messages = numbered(150)
    inbox = Inbox(requests_mock, messages)
    run("list_inbound_messages", {"limit": 1000, "mark_read": True})
    assert run.result["status"] == "success", run.result["message"]
    assert [item["message_id"] for item in run.result["data"]] == [m["message_id"] for m in messages]
    assert sorted(puts(requests_mock)) == [m["message_id"] for m in messages]  # several at once: in any order
    assert run.result["summary"] == {"total_messages": 150, "marked_read": 150}
    assert run.result["message"] == "Listed 150 unread inbound messages and marked them read"
    assert inbox.unread() == []


def test_nothing_unread(run, requests_mock):
    Inbox(requests_mock)
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "success"
    assert run.result["message"] == "No unread inbound messages"
    assert run.result["summary"] == {"total_messages": 0, "marked_read": 0}
    assert [m for m, _ in calls(requests_mock)] == ["GET", "GET"]


@pytest.mark.parametrize("bad_id", [".", "../x", "a/b", "a?b", ""])
def test_an_item_without_a_plausible_clicksend_id_is_not_listed_nor_marked(run, requests_mock, bad_id):
    Inbox(requests_mock, [inbound(bad_id, 1), inbound(ID_A, 2)])
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "success", run.result["message"]
    assert [item["message_id"] for item in run.result["data"]] == [ID_A]
    assert puts(requests_mock) == [ID_A]


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
    Inbox(requests_mock, [inbound(ID_A, 1)])
    run("list_inbound_messages", {"limit": "1000", "mark_read": "false"})
    assert run.result["status"] == "success", run.result["message"]
    assert [m for m, _ in calls(requests_mock)] == ["GET", "GET"]


@pytest.mark.parametrize("rules", [[], [poll_rule(enabled=0)], [poll_rule(action="URL")]], ids=["none", "disabled", "webhook"])
def test_without_a_poll_rule_it_fails_with_the_connectivity_explanation_and_marks_nothing(run, requests_mock, rules):
    inbox = Inbox(requests_mock, [inbound(ID_A, 1)], rules=rules)
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "failed"
    assert run.result["message"] == consts.MSG_POLL_RULE_MISSING
    assert calls(requests_mock) == [("GET", "/automations/sms/inbound?page=1&limit=100")]
    assert inbox.unread_ids() == [ID_A]


def test_a_failed_mark_read_says_how_many_were_marked(run, requests_mock):
    Inbox(requests_mock, [inbound(ID_A, 1), inbound(ID_B, 2)], refuse_read={ID_B})
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(
        f"Listed 2 unread inbound messages but marking them read stopped after 1: ClickSend refused PUT sms/inbound-read/{ID_B} with HTTP 500"
    )
    assert run.result["summary"] == {"total_messages": 2, "marked_read": 1}
    assert len(run.result["data"]) == 2

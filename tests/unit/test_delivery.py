"""Who a send goes to and in which calls: every contact list is read by the app and each distinct number gets one
message; empty and unknown lists; the packing of calls of at most 1000; what a failed call says of the calls before."""

import pytest

from tests.conftest import envelope
from tests.unit.test_action_send_message import (
    LIST_CALL,
    LIST_ID,
    LIST_URL,
    PRICED,
    SENDS,
    URLS,
    answer,
    calls,
    contact_pages,
    echo,
    mock_list,
    numbers,
    pages_in_order,
    sent_bodies,
    sent_to,
    summary,
)


A, B = "+61411111111", "+61422222222"
MEMBERS = numbers(1200, start=12000000)
# the phone numbers of contacts ClickSend lists besides MEMBERS: A again (written nationally), four without a usable
# number (empty, none at all, invalid, with an extension) and a duplicate member
EXTRAS = ["0411 111 111", "", None, "12", "+61 2 9999 9999 ext. 12", MEMBERS[0]]


def contacts(phones):
    """Contacts of list 77 with these phone numbers (None: a contact without the field)."""
    return [{"contact_id": n, "list_id": LIST_ID, **({} if phone is None else {"phone_number": phone})} for n, phone in enumerate(phones)]


def price_of(*sizes):
    """The total_price of calls queuing `sizes` recipients each, as answer() prices them."""
    return round(sum(round(0.0792 * size, 4) for size in sizes), 6)


def posts(url="/v3/sms/send", count=1):
    return [("POST", url)] * count


# --- every list is read by the app: one message per distinct number -----------------------------------------------


@pytest.mark.parametrize(("count", "given", "calls_made"), [(600, 500, [1000, 100]), (1, 1999, [1000, 1000]), (3, 0, [3])])
def test_a_list_of_any_size_is_read_and_sent_to_as_numbers_in_calls_of_1000(run, requests_mock, count, given, calls_made):
    listed = numbers(count, start=12000000)
    mock_list(requests_mock, count, contacts(listed))
    requests_mock.post(URLS["send_message"], json=echo())
    run("send_message", {"to": ",".join(numbers(given)), "contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert pages_in_order(calls(requests_mock)) == [LIST_CALL, *contact_pages(-(-count // 100)), *posts(count=len(calls_made))]
    assert [len(body["messages"]) for body in sent_bodies(requests_mock)] == calls_made
    assert all("list_id" not in message for body in sent_bodies(requests_mock) for message in body["messages"])
    assert sent_to(requests_mock) == numbers(given) + listed
    ids = [f"ID-{to}" for to in numbers(given) + listed]
    assert run.result["summary"] == summary(ids, price_of(*calls_made))
    queued = [entry for item in run.result["data"] for entry in item["data"]["queued"]]
    assert [(entry["to"], entry.get("list_id")) for entry in queued] == [(to, None) for to in numbers(given)] + [(to, "77") for to in listed]


# --- a list larger than a call, or of unknown size: the app reads it ---------------------------------------------


@pytest.mark.parametrize("count", [1206, None, "many"])
def test_a_list_over_1000_or_of_unknown_size_is_read_and_sent_to_as_numbers(run, requests_mock, count):
    mock_list(requests_mock, count, contacts(EXTRAS + MEMBERS))
    requests_mock.post(URLS["send_message"], json=echo())
    run("send_message", {"to": f"{A}, {B}", "contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert pages_in_order(calls(requests_mock)) == [LIST_CALL, *contact_pages(13), *posts(count=2)]
    assert [len(body["messages"]) for body in sent_bodies(requests_mock)] == [1000, 202]
    sent = [A, B, *MEMBERS]  # each once: A from the list and the duplicate member are left out
    assert sent_to(requests_mock) == sent
    assert run.result["summary"] == summary([f"ID-{to}" for to in sent], price_of(1000, 202))
    assert run.result["message"] == (
        f"Queued 1202 of 1202 messages; 4 contacts of list {LIST_ID} had no usable phone number; "
        f"list {LIST_ID} was read by the app (1201 numbers, 1 number of it also in 'to'; one message each)"
    )


def test_a_list_read_by_the_app_without_a_usable_number_fails_and_sends_nothing(run, requests_mock):
    mock_list(requests_mock, 1500, contacts(["", "12"]))
    run("send_message", {"contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"Contact list {LIST_ID} has no contact with a usable phone number; nothing was sent"
    assert calls(requests_mock) == [LIST_CALL, *contact_pages(1)]


def test_a_list_that_cannot_be_read_fails_and_sends_nothing(run, requests_mock):
    mock_list(requests_mock, 1500)
    requests_mock.get(f"{LIST_URL}/contacts", status_code=403, json=envelope(None, "No access.", "FORBIDDEN", 403))
    run("send_message", {"to": A, "contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"ClickSend refused GET lists/{LIST_ID}/contacts with HTTP 403 FORBIDDEN: No access.")
    assert calls(requests_mock) == [LIST_CALL, *contact_pages(1)]


# --- empty and unknown lists --------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", PRICED)
def test_an_empty_list_and_no_numbers_fails_before_any_send(run, requests_mock, action):
    mock_list(requests_mock, 0)
    run(action, {"contact_list_id": LIST_ID, "message": "x", **SENDS.get(action, {})})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"Contact list {LIST_ID} has no contacts, so there was nobody to send to; nothing was sent"
    assert [call for call in calls(requests_mock) if call[0] != "HEAD"] == [LIST_CALL]  # (an MMS asks its image's size first)


def test_an_empty_list_beside_numbers_sends_to_the_numbers_and_says_so(run, requests_mock):
    mock_list(requests_mock, 0)
    requests_mock.post(URLS["send_message"], json=echo())
    run("send_message", {"to": A, "contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert sent_to(requests_mock) == [A]
    assert run.result["message"] == f"Queued 1 of 1 message; contact list {LIST_ID} has no contacts"


@pytest.mark.parametrize("action", PRICED)
def test_an_unknown_list_fails_naming_it_and_sends_nothing(run, requests_mock, action):
    requests_mock.get(LIST_URL, status_code=404, json=envelope(None, "Resource not found.", "NOT_FOUND", 404))
    run(action, {"to": A, "contact_list_id": LIST_ID, "message": "x", **SENDS.get(action, {})})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"Contact list {LIST_ID} does not exist at ClickSend (HTTP 404), so nothing was sent"
    assert [call for call in calls(requests_mock) if call[0] != "HEAD"] == [LIST_CALL]


# --- a batch of a list read by the app fails ------------------------------------------------------------------------


def test_a_failed_batch_after_the_list_was_read_names_the_batch_and_what_was_not_sent(run, requests_mock):
    mock_list(requests_mock, None, contacts(numbers(2100, start=12000000)))
    lost = {"status_code": 502, "text": "Bad gateway"}
    requests_mock.post(URLS["send_message"], [{"json": echo()}, lost])
    run("send_message", {"contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.call_count == 1 + 21 + 2  # the third batch is not sent; the second is not retried
    assert run.result["summary"] == summary([f"ID-{to}" for to in numbers(1000, start=12000000)], 79.2, failed_batch=2, unknown_count=1000)
    assert run.result["message"].startswith(
        f"Queued 1000 of 1000 messages; list {LIST_ID} was read by the app (2100 numbers; one message each); "
        "batch 2 of 3 (1000 recipients) has an unknown outcome: ClickSend refused POST sms/send with HTTP 502"
    ), run.result["message"]
    assert run.result["message"].endswith("; the 100 messages after it were not sent")


# --- what a failed call says of the calls before it ----------------------------------------------------------------


def test_a_later_failed_call_after_an_answer_without_messages_says_the_earlier_outcome_is_unknown(run, requests_mock):
    """The first call's answer lists no message (so ClickSend may have sent them all); the second call is refused. The
    action fails, and says so of the first call's 1000 recipients: never that nothing was sent."""
    silent = answer([])  # an answer whose message list is empty
    refused = {"status_code": 503, "json": envelope(None, "Service unavailable.", "SERVICE_UNAVAILABLE", 503)}
    requests_mock.post(URLS["send_message"], [{"json": silent}, refused])
    run("send_message", {"to": ",".join(numbers(1001)), "message": "x"})
    assert run.result["status"] == "failed"
    message = run.result["message"]
    assert message.startswith("Batch 2 of 2 (1 recipient) was not sent: ClickSend refused POST sms/send with HTTP 503"), message
    assert f"ClickSend's answer did not mention {', '.join(numbers(10))}, and 990 more, so their outcome is unknown: check " in message
    assert "nothing was sent" not in message
    assert run.result["summary"]["unknown_count"] == 1000 and run.result["summary"]["failed_batch"] == 2


def test_a_first_call_answered_without_a_message_list_stops_the_send_as_unknown(run, requests_mock):
    requests_mock.post(URLS["send_message"], json=envelope({"total_price": 79.2}, "Messages queued for delivery."))
    run("send_message", {"to": ",".join(numbers(1001)), "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "Batch 1 of 2 (1000 recipients) has an unknown outcome: ClickSend answered POST sms/send without a list of messages; the "
        "messages may have been sent, so the outcome is unknown: check ClickSend's history before trying again; the 1 message after "
        "it was not sent"
    )
    assert len(sent_bodies(requests_mock)) == 1

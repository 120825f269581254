"""Who a send goes to and in which calls: contact lists by size (ClickSend expands a list that fits in a call; the app
reads a larger one), TOO_MANY_RECIPIENTS, empty and unknown lists, and the packing of calls of at most 1000."""

import collections

import pytest

from tests.conftest import envelope
from tests.unit.test_action_send_message import (
    LIST_CALL,
    LIST_ID,
    LIST_URL,
    PRICED,
    SENDS,
    URLS,
    calls,
    contact_pages,
    echo,
    member,
    mock_list,
    numbers,
    pages_in_order,
    sent_bodies,
    sent_to,
    summary,
)


A, B = "+61411111111", "+61422222222"
READ_NOTE = f"list {LIST_ID} was read by the app (1001 numbers, each sent one message at most)"
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


# --- a list that fits in a call ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "given", "objects"),
    [
        (600, 500, [401, 100]),  # the list (600) and 400 numbers fill the first call
        (1000, 1, [1, 1]),
        (999, 1, [2]),
        (1, 1999, [1000, 1000]),
    ],
)
def test_a_list_that_fits_shares_its_call_with_numbers_up_to_1000_recipients(run, requests_mock, count, given, objects):
    mock_list(requests_mock, count)
    requests_mock.post(URLS["send_message"], json=echo({LIST_ID: count}))
    run("send_message", {"to": ",".join(numbers(given)), "contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [LIST_CALL, *posts(count=len(objects))]
    bodies = sent_bodies(requests_mock)
    assert [len(body["messages"]) for body in bodies] == objects
    assert bodies[0]["messages"][0] == {"source": "splunk-soar", "body": "x", "list_id": LIST_ID}
    assert sent_to(requests_mock) == [("list", LIST_ID), *numbers(given)]
    ids = [f"ID-{member(n)}" for n in range(count)] + [f"ID-{to}" for to in numbers(given)]
    recipients = [count + objects[0] - 1, *objects[1:]]  # a call's recipients: the list's contacts count each
    assert run.result["summary"] == summary(ids, price_of(*recipients))
    assert run.result["message"] == f"Queued {count + given} of {count + given} messages"


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
        f"list {LIST_ID} was read by the app (1200 numbers, each sent one message at most)"
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


# --- ClickSend refuses the list as too many recipients ------------------------------------------------------------

TOO_MANY = {"status_code": 400, "json": envelope(None, "Too many recipients.", "TOO_MANY_RECIPIENTS", 400)}


@pytest.mark.parametrize(
    ("action", "url", "message"),
    [
        ("send_message", "/v3/sms/send", f"Queued 1002 of 1002 messages; {READ_NOTE}"),
        (
            "calculate_price",
            "/v3/sms/price",
            "ClickSend prices 1002 messages at 79.3584 AUD in total; the text is 1 GSM-7 characters, 1 part per message; "
            f"{READ_NOTE}; nothing was sent",
        ),
    ],
)
def test_too_many_recipients_for_a_list_makes_the_app_read_it_and_reach_each_recipient_once(run, requests_mock, action, url, message):
    # _contacts_count says 999, but ClickSend counts more (the count lags behind the list): it refuses the call, sending nothing
    listed = [*numbers(1001, start=12000000), A]  # A is in `to` too
    mock_list(requests_mock, 999, contacts(listed))
    requests_mock.post(URLS[action], [TOO_MANY, {"json": echo()}])
    run(action, {"to": A, "contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert pages_in_order(calls(requests_mock)) == [LIST_CALL, ("POST", url), *contact_pages(11), *posts(url, 2)]
    refused, *answered = sent_bodies(requests_mock, URLS[action])
    assert [m.get("list_id", m.get("to")) for m in refused["messages"]] == [LIST_ID, A]
    reached = collections.Counter(m["to"] for body in answered for m in body["messages"])
    assert set(reached.values()) == {1} and set(reached) == set(listed)
    assert [len(body["messages"]) for body in answered] == [1000, 2]
    assert run.result["message"] == message


@pytest.mark.parametrize("status", [500, 502, 504, 520])
def test_too_many_recipients_on_an_answer_that_may_have_been_processed_is_not_sent_again_as_numbers(run, requests_mock, status):
    # a gateway's 5xx may come after ClickSend took the call: whatever the envelope says, the list may have been sent
    mock_list(requests_mock, 3, contacts(numbers(3, start=12000000)))
    requests_mock.post(URLS["send_message"], status_code=status, json=envelope(None, "Too many recipients.", "TOO_MANY_RECIPIENTS", status))
    run("send_message", {"contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "failed"
    sent = [body["messages"] for body in sent_bodies(requests_mock, URLS["send_message"])]
    assert sent == [[{"list_id": LIST_ID, "body": "x", "source": "splunk-soar"}]]
    assert f"HTTP {status} TOO_MANY_RECIPIENTS" in run.result["message"]
    assert "outcome is unknown" in run.result["message"] and "nothing was sent" not in run.result["message"]


# --- empty and unknown lists --------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", PRICED)
def test_an_empty_list_and_no_numbers_fails_before_any_send(run, requests_mock, action):
    mock_list(requests_mock, 0)
    run(action, {"contact_list_id": LIST_ID, "message": "x", **SENDS.get(action, {})})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"Contact list {LIST_ID} has no contacts, so there was nobody to send to; nothing was sent"
    assert calls(requests_mock) == [LIST_CALL]


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
    assert calls(requests_mock) == [LIST_CALL]


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
        f"Queued 1000 of 1000 messages; list {LIST_ID} was read by the app (2100 numbers, each sent one message at most); "
        "batch 2 of 3 (1000 recipients) has an unknown outcome: ClickSend refused POST sms/send with HTTP 502"
    ), run.result["message"]
    assert run.result["message"].endswith("; the 100 messages after it were not sent")

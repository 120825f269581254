"""send message: the exact request ClickSend receives, and the result the playbook reads.

The helpers here serve the other send tests too (send mms, send voice message, calculate price, delivery), and the
behaviours every send shares (thread markers, invalid_numbers, retries) are tested here across the actions."""

import base64
import functools
import re
import time
from datetime import datetime, timedelta, timezone

import pytest

import clicksend_connector
import clicksend_marker
from clicksend_client import ClickSendClient
from tests.conftest import API_KEY, BASE_URL, MANIFEST, USERNAME, asset_config, envelope
from tests.unit.test_actions_contacts import a_list, calls, paged


@pytest.fixture(autouse=True)
def no_own_numbers(requests_mock):
    """A send from a container asks whether its sender is one of the account's own numbers: none here."""
    own = {"own_numbers": [], "_metadata": {"pagination": {"self": None, "next": None, "page_size": 500}}}
    requests_mock.get(f"{BASE_URL}/own-numbers", json=own)


SEND_URL = f"{BASE_URL}/sms/send"
URLS = {
    "send_message": SEND_URL,
    "send_mms": f"{BASE_URL}/mms/send",
    "send_voice_message": f"{BASE_URL}/voice/send",
    "calculate_price": f"{BASE_URL}/sms/price",
}
MEDIA = "https://example.com/evidence.jpg"
# what each send needs besides `to` and `message` (MMS needs media and a sender)
SENDS = {
    "send_message": {},
    "send_mms": {"media_url": MEDIA, "from": "+61431111112"},
    "send_voice_message": {},
}
PRICED = dict(SENDS, calculate_price={})
APP_ID = MANIFEST["appid"]
LIST_ID = 77
LIST_URL = f"{BASE_URL}/lists/{LIST_ID}"
LIST_CALL = ("GET", f"/v3/lists/{LIST_ID}")


def answer(messages, total_price=None):
    queued = [m for m in messages if m["status"] == "SUCCESS"]
    return envelope(
        {
            "total_price": total_price if total_price is not None else round(0.0792 * len(queued), 4),
            "total_count": len(messages),
            "queued_count": len(queued),
            "blocked_count": 0,
            "messages": messages,
            "_currency": {
                "currency_name_short": "AUD",
                "currency_prefix_d": "$",
                "currency_prefix_c": "c",
                "currency_name_long": "Australian Dollars",
            },
        },
        "Messages queued for delivery.",
    )


def msg(to, status="SUCCESS", message_id=None, **extra):
    item = {
        "direction": "out",
        "to": to,
        "status": status,
        "message_id": message_id or f"ID-{to}",
        "message_price": "0.0792",
        "message_parts": 1,
    }
    item.update(extra)
    return item


def summary(ids, total_price, **changes):
    """The summary of a send whose recipients were all queued, with `changes` on top."""
    base = {
        "total_recipients": len(ids),
        "queued_count": len(ids),
        "rejected_count": 0,
        "total_price": total_price,
        "currency": "AUD",
        "message_id": ids[0] if ids else None,
        "message_ids": ids,
        "response_message": "Messages queued for delivery.",
        "unknown_count": 0,
        "skipped_numbers": [],
    }
    base.update(changes)
    return base


def numbers(count, start=11000000):
    return [f"+614{n:08d}" for n in range(start, start + count)]


def member(index):
    """The number of the index-th contact of a list ClickSend expands."""
    return f"+6149{index:07d}"


def echo(lists=None):
    """A send (or price) callback queuing every recipient of the call: a number as itself, a list object as the
    `lists[list_id]` contacts ClickSend expands it into."""

    def reply(request, context):
        items = []
        for message in request.json()["messages"]:
            if "to" in message:
                items.append(msg(message["to"]))
            else:
                list_id = message["list_id"]
                items.extend(msg(member(n), list_id=str(list_id), contact_id=str(n)) for n in range((lists or {})[list_id]))
        return answer(items)

    return reply


def mock_list(requests_mock, count, contacts=None):
    """GET lists/77 answers the list with `_contacts_count` = count (None: ClickSend does not say); with `contacts`,
    GET lists/77/contacts serves them page by page."""
    listing = a_list(LIST_ID, count=count)
    if count is None:
        del listing["_contacts_count"]
    requests_mock.get(LIST_URL, json=envelope(listing))
    if contacts is not None:
        requests_mock.get(f"{LIST_URL}/contacts", json=paged(contacts))


def contact_pages(pages):
    return [("GET", f"/v3/lists/{LIST_ID}/contacts?page={page}&limit=100") for page in range(1, pages + 1)]


def pages_in_order(made):
    """The calls with each run of contact-page reads put in page order: after page 1 the app reads several pages at
    once (clicksend_client.map_ordered), so ClickSend may see them in another order."""
    prefix = f"/v3/lists/{LIST_ID}/contacts?page="
    ordered, run = [], []
    for call in [*made, None]:
        if call is not None and call[0] == "GET" and call[1].startswith(prefix):
            run.append(call)
            continue
        ordered += sorted(run, key=lambda read: int(read[1][len(prefix) :].split("&")[0]))
        run = []
        if call is not None:
            ordered.append(call)
    return ordered


def sent_bodies(requests_mock, url=SEND_URL):
    return [r.json() for r in requests_mock.request_history if r.url.startswith(url)]


def sent_to(requests_mock, url=SEND_URL):
    """Every number the app sent to, call after call (a list object counts as ('list', id))."""
    return [m.get("to", ("list", m.get("list_id"))) for body in sent_bodies(requests_mock, url) for m in body["messages"]]


def soon(days=30):
    """A schedule within ClickSend's year ahead: a whole hour `days` from now."""
    return (int(time.time()) // 3600 + 24 * days) * 3600


def utc(when):
    return datetime.fromtimestamp(when, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def seed_secret(platform, secret="s" * 64):
    platform.write_state("1", APP_ID, {clicksend_marker.STATE_KEY: secret})
    return secret


@pytest.fixture
def sleeps(monkeypatch):
    """The waits between retries, recorded instead of slept."""
    waits = []
    monkeypatch.setattr(clicksend_connector, "ClickSendClient", functools.partial(ClickSendClient, sleep=waits.append))
    return waits


def test_sends_normalised_deduplicated_numbers_in_one_request(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111"), msg("+61422222222")]))
    run("send_message", {"to": "0411 111 111, +61411111111,+61 422 222 222", "message": "Alert 123", "from": "SOCTeam"})

    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert request.method == "POST"
    assert request.url == SEND_URL
    assert request.timeout == 30
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(f"{USERNAME}:{API_KEY}".encode()).decode()
    assert request.json() == {
        "messages": [
            {"source": "splunk-soar", "from": "SOCTeam", "body": "Alert 123", "to": "+61411111111"},
            {"source": "splunk-soar", "from": "SOCTeam", "body": "Alert 123", "to": "+61422222222"},
        ]
    }
    assert run.result["summary"] == summary(["ID-+61411111111", "ID-+61422222222"], 0.1584)
    assert run.result["message"] == "Queued 2 of 2 messages"
    assert run.result["data"][0]["data"]["messages"][0]["to"] == "+61411111111"


def test_http_200_with_a_rejected_message_is_a_partial_success_naming_it(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111"), msg("+61400000001", "COUNTRY_NOT_ENABLED")]))
    run("send_message", {"to": "+61411111111,+61400000001", "message": "hi"})
    assert run.result["status"] == "success"
    assert run.result["summary"] == summary(["ID-+61411111111"], 0.0792, total_recipients=2, rejected_count=1)
    assert run.result["message"] == "Queued 1 of 2 messages; ClickSend rejected 1: +61400000001 (COUNTRY_NOT_ENABLED)"


def test_every_message_rejected_fails_the_action_with_the_codes(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111", "INSUFFICIENT_CREDIT")]))
    run("send_message", {"to": "+61411111111", "message": "hi"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "ClickSend did not accept the message: +61411111111 (INSUFFICIENT_CREDIT)"
    assert run.result["summary"]["queued_count"] == 0


def test_answers_get_uniform_types_for_contact_id_date_and_schedule(run, requests_mock):
    mixed = [
        msg("+61411111111", contact_id=5, date="1767225600", schedule=""),
        msg("+61422222222", contact_id=None, date=1767225600.0, schedule="1767229200"),
        msg("+61433333333", contact_id="", date="Thu, 1 Jan 2026", schedule=None),
    ]
    requests_mock.post(SEND_URL, json=answer(mixed))
    run("send_message", {"to": "+61411111111,+61422222222,+61433333333", "message": "hi"})
    assert run.result["status"] == "success", run.result["message"]
    typed = [{key: item[key] for key in ("contact_id", "date", "schedule")} for item in run.result["data"][0]["data"]["messages"]]
    assert typed == [
        {"contact_id": "5", "date": 1767225600, "schedule": None},
        {"contact_id": None, "date": 1767225600, "schedule": 1767229200},
        {"contact_id": "", "date": None, "schedule": None},
    ]


@pytest.mark.parametrize("action", ["send_message", "send_mms", "send_voice_message"])
def test_numeric_data_paths_hold_numbers_or_null(run, requests_mock, action):
    """ClickSend also sends numbers as numeric strings ("1.00" in LEG); one that is not finite is null, never an error."""
    parts = [msg("+61411111111", message_parts="1.00"), msg("+61422222222", message_parts="Infinity"), msg("+61433333333", message_parts="2")]
    reply = answer(parts)
    reply["data"].update(total_count="3", queued_count="3.0", blocked_count="NaN")
    requests_mock.post(URLS[action], json=reply)
    run(action, {"to": "+61411111111,+61422222222,+61433333333", "message": "hi", **SENDS[action]})
    assert run.result["status"] == "success", run.result["message"]
    data = run.result["data"][0]["data"]
    assert [item["message_parts"] for item in data["messages"]] == [1, None, 2]
    assert (data["total_count"], data["queued_count"], data["blocked_count"]) == (3, 3, None)


def list_contacts(*numbers_in_list, start=1):
    """Contacts of list 77 with these phone numbers, contact ids from `start`."""
    return [{"contact_id": n, "list_id": LIST_ID, "phone_number": number} for n, number in enumerate(numbers_in_list, start)]


def test_a_number_in_to_and_in_the_list_gets_one_message(run, requests_mock):
    """The app reads the list and sends to its numbers (ClickSend would expand a list_id without knowing of `to`)."""
    mock_list(requests_mock, 3, contacts=list_contacts(member(0), "+61433333333", member(1)))
    to_numbers = ["+61433333333", member(0), member(1)]  # ClickSend's SMS answer has list_id and contact_id, null for a number
    requests_mock.post(SEND_URL, json=answer([msg(to, list_id=None, contact_id=None) for to in to_numbers]))
    run("send_message", {"contact_list_id": LIST_ID, "message": "hi", "to": "+61433333333"})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [LIST_CALL, *contact_pages(1), ("POST", "/v3/sms/send")]
    assert requests_mock.request_history[-1].json()["messages"] == [
        {"source": "splunk-soar", "body": "hi", "to": "+61433333333"},
        {"source": "splunk-soar", "body": "hi", "to": member(0)},
        {"source": "splunk-soar", "body": "hi", "to": member(1)},
    ]
    assert run.result["summary"] == summary(["ID-+61433333333", f"ID-{member(0)}", f"ID-{member(1)}"], 0.2376)
    read = f"list {LIST_ID} was read by the app (3 numbers, 1 number of it also in 'to'; one message each)"
    assert run.result["message"] == f"Queued 3 of 3 messages; {read}"
    # every queued recipient, with the list and contact the app read it from
    assert run.result["data"][0]["data"]["queued"] == [
        {"to": "+61433333333", "message_id": "ID-+61433333333", "list_id": str(LIST_ID), "contact_id": "2"},
        {"to": member(0), "message_id": f"ID-{member(0)}", "list_id": str(LIST_ID), "contact_id": "1"},
        {"to": member(1), "message_id": f"ID-{member(1)}", "list_id": str(LIST_ID), "contact_id": "3"},
    ]
    assert [(m["list_id"], m["contact_id"]) for m in run.result["data"][0]["data"]["messages"]] == [("77", "2"), ("77", "1"), ("77", "3")]


def test_a_number_twice_in_the_list_gets_one_message(run, requests_mock):
    mock_list(requests_mock, 3, contacts=list_contacts("+61411111111", "0411 111 111", "+61422222222"))
    requests_mock.post(SEND_URL, json=echo())
    run("send_message", {"contact_list_id": LIST_ID, "message": "hi"})
    assert sent_to(requests_mock) == ["+61411111111", "+61422222222"]
    assert run.result["message"] == f"Queued 2 of 2 messages; list {LIST_ID} was read by the app (2 numbers; one message each)"


def test_from_falls_back_to_the_asset_default(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "hi"}, config=asset_config(default_from="+61 431 111 112"))
    assert requests_mock.request_history[0].json()["messages"][0]["from"] == "+61431111112"


@pytest.mark.parametrize(
    ("action", "params", "config"),
    [
        ("send_message", {"from": "12345"}, {}),
        ("send_message", {}, {"default_from": "12345"}),
        ("send_message", {"from": "123"}, {}),
        ("send_message", {"from": "12345678"}, {}),
        ("send_mms", {"from": "12345", "media_url": MEDIA}, {}),
        ("send_mms", {"media_url": MEDIA}, {"default_from": "12345"}),
        ("calculate_price", {"from": "12345"}, {}),
    ],
)
def test_a_short_code_sender_goes_unchanged(run, requests_mock, action, params, config):
    requests_mock.post(URLS[action], json=answer([msg("+61411111111")]))
    run(action, {"to": "+61411111111", "message": "hi", **params}, config=asset_config(**config))
    assert run.result["status"] == "success", run.result["message"]
    (request,) = [r for r in requests_mock.request_history if r.method == "POST"]
    assert request.json()["messages"][0]["from"] == params.get("from", config.get("default_from"))


# --- reply-thread markers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", SENDS)
def test_a_container_send_without_custom_string_carries_the_hmac_thread_marker(run, requests_mock, platform, action):
    secret = seed_secret(platform)
    requests_mock.post(URLS[action], json=answer([msg("+61411111111")]))
    run(action, {"to": "+61411111111", "message": "Approve?", **SENDS[action]}, container_id=314)
    assert run.result["status"] == "success", run.result["message"]
    (send,) = [r for r in requests_mock.request_history if r.method == "POST"]
    marker = send.json()["messages"][0]["custom_string"]
    assert marker == clicksend_marker.make(secret, "1", 314, "+61411111111")
    assert re.fullmatch(r"soar:314:[0-9a-f]{20}", marker)


def test_each_recipient_of_a_container_send_gets_a_marker_bound_to_its_own_number(run, requests_mock, platform):
    secret = seed_secret(platform)
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111"), msg("+61422222222")]))
    run("send_message", {"to": "+61411111111,+61422222222", "message": "Approve?"}, container_id=314)
    assert run.result["status"] == "success", run.result["message"]
    markers = {m["to"]: m["custom_string"] for m in sent_bodies(requests_mock)[0]["messages"]}
    assert markers == {number: clicksend_marker.make(secret, "1", 314, number) for number in ("+61411111111", "+61422222222")}
    assert len(set(markers.values())) == 2


def test_a_contact_list_sent_from_a_container_is_read_so_that_each_member_gets_its_own_marker(run, requests_mock, platform):
    secret = seed_secret(platform)
    requests_mock.get(f"{BASE_URL}/lists/7", json=envelope({"list_id": 7, "_contacts_count": 2}))
    requests_mock.get(
        f"{BASE_URL}/lists/7/contacts",
        json=envelope({"total": 2, "per_page": 100, "current_page": 1, "last_page": 1, "data": [
            {"contact_id": 1, "phone_number": "+61422222222"}, {"contact_id": 2, "phone_number": "0433 333 333"}]}),
    )
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111"), msg("+61422222222"), msg("+61433333333")]))
    run("send_message", {"to": "+61411111111", "contact_list_id": 7, "message": "Approve?"}, container_id=314)
    assert run.result["status"] == "success", run.result["message"]
    (body,) = sent_bodies(requests_mock)
    assert [(m["to"], m["custom_string"]) for m in body["messages"]] == [
        (number, clicksend_marker.make(secret, "1", 314, number)) for number in ("+61411111111", "+61422222222", "+61433333333")
    ]


def test_the_marker_secret_is_made_once_kept_in_the_state_file_and_verifies(run, requests_mock, platform):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    for _ in range(2):
        run("send_message", {"to": "+61411111111", "message": "Approve?"}, container_id=314)
    first, second = (body["messages"][0]["custom_string"] for body in sent_bodies(requests_mock))
    secret = platform.read_state("1", APP_ID)[clicksend_marker.STATE_KEY]
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert first == second == clicksend_marker.make(secret, "1", 314, "+61411111111")
    assert clicksend_marker.verified_container(first, secret, "1", "+61411111111") == 314


def test_callers_custom_string_is_never_changed(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "x", "custom_string": "  mine  "}, container_id=314)
    assert requests_mock.request_history[0].json()["messages"][0]["custom_string"] == "  mine  "


@pytest.mark.parametrize("action", SENDS)
@pytest.mark.parametrize("custom", ["soar:314:0123456789abcdef0123", "  SOAR:container:314", "Soar:"])
def test_a_custom_string_that_looks_like_a_marker_is_refused_and_nothing_is_sent(run, requests_mock, action, custom):
    run(action, {"to": "+61411111111", "message": "x", "custom_string": custom, **SENDS[action]}, container_id=314)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(
        f"Parameter 'custom_string': starts with {custom.strip()[:5]!r}, which the app keeps for its own reply-thread markers"
    ), run.result["message"]
    assert requests_mock.call_count == 0


ALPHA_NOTE = (
    "; note: replies cannot reach the alpha tag SOCTeam, so no reply will be threaded into this container "
    "(send from a dedicated number for replies and approvals)"
)


@pytest.mark.parametrize("action", ["send_message", "send_mms"])
def test_an_alpha_tag_sender_from_a_container_gets_a_note_that_replies_cannot_reach_it(run, requests_mock, action):
    requests_mock.post(URLS[action], json=answer([msg("+61411111111")]))
    noun = "MMS message" if action == "send_mms" else "message"
    # (sender, container, note): no note outside a container, nor for a sender replies can reach
    for sender, container, note in [("SOCTeam", 314, ALPHA_NOTE), ("SOCTeam", None, ""), ("+61431111112", 314, ""), ("12345", 314, "")]:
        run(action, {"to": "+61411111111", "message": "Approve?", **SENDS[action], "from": sender}, container_id=container)
        assert run.result["message"] == f"Queued 1 of 1 {noun}{note}", sender
    assert [r.method for r in requests_mock.request_history].count("POST") == 4


@pytest.mark.parametrize("action", ["send_message", "send_mms"])
def test_an_own_number_sender_from_a_container_gets_a_note_that_replies_will_not_be_threaded(run, requests_mock, action):
    requests_mock.post(URLS[action], json=answer([msg("+61411111111")]))
    own = {"own_numbers": [{"phone_number": "+61431111112"}], "_metadata": {"pagination": {"next": None}}}
    requests_mock.get(f"{BASE_URL}/own-numbers", json=own)
    noun = "MMS message" if action == "send_mms" else "message"
    run(action, {"to": "+61411111111", "message": "Approve?", **SENDS[action], "from": "+61431111112"}, container_id=314)
    assert run.result["message"] == (
        f"Queued 1 of 1 {noun}; note: +61431111112 is one of the account's own numbers, whose replies go straight to that "
        "phone and never reach ClickSend, so no reply will be threaded into this container (send from a dedicated number "
        "for replies and approvals)"
    )
    run(action, {"to": "+61411111111", "message": "Approve?", **SENDS[action], "from": "+61431111112"})
    assert run.result["message"] == f"Queued 1 of 1 {noun}"  # outside a container nothing is threaded anyway


# --- invalid numbers --------------------------------------------------------------------------------------------

BAD_NUMBERS = [f"{given!r} is not a valid phone number (numbers without '+' are read as AU numbers)" for given in ("12", "nonsense")]


@pytest.mark.parametrize("action", PRICED)
@pytest.mark.parametrize("mode", [{}, {"invalid_numbers": "fail"}, {"invalid_numbers": "FAIL"}])
def test_invalid_numbers_fail_names_every_invalid_number_and_sends_nothing(run, requests_mock, action, mode):
    run(action, {"to": "+61411111111, 12,nonsense", "message": "x", **SENDS.get(action, {}), **mode})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        f"Parameter 'to': 2 numbers cannot be used: {BAD_NUMBERS[0]}; {BAD_NUMBERS[1]}; nothing was sent "
        "(set invalid_numbers to skip to send to the valid numbers only)"
    )
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("action", PRICED)
def test_invalid_numbers_skip_sends_to_the_valid_ones_and_names_each_skipped_one(run, requests_mock, action):
    requests_mock.post(URLS[action], json=answer([msg("+61411111111")]))
    run(action, {"to": " 12 ,0411 111 111,nonsense", "message": "x", "invalid_numbers": "skip", **SENDS.get(action, {})})
    assert run.result["status"] == "success", run.result["message"]
    assert sent_to(requests_mock, URLS[action]) == ["+61411111111"]
    assert run.result["summary"]["skipped_numbers"] == ["12", "nonsense"]
    assert f"; skipped 2 invalid numbers: {BAD_NUMBERS[0]}, {BAD_NUMBERS[1]}" in run.result["message"]


@pytest.mark.parametrize("action", PRICED)
def test_invalid_numbers_skip_with_no_valid_number_fails_and_sends_nothing(run, requests_mock, action):
    run(action, {"to": "12", "message": "x", "invalid_numbers": "skip", **SENDS.get(action, {})})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"None of the numbers in 'to' can be used, so nothing was sent: {BAD_NUMBERS[0]}"
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("action", PRICED)
def test_a_number_with_an_extension_is_refused(run, requests_mock, action):
    run(action, {"to": "+61 2 9999 9999 ext. 12", "message": "x", **SENDS.get(action, {})})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "Parameter 'to': '+61 2 9999 9999 ext. 12' has an extension (12); a message cannot reach an extension, so give the line's own number"
    )
    assert requests_mock.call_count == 0


# --- schedule ---------------------------------------------------------------------------------------------------


def test_schedule_iso_with_zone_becomes_unix_seconds(run, requests_mock):
    when = soon()
    iso = datetime.fromtimestamp(when, tz=timezone(timedelta(hours=10))).isoformat()
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "x", "schedule": iso})
    assert requests_mock.request_history[0].json()["messages"][0]["schedule"] == when
    assert run.result["message"] == f"Queued 1 of 1 message to go out at {utc(when)}"


@pytest.mark.parametrize("zero", ["0", "0.0"])
def test_schedule_zero_means_send_now(run, requests_mock, zero):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "x", "schedule": zero})
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.request_history[0].json()["messages"] == [{"source": "splunk-soar", "body": "x", "to": "+61411111111"}]
    assert run.result["message"] == "Queued 1 of 1 message"


# --- batches ----------------------------------------------------------------------------------------------------


def test_more_than_1000_recipients_go_in_batches_of_1000(run, requests_mock):
    requests_mock.post(SEND_URL, json=echo())
    run("send_message", {"to": ",".join(numbers(2500)), "message": "x"})
    assert [len(body["messages"]) for body in sent_bodies(requests_mock)] == [1000, 1000, 500]
    assert sent_to(requests_mock) == numbers(2500)
    assert run.result["summary"]["queued_count"] == 2500
    assert len(run.result["data"]) == 3


def failing_call(fail_at, status, code):
    """A send callback that queues every call but the `fail_at`-th, which gets an error status."""
    calls_made = []
    queue = echo()

    def reply(request, context):
        calls_made.append(1)
        if len(calls_made) == fail_at:
            context.status_code = status
            return envelope(None, "Refused", code, status)
        return queue(request, context)

    return reply


def test_a_failed_later_batch_stops_the_rest_and_says_so(run, requests_mock):
    requests_mock.post(SEND_URL, json=failing_call(2, 500, "INTERNAL_SERVER_ERROR"))
    run("send_message", {"to": ",".join(numbers(2500)), "message": "x"})
    assert requests_mock.call_count == 2  # the third batch was not sent, and nothing was retried
    assert run.result["status"] == "success"
    assert run.result["summary"]["queued_count"] == 1000
    assert run.result["summary"]["failed_batch"] == 2
    assert run.result["summary"]["unknown_count"] == 1000  # the batch with an unknown outcome
    assert run.result["message"].startswith(
        "Queued 1000 of 1000 messages; batch 2 of 3 (1000 recipients) has an unknown outcome: "
        "ClickSend refused POST sms/send with HTTP 500 INTERNAL_SERVER_ERROR: Refused"
    ), run.result["message"]
    assert run.result["message"].endswith("; the 500 messages after it were not sent")


def test_a_first_batch_that_was_not_sent_fails_and_counts_what_was_not_sent(run, requests_mock):
    requests_mock.post(SEND_URL, status_code=503, json=envelope(None, "down", "SERVICE_UNAVAILABLE", 503))
    run("send_message", {"to": ",".join(numbers(1500)), "message": "x"})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("Batch 1 of 2 (1000 recipients) was not sent: ClickSend refused POST sms/send with HTTP 503")
    assert run.result["message"].endswith("; the 500 messages after it were not sent")


def test_an_all_rejected_send_answered_with_http_400_names_each_recipient(run, requests_mock):
    body = answer([msg("+61411111111", "INVALID_RECIPIENT"), msg("+61422222222", "INVALID_RECIPIENT")])
    body.update(http_code=400, response_code="INVALID_RECIPIENT", response_msg="Invalid recipients.")
    requests_mock.post(SEND_URL, status_code=400, json=body)
    run("send_message", {"to": "+61411111111,+61422222222", "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "ClickSend accepted none of the 2 messages: +61411111111 (INVALID_RECIPIENT), +61422222222 (INVALID_RECIPIENT)"
    )
    assert run.result["summary"]["rejected_count"] == 2
    assert run.result["data"][0]["http_code"] == 400


def test_an_answer_listing_no_messages_is_reported_as_unknown(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([]))
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert run.result["status"] == "failed"
    assert "outcome is unknown" in run.result["message"]
    assert run.result["summary"]["unknown_count"] == 1


UNKNOWN = "so their outcome is unknown: check ClickSend's history before resending"


@pytest.mark.parametrize(
    ("params", "count", "listed", "unknown", "named"),
    [
        ({"to": ",".join(numbers(3))}, 0, 2, 1, numbers(3)[2]),
        ({"to": ",".join(numbers(13))}, 0, 1, 12, ", ".join(numbers(11)[1:]) + ", and 2 more"),
        ({"contact_list_id": LIST_ID}, 5, 3, 2, f"{member(3)}, {member(4)}"),
    ],
)
def test_recipients_a_short_answer_does_not_mention_are_named_as_outcome_unknown(run, requests_mock, params, count, listed, unknown, named):
    mock_list(requests_mock, count, contacts=list_contacts(*(member(n) for n in range(count))))
    mentioned = numbers(listed) if "to" in params else [member(n) for n in range(listed)]
    requests_mock.post(SEND_URL, json=answer([msg(to) for to in mentioned]))
    run("send_message", {"message": "x", **params})
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.call_count == 1 + 2 * bool(count)
    assert run.result["summary"] == summary([f"ID-{to}" for to in mentioned], round(0.0792 * listed, 4), unknown_count=unknown)
    noun = "message" if listed == 1 else "messages"
    read = f"; list {LIST_ID} was read by the app (5 numbers; one message each)" if count else ""
    assert run.result["message"] == f"Queued {listed} of {listed} {noun}; ClickSend's answer did not mention {named}, {UNKNOWN}{read}"


def test_an_answer_naming_a_number_without_its_plus_still_mentions_it(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert run.result["message"] == "Queued 1 of 1 message"
    assert run.result["summary"]["unknown_count"] == 0


# --- retries ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["send_message", "send_mms"])
def test_a_429_send_is_retried_after_the_wait_clicksend_asks_for(run, requests_mock, sleeps, action):
    limited = {"status_code": 429, "json": envelope(None, "slow down", "TOO_MANY_REQUESTS", 429), "headers": {"Retry-After": "7"}}
    requests_mock.post(URLS[action], [limited, {"json": answer([msg("+61411111111")])}])
    run(action, {"to": "+61411111111", "message": "x", **SENDS[action]})
    assert run.result["status"] == "success", run.result["message"]
    first, second = [r for r in requests_mock.request_history if r.method == "POST"]
    assert first.json() == second.json()
    assert sleeps == [7.0]


def test_a_send_still_rate_limited_after_every_retry_fails_saying_nothing_was_sent(run, requests_mock, sleeps):
    requests_mock.post(SEND_URL, status_code=429, json=envelope(None, "slow down", "TOO_MANY_REQUESTS", 429), headers={"Retry-After": "0"})
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert requests_mock.call_count == 4
    assert sleeps == [0.0, 0.0, 0.0]
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "ClickSend refused POST sms/send with HTTP 429 TOO_MANY_REQUESTS: slow down; ClickSend is rate-limiting this account; "
        "gave up after 4 attempts and 0 s of waiting (nothing was sent)"
    )


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_send_is_never_retried_after_a_server_error(run, requests_mock, status):
    requests_mock.post(SEND_URL, status_code=status, json=envelope(None, "nope", "X", status), headers={"Retry-After": "0"})
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"
    assert f"HTTP {status}" in run.result["message"]


def test_a_timeout_on_send_says_the_outcome_is_unknown(run, requests_mock):
    import requests

    requests_mock.post(SEND_URL, exc=requests.exceptions.ReadTimeout)
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"
    assert "did not answer POST sms/send within 30 s" in run.result["message"]
    assert "outcome is unknown" in run.result["message"]


# --- bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"message": "x"}, "Parameter 'to': give at least one recipient"),
        ({"to": "+61411111111"}, "Parameter 'message': is required"),
        ({"to": "+61411111111", "message": "   "}, "Parameter 'message': is required"),
        ({"to": "12", "message": "x"}, "Parameter 'to': '12' is not a valid phone number"),
        ({"to": "+61411111111, nonsense", "message": "x"}, "Parameter 'to': 'nonsense' is not a valid phone number"),
        ({"to": "+61411111111", "message": "x", "invalid_numbers": "maybe"}, "Parameter 'invalid_numbers': must be fail or skip, not 'maybe'"),
        ({"to": "+61411111111", "message": "x", "from": "Way Too Long Tag"}, "Parameter 'from':"),
        (
            {"to": "+61411111111", "message": "x", "schedule": "2001-01-01T00:00:00Z"},
            "Parameter 'schedule': '2001-01-01T00:00:00Z' is in the past",
        ),
        (
            {"to": "+61411111111", "message": "x", "schedule": "2099-01-01T00:00:00Z"},
            "Parameter 'schedule': '2099-01-01T00:00:00Z' is more than 366 days ahead",
        ),
        ({"to": "+61411111111", "message": "x", "schedule": str(soon(367))}, "Parameter 'schedule': "),
        ({"to": "+61411111111", "message": "x", "schedule": "1767225600000"}, "Parameter 'schedule': '1767225600000' looks like milliseconds"),
        ({"to": "+61411111111", "message": "x", "schedule": "9" * 25}, "Parameter 'schedule': '9999999999999999999999999' is too large"),
        ({"to": "+61411111111", "message": "x", "schedule": "9" * 40}, "Parameter 'schedule': '99999999999999999999999999999999999999"),
        ({"to": "+61411111111", "message": "x", "schedule": "2099-01-01 10:00"}, "Parameter 'schedule': '2099-01-01 10:00' has no time zone"),
        ({"to": "+61411111111", "message": "x", "schedule": "tomorrow"}, "Parameter 'schedule': 'tomorrow' is neither"),
        ({"to": "+61411111111", "message": "x", "contact_list_id": "abc"}, "Parameter 'contact_list_id': must be a whole number"),
        ({"to": "+61411111111", "message": "x", "contact_list_id": 0}, "Parameter 'contact_list_id': must be at least 1"),
        (
            {"to": "+61411111111", "message": "ok \ud800"},
            "Parameter 'message': holds an invalid character (a lone UTF-16 surrogate) at position 4",
        ),
        ({"to": "+61411111111", "message": "a\x00b"}, "Parameter 'message': holds a control character (U+0000) at position 2"),
        ({"to": "+61411111111", "message": "x", "custom_string": "ref\x00"}, "Parameter 'custom_string': holds a control character"),
        (
            {"to": "+61411111111", "message": "a" * 919},
            "Parameter 'message': is 919 GSM-7 characters; ClickSend cuts an SMS (6 parts for this asset) beyond 918 GSM-7 characters, "
            "so it was not sent",
        ),
        ({"to": "+61411111111", "message": "a" * 917 + "\n"}, "Parameter 'message': is 919 GSM-7 characters"),
        ({"to": "+61411111111", "message": "ж" * 403}, "Parameter 'message': is 403 Unicode characters; ClickSend cuts an SMS (6 parts"),
        ({"to": "+61411111111", "message": "é€😀" * 200}, "Parameter 'message': is 800 Unicode characters"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("send_message", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0


# --- the SMS part limit -----------------------------------------------------------------------------------------

# (asset sms_part_limit, the longest GSM-7 text, the longest Unicode text): 153 and 67 characters a part, but one part
# alone holds a whole 160 / 70
PART_LIMITS = [
    (1, "a" * 160, "ж" * 70),
    (None, "a" * 918, "ж" * 402),
    (None, "a" * 916 + "\r\n", "ж" * 400 + "\n"),
    (2, "a" * 306, "ж" * 134),
    (7, "a" * 1071, "ж" * 469),
    (8, "a" * 1224, "ж" * 536),
]


@pytest.mark.parametrize("action", ["send_message", "calculate_price"])
@pytest.mark.parametrize(("limit", "gsm", "unicode"), PART_LIMITS, ids=["1-part", "default", "crlf-counts-2", "2-parts", "7-parts", "8-parts"])
def test_the_sms_part_limit_sends_the_longest_text_that_fits_and_refuses_one_more(run, requests_mock, action, limit, gsm, unicode):
    requests_mock.post(URLS[action], json=answer([msg("+61411111111", message_parts=limit or 6)]))
    config = asset_config(sms_part_limit=limit)
    parts = limit or 6
    one = parts == 1
    for longest, encoding, size in ((gsm, "GSM-7", 160 if one else 153 * parts), (unicode, "Unicode", 70 if one else 67 * parts)):
        run(action, {"to": "+61411111111", "message": longest}, config=config)
        assert run.result["status"] == "success", run.result["message"]
        run(action, {"to": "+61411111111", "message": longest + "a"}, config=config)
        assert run.result["status"] == "failed"
        assert run.result["message"] == (
            f"Parameter 'message': is {size + 1} {encoding} characters; ClickSend cuts an SMS ({parts} part{'' if one else 's'} for this asset) "
            f"beyond {size} {encoding} characters, so it was not sent"
        )
    assert [r.json()["messages"][0]["body"] for r in requests_mock.request_history] == [gsm, unicode]


def test_float_list_id_from_a_playbook_is_accepted(run, requests_mock):
    requests_mock.post(SEND_URL, json=echo())
    requests_mock.get(f"{BASE_URL}/lists/10", json=envelope(a_list(10, count=1)))
    requests_mock.get(f"{BASE_URL}/lists/10/contacts", json=paged([{"contact_id": 1, "list_id": 10, "phone_number": "+61411111111"}]))
    run("send_message", {"contact_list_id": 10.0, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("GET", "/v3/lists/10"), ("GET", "/v3/lists/10/contacts?page=1&limit=100"), ("POST", "/v3/sms/send")]
    queued = [{"to": "+61411111111", "message_id": "ID-+61411111111", "list_id": "10", "contact_id": "1"}]
    assert run.result["data"][0]["data"]["queued"] == queued

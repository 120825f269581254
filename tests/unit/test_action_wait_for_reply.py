"""wait for reply: the exact requests of every check, the pauses between them (on a fake clock), the answer matching, and
the failures that must fail (a bad id, an unusable asset) against the outcomes that must not (no reply in time)."""

import pathlib

import pytest

import clicksend_actions_twoway as twoway
import clicksend_marker
from clicksend_connector import ClickSendConnector
from tests import fake_clock
from tests.conftest import BASE_URL, MANIFEST, envelope


APPID = MANIFEST["appid"]
MID = "1EF43A1C-C38C-6308-BE4B-C7C51D01DCF0"
SIBLING = "2EF43A1C-C38C-6308-BE4B-C7C51D01DCF1"
REPLY_ID = "C557B56E-83C0-4070-A74C-9BF05474B418"
HISTORY_URL = f"{BASE_URL}/sms/history"
REPLY_URL = f"{BASE_URL}/sms/inbound/{MID}"
SECRET = "5ec2e7" * 10
NOT_FOUND = {"status_code": 404, "json": envelope(None, "Inbound message not found.", "NOT_FOUND", 404)}


@pytest.fixture
def clock(monkeypatch):
    return fake_clock.install(monkeypatch)


def sent_row(**extra):
    row = {"message_id": MID, "to": "+61411111111", "from": "+61431111112", "date": 1700000000, "status_code": "201", "custom_string": None}
    row.update(extra)
    return row


def history(*rows):
    return envelope({"total": len(rows), "per_page": 100, "current_page": 1, "last_page": 1, "data": list(rows)})


def reply(body="Yes!", message_id=REPLY_ID, original=MID, **extra):
    item = {
        "timestamp": 1700000042,
        "from": "+61411111111",
        "body": body,
        "original_body": "Isolate host? Reply YES or NO",
        "original_message_id": original,
        "to": "+61431111112",
        "custom_string": "",
        "message_id": message_id,
    }
    item.update(extra)
    return {"json": envelope(item)}


def calls(requests_mock):
    return [(r.method, r.url.replace(BASE_URL, "")) for r in requests_mock.request_history]


HISTORY_CALL = ("GET", f"/sms/history?q=message_id%3A{MID}")
REPLY_CALL = ("GET", f"/sms/inbound/{MID}")
OWN_CALL = ("GET", "/own-numbers?page_size=500")
LATER_CALL = ("GET", "/sms/history?q=to%3A%2B61411111111&date_from=1699999999&order_by=date%3Adesc&page=1&limit=100")
NO_OWN_NUMBERS = {"own_numbers": [], "_metadata": {"pagination": {"self": None, "next": None, "page_size": 500}}}


@pytest.fixture(autouse=True)
def own_numbers(requests_mock):
    """The account has no own numbers unless a test says otherwise."""
    return requests_mock.get(f"{BASE_URL}/own-numbers", json=NO_OWN_NUMBERS)


def world(requests_mock, rows=None, later=()):
    """SMS history: each message's row by its id (default: MID's sent_row()), and what a look-up by number finds after
    the send (the sent row itself, plus `later` rows)."""
    rows = {MID: sent_row()} if rows is None else rows
    by_id = {f"message_id:{key}".lower(): [row] for key, row in rows.items()}

    def answer(request, context):
        q = request.qs["q"][0]
        if q.startswith("to:"):
            return history(*later, *[row for row in rows.values() if row["to"] == q[3:]])
        return history(*by_id.get(q, []))

    requests_mock.get(HISTORY_URL, json=answer)


def summary(outcome="answered", answer="", waited=0, by="+61411111111", message=MID, superseded=""):
    replied = outcome in ("answered", "unexpected_reply")
    return {
        "outcome": outcome,
        "replied": replied,
        "answer": answer,
        "answered_by": by if replied else "",
        "answered_message_id": message if replied else "",
        "superseded_by": superseded,
        "waited_seconds": waited,
    }


def test_returns_at_the_first_reply_and_names_the_expected_answer_it_gives(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(REPLY_URL, [NOT_FOUND, NOT_FOUND, reply("Yes!")])
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 5, "expected_answers": "YES,NO"})
    assert run.result["status"] == "success", run.result["message"]
    # the later-message look-up is made at the first check, then once a minute
    assert calls(requests_mock) == [HISTORY_CALL, OWN_CALL, REPLY_CALL, LATER_CALL, REPLY_CALL, REPLY_CALL]
    assert clock.sleeps == [5.0, 10.0]  # checks at 0, 5 and 15 s
    assert run.result["data"] == [
        {
            "message_id": REPLY_ID,
            "from": "+61411111111",
            "to": "+61431111112",
            "body": "Yes!",
            "answer": "YES",  # the widget's Answer column
            "original_message_id": MID,
            "received_time": "2023-11-14T22:14:02Z",
        }
    ]
    assert run.result["summary"] == summary(answer="YES", waited=15)
    assert run.result["message"] == f"Reply to message {MID} from +61411111111 after 15 s: 'Yes!'; it is the expected answer YES"


def test_no_reply_in_time_is_a_success_with_replied_false_and_says_how_long_it_waited(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 1, "expected_answers": "YES"})
    assert run.result["status"] == "success", run.result["message"]
    assert clock.sleeps == [5.0, 10.0, 15.0, 15.0, 15.0]  # the last check is made when the minute is up, none after
    assert calls(requests_mock) == [HISTORY_CALL, OWN_CALL, REPLY_CALL, LATER_CALL] + [REPLY_CALL] * 4 + [REPLY_CALL, LATER_CALL]
    assert run.result["data"] == []
    assert run.result["summary"] == summary("no_reply", waited=60)
    assert run.result["message"] == f"No reply to message {MID} within 1 minute (waited 1 min, 6 checks)"


def test_a_wait_of_an_hour_stays_within_the_hour_and_bounded_in_requests(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 60})
    assert run.result["status"] == "success", run.result["message"]
    assert sum(clock.sleeps) == 3600 and clock.elapsed == 3600
    # 242 checks (0, 5, 15 s, then every 15 s up to 3600 s) and a later-message look-up at most once a minute
    assert calls(requests_mock).count(REPLY_CALL) == 242
    assert calls(requests_mock).count(LATER_CALL) == 61
    assert run.result["summary"]["waited_seconds"] == 3600


def test_the_default_timeout_is_5_minutes(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID})
    assert clock.elapsed == 300
    assert run.result["message"].startswith(f"No reply to message {MID} within 5 minutes (waited 5 min, ")


@pytest.mark.parametrize(
    ("body", "answers", "answer"),
    [
        ("YES", ["YES", "NO"], "YES"),
        ("yes", ["YES", "NO"], "YES"),
        ("Yes!", ["YES", "NO"], "YES"),
        ("'yes'", ["YES", "NO"], "YES"),
        ("  no. not now", ["YES", "NO"], "NO"),
        ("- No", ["YES", "NO"], "NO"),
        ("¡Sí!", ["sí", "no"], "sí"),
        ("YES👍", ["YES"], "YES"),
        ("Yesterday", ["YES"], ""),
        ("maybe yes", ["YES", "NO"], ""),
        ("", ["YES"], ""),
        ("!!!", ["YES"], ""),
        ("YES", [], ""),
    ],
)
def test_the_answer_is_the_expected_one_the_first_word_is(body, answers, answer):
    assert twoway.matching_answer(body, answers) == answer



def test_a_reply_that_is_no_expected_answer_ends_the_wait_as_an_unexpected_reply(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(REPLY_URL, [reply("Who is this?")])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "yes, no"})
    assert run.result["summary"] == summary("unexpected_reply")
    assert [item["answer"] for item in run.result["data"]] == [""]
    assert run.result["message"].endswith("'Who is this?'; it is none of the expected answers (yes, no)")


def test_without_expected_answers_any_reply_is_the_answer_and_answer_is_empty(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(REPLY_URL, [reply("OK\ndone")])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["summary"] == summary("answered")
    assert run.result["message"] == f"Reply to message {MID} from +61411111111 after 0 s: 'OK done'"


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({}, "Parameter 'message_id': is required"),
        ({"message_id": "a/b"}, "Parameter 'message_id': 'a/b' is not a ClickSend message id"),
        ({"message_id": f"{MID}, a/b"}, "Parameter 'message_id': 'a/b' is not a ClickSend message id"),
        ({"message_id": " , ,"}, "Parameter 'message_id': gives no message id"),
        ({"message_id": ",".join(f"{n:08d}-AAAA" for n in range(21))}, "Parameter 'message_id': gives 21 message ids; at most 20"),
        ({"message_id": MID, "timeout_minutes": 0}, "Parameter 'timeout_minutes': must be at least 1, not 0"),
        ({"message_id": MID, "timeout_minutes": 61}, "Parameter 'timeout_minutes': must be at most 60, not 61"),
        ({"message_id": MID, "timeout_minutes": 2.5}, "Parameter 'timeout_minutes': must be a whole number"),
        ({"message_id": MID, "expected_answers": "YES,NOT NOW"}, "Parameter 'expected_answers': 'NOT NOW' is more than one word"),
        ({"message_id": MID, "expected_answers": ",".join(f"A{n}" for n in range(21))}, "Parameter 'expected_answers': gives 21 answers"),
    ],
)
def test_bad_parameters_fail_before_any_request(run, requests_mock, clock, params, reason):
    run("wait_for_reply", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(reason)
    assert requests_mock.call_count == 0 and clock.sleeps == []


def test_an_id_clicksend_does_not_know_fails_after_the_history_lag_allowance(run, requests_mock, clock):
    world(requests_mock, rows={})
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        f"ClickSend's SMS history has no message with id {MID} (it keeps about 4 months of SMS; MMS and voice messages are "
        "not in it) (looked 13 times over 1 min)"
    )
    assert calls(requests_mock) == [HISTORY_CALL] * 13 and clock.sleeps == [5.0] * 12  # no reply is asked for


def test_a_message_history_lists_late_is_waited_for_and_the_time_counts_from_the_start(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, [{"json": history()}, {"json": history()}, {"json": history(sent_row())}])
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 1})
    assert run.result["status"] == "success", run.result["message"]
    assert clock.elapsed == 60  # 10 s finding the message, 50 s waiting for its reply: one minute in all
    assert calls(requests_mock)[:5] == [HISTORY_CALL] * 3 + [OWN_CALL, REPLY_CALL]
    assert run.result["summary"]["waited_seconds"] == 60


def test_a_message_from_an_alpha_tag_cannot_be_answered_so_the_wait_fails(run, requests_mock, clock):
    world(requests_mock, rows={MID: sent_row(**{"from": "SOCTeam"})})
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert "was sent from the alpha tag 'SOCTeam', which recipients cannot reply to" in run.result["message"]
    assert clock.sleeps == []


def test_a_message_from_an_own_number_cannot_be_answered_through_clicksend_so_the_wait_fails_at_once(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(
        f"{BASE_URL}/own-numbers",
        [
            {"json": {"own_numbers": [{"phone_number": "+61400000001"}], "_metadata": {"pagination": {"next": "/v3/own-numbers?offset=a%23b"}}}},
            {"json": {"own_numbers": [{"phone_number": "+61431111112"}], "_metadata": {"pagination": {"next": None}}}},
        ],
    )
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        f"Message {MID} was sent from +61431111112, one of the account's own numbers: replies to it go straight to that phone, "
        "never to ClickSend, so no reply can be waited for; send from a dedicated number (from, or the asset's default_from) to "
        "get replies through ClickSend"
    )
    assert clock.sleeps == [] and REPLY_CALL not in calls(requests_mock)


def test_own_numbers_that_cannot_be_read_do_not_stop_the_wait(run, requests_mock, clock, own_numbers):
    world(requests_mock)
    requests_mock.get(f"{BASE_URL}/own-numbers", status_code=403, json={"message": "Forbidden"})
    requests_mock.get(REPLY_URL, [reply("YES")])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["summary"]["outcome"] == "answered", run.result["message"]


def test_an_unusable_asset_fails(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, status_code=401, json=envelope(None, "Invalid credentials.", "UNAUTHORIZED", 401))
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend refused GET sms/history with HTTP 401 UNAUTHORIZED")


def test_the_first_check_failing_fails_the_action(run, requests_mock, clock):
    world(requests_mock)
    requests_mock.get(REPLY_URL, status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"ClickSend refused GET sms/inbound/{MID} with HTTP 403")


def test_a_check_failing_later_is_noted_and_the_wait_goes_on(run, requests_mock, clock):
    error = {"status_code": 500, "json": envelope(None, "Oops.", "INTERNAL_SERVER_ERROR", 500)}
    world(requests_mock)
    requests_mock.get(REPLY_URL, [NOT_FOUND, error, error, reply("no")])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "YES,NO"})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == summary(answer="NO", waited=30)


def test_three_failed_checks_in_a_row_end_the_wait_as_failed(run, requests_mock, clock):
    error = {"status_code": 500, "json": envelope(None, "Oops.", "INTERNAL_SERVER_ERROR", 500)}
    world(requests_mock)
    requests_mock.get(REPLY_URL, [NOT_FOUND, error, error, error, reply()])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].endswith("(the wait stopped after 3 failed checks in a row, 30 s in)")


def test_a_cancelled_run_stops_at_its_next_check(run, requests_mock, clock, monkeypatch):
    world(requests_mock)
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    monkeypatch.setattr(ClickSendConnector, "is_action_cancelled", lambda self: clock.elapsed >= 15, raising=False)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 10})
    assert run.result["status"] == "failed"  # not "no reply": a playbook branching on replied=false must not go on
    assert clock.sleeps == [5.0, 10.0]
    assert run.result["message"] == "The wait was cancelled after 15 s, before anything was found"


def test_the_wait_reads_and_writes_nothing_in_the_state_file(run, requests_mock, clock, platform):
    platform.write_state("1", APPID, {clicksend_marker.STATE_KEY: SECRET, "app_version": MANIFEST["app_version"]})
    state = pathlib.Path(platform.state_path("1", APPID))
    before = state.read_bytes()
    world(requests_mock)
    requests_mock.get(REPLY_URL, [NOT_FOUND, reply()])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    assert state.read_bytes() == before


# --- a reply counts only for the message ClickSend filed it under ---------------------------------------------------


@pytest.mark.parametrize(
    "foreign",
    [
        {"original_message_id": SIBLING},  # ClickSend filed it under another message
        {"from": "+61499999999"},  # another phone answered (a copied question or marker)
        {"from": None},
        {"timestamp": 1699999999},  # dated before the message was sent
    ],
    ids=["other message", "other number", "no number", "earlier"],
)
def test_a_reply_that_is_not_this_messages_own_does_not_count(run, requests_mock, clock, foreign):
    world(requests_mock)
    requests_mock.get(REPLY_URL, [reply("YES", **foreign)] * 2 + [reply("NO")])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "YES,NO"})
    assert run.result["summary"] == summary(answer="NO", waited=15)  # the third check's reply, from the number asked
    assert [item["body"] for item in run.result["data"]] == ["NO"]
    debug = "\n".join(run.platform.debug_log)
    assert "does not count" in debug and "+614" not in debug and "61411111111" not in debug  # no phone number is logged


def test_a_later_message_to_the_same_number_from_the_same_sender_supersedes_the_question_at_once(run, requests_mock, clock):
    """Q1 "reset password?" then Q2 "wipe laptop?" to the same person: ClickSend files the answer under Q2, so a wait on
    Q1 must never take it; it ends at once, not replied, and names Q2."""
    later = sent_row(message_id=SIBLING, date=1700000100)
    world(requests_mock, later=[later])
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    requests_mock.get(f"{BASE_URL}/sms/inbound/{SIBLING}", [reply("YES", original=SIBLING)])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "YES,NO", "timeout_minutes": 10})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == summary("superseded", superseded=SIBLING)
    assert clock.sleeps == [] and run.result["data"] == []
    assert run.result["message"] == (
        f"Message {MID} was superseded by the later message {SIBLING} to +61411111111 from the same sender (ClickSend files "
        "a reply under the latest message sent to a number, so no reply can answer the earlier one any more: ask again if "
        "it still needs an answer)"
    )
    assert f"/sms/inbound/{SIBLING}" not in [url for _method, url in calls(requests_mock)]


@pytest.mark.parametrize(
    "row",
    [
        {"from": "+61431111199"},  # another sender: its replies are filed apart
        {"status": "Scheduled"},  # not sent yet
        {"status": "Cancelled"},
        {"direction": "in"},
        {"to": "+61411111119"},
        {"date": 1699999990},
    ],
    ids=["other sender", "scheduled", "cancelled", "inbound", "other number", "earlier"],
)
def test_messages_that_take_no_reply_from_this_number_do_not_supersede(run, requests_mock, clock, row):
    world(requests_mock, later=[sent_row(**{"message_id": SIBLING, "date": 1700000100, **row})])
    requests_mock.get(REPLY_URL, [NOT_FOUND, reply("YES")])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "YES"})
    assert run.result["summary"]["outcome"] == "answered", run.result["message"]


def test_a_message_sent_in_the_same_second_counts_as_later(run, requests_mock, clock):
    world(requests_mock, later=[sent_row(message_id=SIBLING)])
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID})
    assert run.result["summary"]["outcome"] == "superseded"


def test_a_reply_filed_before_the_later_message_still_answers(run, requests_mock, clock):
    world(requests_mock, later=[sent_row(message_id=SIBLING, date=1700000100)])
    requests_mock.get(REPLY_URL, [reply("NO")])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "YES,NO"})
    assert run.result["summary"] == summary(answer="NO")


# --- several questions ---------------------------------------------------------------------------------------------

SECOND = "3EF43A1C-C38C-6308-BE4B-C7C51D01DCF2"
SECOND_URL = f"{BASE_URL}/sms/inbound/{SECOND}"


def two_approvers(requests_mock):
    world(requests_mock, rows={MID: sent_row(), SECOND: sent_row(message_id=SECOND, to="+61422222222")})


def test_the_first_expected_answer_to_any_message_ends_the_wait(run, requests_mock, clock):
    two_approvers(requests_mock)
    requests_mock.get(REPLY_URL, [NOT_FOUND, reply("maybe")])
    requests_mock.get(SECOND_URL, [NOT_FOUND, NOT_FOUND, reply("no", original=SECOND, **{"from": "+61422222222"})])
    run("wait_for_reply", {"message_id": f"{MID}, {SECOND}", "expected_answers": "YES,NO"})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == summary(answer="NO", waited=15, by="+61422222222", message=SECOND)
    assert [item["body"] for item in run.result["data"]] == ["maybe", "no"]
    assert run.result["message"] == (
        f"Reply to message {SECOND} from +61422222222 after 15 s: 'no'; it is the expected answer NO; 1 other reply gave no "
        "expected answer"
    )
    assert calls(requests_mock).count(REPLY_CALL) == 2  # a message that got its reply is asked about no more


def test_several_messages_without_an_expected_answer_end_as_an_unexpected_reply(run, requests_mock, clock):
    two_approvers(requests_mock)
    requests_mock.get(REPLY_URL, [reply("maybe")])
    requests_mock.get(SECOND_URL, [reply("later", original=SECOND, **{"from": "+61422222222"})])
    run("wait_for_reply", {"message_id": f"{MID},{SECOND},{MID.lower()}", "expected_answers": "YES,NO"})
    assert run.result["summary"] == summary("unexpected_reply")
    assert clock.sleeps == []  # every message has its reply: nothing more can come


def test_several_messages_with_no_reply_name_them_all(run, requests_mock, clock):
    two_approvers(requests_mock)
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    requests_mock.get(SECOND_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": f"{MID},{SECOND}", "timeout_minutes": 1})
    assert run.result["summary"] == summary("no_reply", waited=60)
    assert run.result["message"] == f"No reply to messages {MID}, {SECOND} within 1 minute (waited 1 min, 6 checks)"

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


def test_returns_at_the_first_reply_and_names_the_expected_answer_it_gives(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, [NOT_FOUND, NOT_FOUND, reply("Yes!")])
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 5, "expected_answers": "YES,NO"})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [HISTORY_CALL, REPLY_CALL, REPLY_CALL, REPLY_CALL]
    assert clock.sleeps == [5.0, 10.0]  # checks at 0, 5 and 15 s
    assert run.result["data"] == [
        {
            "message_id": REPLY_ID,
            "from": "+61411111111",
            "to": "+61431111112",
            "body": "Yes!",
            "original_message_id": MID,
            "received_time": "2023-11-14T22:14:02Z",
        }
    ]
    assert run.result["summary"] == {"replied": True, "answer": "YES", "waited_seconds": 15}
    assert run.result["message"] == f"Reply to message {MID} from +61411111111 after 15 s: 'Yes!'; it is the expected answer YES"


def test_no_reply_in_time_is_a_success_with_replied_false_and_says_how_long_it_waited(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 1, "expected_answers": "YES"})
    assert run.result["status"] == "success", run.result["message"]
    assert clock.sleeps == [5.0, 10.0, 15.0, 15.0, 15.0]  # the last check is made when the minute is up, none after
    assert calls(requests_mock) == [HISTORY_CALL] + [REPLY_CALL] * 6
    assert run.result["data"] == []
    assert run.result["summary"] == {"replied": False, "answer": "", "waited_seconds": 60}
    assert run.result["message"] == f"No reply to message {MID} within 1 minute (waited 1 min, 6 checks)"


def test_a_wait_of_an_hour_stays_within_the_hour_and_bounded_in_requests(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 60})
    assert run.result["status"] == "success", run.result["message"]
    assert sum(clock.sleeps) == 3600 and clock.elapsed == 3600
    assert requests_mock.call_count == 1 + 242  # 0, 5, 15 s, then every 15 s up to 3600 s
    assert run.result["summary"]["waited_seconds"] == 3600


def test_the_default_timeout_is_5_minutes(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
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


def test_a_reply_that_is_no_expected_answer_is_still_a_reply(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, [reply("Who is this?")])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "yes, no"})
    assert run.result["summary"] == {"replied": True, "answer": "", "waited_seconds": 0}
    assert run.result["message"].endswith("'Who is this?'; it is none of the expected answers (yes, no)")


def test_without_expected_answers_the_reply_is_reported_and_answer_is_empty(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, [reply("OK\ndone")])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["summary"]["answer"] == ""
    assert run.result["message"] == f"Reply to message {MID} from +61411111111 after 0 s: 'OK done'"


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({}, "Parameter 'message_id': is required"),
        ({"message_id": "a/b"}, "Parameter 'message_id': 'a/b' is not a ClickSend message id"),
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
    requests_mock.get(HISTORY_URL, json=history())
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
    assert calls(requests_mock)[:4] == [HISTORY_CALL] * 3 + [REPLY_CALL]
    assert run.result["summary"]["waited_seconds"] == 60


def test_a_message_from_an_alpha_tag_cannot_be_answered_so_the_wait_fails(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row(**{"from": "SOCTeam"})))
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert "was sent from the alpha tag 'SOCTeam', which recipients cannot reply to" in run.result["message"]
    assert clock.sleeps == []


def test_an_unusable_asset_fails(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, status_code=401, json=envelope(None, "Invalid credentials.", "UNAUTHORIZED", 401))
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend refused GET sms/history with HTTP 401 UNAUTHORIZED")


def test_the_first_check_failing_fails_the_action(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"ClickSend refused GET sms/inbound/{MID} with HTTP 403")


def test_a_check_failing_later_is_noted_and_the_wait_goes_on(run, requests_mock, clock):
    error = {"status_code": 500, "json": envelope(None, "Oops.", "INTERNAL_SERVER_ERROR", 500)}
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, [NOT_FOUND, error, error, reply("no")])
    run("wait_for_reply", {"message_id": MID, "expected_answers": "YES,NO"})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == {"replied": True, "answer": "NO", "waited_seconds": 30}


def test_three_failed_checks_in_a_row_end_the_wait_as_failed(run, requests_mock, clock):
    error = {"status_code": 500, "json": envelope(None, "Oops.", "INTERNAL_SERVER_ERROR", 500)}
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, [NOT_FOUND, error, error, error, reply()])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].endswith("(the wait stopped after 3 failed checks in a row, 30 s in)")


def test_a_cancelled_run_stops_at_its_next_check(run, requests_mock, clock, monkeypatch):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    monkeypatch.setattr(ClickSendConnector, "is_action_cancelled", lambda self: clock.elapsed >= 15, raising=False)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 10})
    assert run.result["status"] == "failed"  # not "no reply": a playbook branching on replied=false must not go on
    assert clock.sleeps == [5.0, 10.0]
    assert run.result["message"] == "The wait was cancelled after 15 s, before anything was found"


def test_a_reply_that_names_another_original_message_is_not_this_ones(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, [reply(original=SIBLING), reply()])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["summary"]["waited_seconds"] == 5


def test_the_wait_writes_nothing_to_the_state_file(run, requests_mock, clock, platform):
    platform.write_state("1", APPID, {clicksend_marker.STATE_KEY: SECRET, "app_version": MANIFEST["app_version"]})
    state = pathlib.Path(platform.state_path("1", APPID))
    before = state.read_bytes()
    requests_mock.get(HISTORY_URL, json=history(sent_row()))
    requests_mock.get(REPLY_URL, [NOT_FOUND, reply()])
    run("wait_for_reply", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    assert state.read_bytes() == before


# --- replies tied by the thread marker ---------------------------------------------------------------------------


def marker(container_id=42):
    return clicksend_marker.make(SECRET, "1", container_id)


def marked_world(requests_mock, platform, sibling_reply):
    """Message MID went from container 42 to +61411111111; a later message of the container (SIBLING) got the answer."""
    platform.write_state("1", APPID, {clicksend_marker.STATE_KEY: SECRET})
    rows = {
        f"message_id:{MID}".lower(): [sent_row(custom_string=marker())],
        "to:+61411111111": [
            {"message_id": SIBLING, "to": "+61411111111", "date": 1700000100, "custom_string": marker()},
            {"message_id": "3EF43A1C-C38C-6308-BE4B-C7C51D01DCF2", "to": "+61411111111", "date": 1700000050, "custom_string": "mine"},
            sent_row(custom_string=marker()),
        ],
    }
    requests_mock.get(HISTORY_URL, json=lambda request, context: history(*rows[request.qs["q"][0]]))
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    requests_mock.get(f"{BASE_URL}/sms/inbound/{SIBLING}", [NOT_FOUND, sibling_reply])


def test_a_reply_filed_under_a_later_message_of_the_container_counts_by_its_marker(run, requests_mock, clock, platform):
    marked_world(requests_mock, platform, reply("YES", original=SIBLING, custom_string=marker()))
    run("wait_for_reply", {"message_id": MID, "expected_answers": "YES"})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == {"replied": True, "answer": "YES", "waited_seconds": 5}
    assert run.result["data"][0]["original_message_id"] == SIBLING
    # the reply may answer the later question: the message says where ClickSend filed it
    assert f"(ClickSend filed it under the later message {SIBLING} this container sent to the same number)" in run.result["message"]
    siblings = ("GET", "/sms/history?q=to%3a%2b61411111111&date_from=1700000000&order_by=date%3adesc&page=1&limit=100")
    sibling_reply = ("GET", f"/sms/inbound/{SIBLING}")
    assert [(m, u.lower()) for m, u in calls(requests_mock)] == [
        (HISTORY_CALL[0], HISTORY_CALL[1].lower()),
        (REPLY_CALL[0], REPLY_CALL[1].lower()),
        siblings,
        (sibling_reply[0], sibling_reply[1].lower()),
        (REPLY_CALL[0], REPLY_CALL[1].lower()),  # 5 s later: the siblings are looked up again only once a minute
        (sibling_reply[0], sibling_reply[1].lower()),
    ]


@pytest.mark.parametrize(
    "foreign",
    [
        {"from": "+61499999999"},  # someone else answered the later message
        {"custom_string": "soar:42:" + "0" * 20},  # a forged marker
        {"custom_string": ""},
        {"timestamp": 1699999999},  # came before the message was sent
    ],
    ids=["other number", "forged marker", "no marker", "earlier"],
)
def test_a_reply_to_a_later_message_that_does_not_carry_the_marker_from_the_number_asked_does_not_count(
    run, requests_mock, clock, platform, foreign
):
    marked_world(requests_mock, platform, reply("YES", original=SIBLING, **{"custom_string": marker(), **foreign}))
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 1})
    assert run.result["summary"]["replied"] is False


def test_without_a_marker_no_later_messages_are_looked_up(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, json=history(sent_row(custom_string="ticket-9")))
    requests_mock.get(REPLY_URL, **NOT_FOUND)
    run("wait_for_reply", {"message_id": MID, "timeout_minutes": 1})
    assert calls(requests_mock) == [HISTORY_CALL] + [REPLY_CALL] * 6

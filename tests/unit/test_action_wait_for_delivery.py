"""wait for delivery: one SMS-history read per check, at 0, 5, 15, 35 s and then every 30 s (on a fake clock), until the
status is final or the time is up."""

import pytest

from tests import fake_clock
from tests.conftest import BASE_URL, envelope


MID = "1EF43A1C-C38C-6308-BE4B-C7C51D01DCF0"
HISTORY_URL = f"{BASE_URL}/sms/history"


@pytest.fixture
def clock(monkeypatch):
    return fake_clock.install(monkeypatch)


def status(status_word="Queued", code="200", text="Queued for delivery."):
    row = {
        "message_id": MID,
        "to": "+61411111111",
        "from": "+61431111112",
        "date": 1700000000,
        "status": status_word,
        "status_code": code,
        "status_text": text,
        "custom_string": None,
    }
    return {"json": envelope({"total": 1, "per_page": 100, "current_page": 1, "last_page": 1, "data": [row]})}


NOTHING = {"json": envelope({"total": 0, "per_page": 100, "current_page": 1, "last_page": 1, "data": []})}
DELIVERED = status("Sent", "201", "Success: Message received on handset.")


def test_returns_once_the_message_is_delivered(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, [status(), status(), DELIVERED])
    run("wait_for_delivery", {"message_id": MID, "timeout_minutes": 5})
    assert run.result["status"] == "success", run.result["message"]
    lookup = ("GET", "/v3/sms/history", {"q": [f"message_id:{MID}".lower()]})
    assert [(r.method, r.path, r.qs) for r in requests_mock.request_history] == [lookup] * 3
    assert clock.sleeps == [5.0, 10.0]
    assert run.result["data"] == [
        {
            "message_id": MID,
            "status": "Sent",
            "status_code": "201",
            "status_text": "Success: Message received on handset.",
            "to": "+61411111111",
            "from": "+61431111112",
            "date": 1700000000,
            "is_final": True,
        }
    ]
    assert run.result["summary"] == {"status": "Sent", "status_code": "201", "is_final": True, "delivered": True, "waited_seconds": 15}
    assert run.result["message"] == f"Message {MID} was delivered (201: Success: Message received on handset) after 15 s"


def test_a_permanent_failure_is_final_not_delivered_and_still_a_success(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, [status(), status("Failed", "301", "Failed: unknown subscriber.")])
    run("wait_for_delivery", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == {"status": "Failed", "status_code": "301", "is_final": True, "delivered": False, "waited_seconds": 5}
    assert run.result["message"] == f"Message {MID} failed for good: Failed (301: Failed: unknown subscriber), after 5 s"


@pytest.mark.parametrize("code", ["300", "302", "200"])
def test_temporary_states_are_waited_through(run, requests_mock, clock, code):
    requests_mock.get(HISTORY_URL, [status("Failed" if code != "200" else "Queued", code), DELIVERED])
    run("wait_for_delivery", {"message_id": MID})
    assert run.result["summary"]["delivered"] is True


def test_no_final_status_in_time_is_a_success_with_is_final_false(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, **status())
    run("wait_for_delivery", {"message_id": MID, "timeout_minutes": 1})
    assert run.result["status"] == "success", run.result["message"]
    assert clock.sleeps == [5.0, 10.0, 20.0, 25.0]  # checks at 0, 5, 15, 35 and 60 s
    assert requests_mock.call_count == 5
    assert run.result["summary"] == {"status": "Queued", "status_code": "200", "is_final": False, "delivered": False, "waited_seconds": 60}
    assert run.result["message"] == (
        f"Message {MID} is still Queued (200: Queued for delivery): no final status within 1 minute (waited 1 min, 5 checks); "
        "this status may still change"
    )


def test_an_hour_is_at_most_about_125_requests(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, **status())
    run("wait_for_delivery", {"message_id": MID, "timeout_minutes": 60})
    assert clock.elapsed == 3600
    assert requests_mock.call_count == 4 + (3600 - 35) // 30 + 1


def test_an_unknown_id_fails_after_the_history_lag_allowance(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, **NOTHING)
    run("wait_for_delivery", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"ClickSend's SMS history has no message with id {MID}")
    assert run.result["message"].endswith("(looked 13 times over 1 min)")  # every 5 s for a minute, as wait for reply
    assert clock.sleeps == [5.0] * 12 and requests_mock.call_count == 13


def test_an_unknown_id_in_a_one_minute_wait_fails_when_the_minute_is_up(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, **NOTHING)
    run("wait_for_delivery", {"message_id": MID, "timeout_minutes": 1})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"ClickSend's SMS history has no message with id {MID}")
    assert clock.elapsed == 60


def test_a_message_history_lists_late_is_followed_to_its_delivery(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, [NOTHING, NOTHING, DELIVERED])
    run("wait_for_delivery", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"]["delivered"] is True and clock.sleeps == [5.0, 5.0]


def test_a_history_read_that_misses_the_message_later_is_waited_through(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, [status(), NOTHING, DELIVERED])
    run("wait_for_delivery", {"message_id": MID})
    assert run.result["summary"]["delivered"] is True


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({}, "Parameter 'message_id': is required"),
        ({"message_id": "x y"}, "Parameter 'message_id': 'x y' is not a ClickSend message id"),
        ({"message_id": MID, "timeout_minutes": 0}, "Parameter 'timeout_minutes': must be at least 1"),
        ({"message_id": MID, "timeout_minutes": "soon"}, "Parameter 'timeout_minutes': must be a whole number"),
    ],
)
def test_bad_parameters_fail_before_any_request(run, requests_mock, clock, params, reason):
    run("wait_for_delivery", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(reason)
    assert requests_mock.call_count == 0


def test_an_unusable_asset_fails(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, status_code=403, json=envelope(None, "Your account is not activated.", "FORBIDDEN", 403))
    run("wait_for_delivery", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend refused GET sms/history with HTTP 403 FORBIDDEN")


def test_a_cancelled_wait_fails_and_keeps_the_last_status_it_read(run, requests_mock, clock, monkeypatch):
    from clicksend_connector import ClickSendConnector

    requests_mock.get(HISTORY_URL, **status())
    monkeypatch.setattr(ClickSendConnector, "is_action_cancelled", lambda self: clock.elapsed >= 15, raising=False)
    run("wait_for_delivery", {"message_id": MID, "timeout_minutes": 10})
    assert run.result["status"] == "failed"  # not "no final status": a playbook must not branch on it
    assert run.result["message"] == "The wait was cancelled after 15 s, before a final status; the last status read was Queued (200)"
    assert [item["status_code"] for item in run.result["data"]] == ["200"]


def test_a_message_cancelled_after_review_ends_the_wait_at_once_as_failed_for_good(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, [status(), status("CancelledAfterReview", None, "Cancelled by ClickSend staff")])
    run("wait_for_delivery", {"message_id": MID, "timeout_minutes": 5})
    assert run.result["summary"] == {
        "status": "CancelledAfterReview", "status_code": None, "is_final": True, "delivered": False, "waited_seconds": 5
    }
    assert run.result["message"] == f"Message {MID} failed for good: CancelledAfterReview (Cancelled by ClickSend staff), after 5 s"


def test_completed_without_a_code_is_waited_through(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, [status("Completed", None, None), DELIVERED])
    run("wait_for_delivery", {"message_id": MID})
    assert run.result["summary"]["delivered"] is True and run.result["summary"]["waited_seconds"] == 5


def test_code_300_is_waited_through_and_the_message_says_which_reading_it_follows(run, requests_mock, clock):
    requests_mock.get(HISTORY_URL, **status("Failed", "300", "Temporary network error"))
    run("wait_for_delivery", {"message_id": MID, "timeout_minutes": 1})
    assert run.result["summary"]["is_final"] is False and run.result["summary"]["waited_seconds"] == 60
    assert run.result["message"].endswith(
        "this status may still change (ClickSend's sources disagree on status code 300 (a permanent failure, or a temporary "
        "network error that ClickSend retries): the app follows ClickSend's help centre and reads it as temporary)"
    )

"""get message status: one GET sms/history filtered by message id; is_final per the contract."""

import pytest

from tests.conftest import BASE_URL, envelope


HISTORY_URL = f"{BASE_URL}/sms/history"
MID = "1EF11A95-31A2-6B70-A3E2-750B2DF4583F"


def row(status="Sent", status_code="201", status_text="Success: Message received on handset.", **extra):
    item = {
        "direction": "out",
        "date": 1715660441,
        "to": "+61411111111",
        "body": "Alert 123",
        "status": status,
        "from": "+61447254068",
        "schedule": "1715660441",
        "status_code": status_code,
        "status_text": status_text,
        "error_code": None,
        "error_text": None,
        "message_id": MID,
        "message_parts": 1,
        "message_price": "0.0792",
        "custom_string": "soar:container:1",
        "_api_username": "soc-team@example.com",
    }
    item.update(extra)
    return item


def page(*rows):
    return envelope({"total": len(rows), "per_page": 15, "current_page": 1, "last_page": 1, "next_page_url": None, "data": list(rows)})


def test_reads_one_filtered_history_page_and_reports_a_final_status(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=page(row()))
    run("get_message_status", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert request.method == "GET"
    assert request.path == "/v3/sms/history"
    assert request.qs == {"q": [f"message_id:{MID}".lower()]}
    assert run.result["data"] == [
        {
            "message_id": MID,
            "status": "Sent",
            "status_code": "201",
            "status_text": "Success: Message received on handset.",
            "to": "+61411111111",
            "from": "+61447254068",
            "date": 1715660441,
            "is_final": True,
        }
    ]
    assert run.result["summary"] == {"status": "Sent", "status_code": "201", "is_final": True, "delivered": True}
    assert run.result["message"] == f"Message {MID} is Sent (201: Success: Message received on handset); this status is final"


@pytest.mark.parametrize(
    ("status", "code", "final"),
    [
        ("Queued", "200", False),
        ("Scheduled", 200, False),
        ("WaitApproval", "200", False),
        ("Failed", "300", False),
        ("Failed", "302", False),
        ("Failed", "301", True),
        ("Cancelled", "301", True),
        ("Sent", 201, True),
        ("Queued", None, False),
    ],
)
def test_is_final_only_for_201_and_301(run, requests_mock, status, code, final):
    requests_mock.get(HISTORY_URL, json=page(row(status, code, None)))
    run("get_message_status", {"message_id": MID})
    item = run.result["data"][0]
    assert item["is_final"] is final
    assert item["status_code"] == (None if code is None else str(code))
    summary = run.result["summary"]
    assert (summary["status_code"], summary["is_final"]) == (item["status_code"], final)
    assert summary["delivered"] is (str(code) == "201")  # failed for good is final too, but not delivered


def test_string_dates_and_a_bare_list_answer_are_read(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=envelope([row(date="1715660441", message_id=MID.lower())]))
    run("get_message_status", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["data"][0]["date"] == 1715660441


def test_an_unknown_id_fails_naming_it(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=page())
    run("get_message_status", {"message_id": "ABC-123"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "ClickSend's SMS history has no message with id ABC-123 (it keeps about 4 months of SMS; MMS and voice messages are not in it)"
    )


def test_a_row_for_another_id_is_not_taken(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=page(row(message_id="OTHER-ID")))
    run("get_message_status", {"message_id": MID})
    assert run.result["status"] == "failed"


@pytest.mark.parametrize(
    ("value", "needle"), [(None, "is required"), ("", "is required"), ("a:b", "is not a ClickSend message id"), ("x,y", "is not")]
)
def test_bad_id_fails_before_any_request(run, requests_mock, value, needle):
    run("get_message_status", {} if value is None else {"message_id": value})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"Parameter 'message_id': {needle}") or needle in run.result["message"]
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("code", [None, ""])
def test_a_message_cancelled_after_review_has_no_code_and_is_final_not_delivered(run, requests_mock, code):
    requests_mock.get(HISTORY_URL, json=page(row("CancelledAfterReview", code, "Cancelled by ClickSend staff")))
    run("get_message_status", {"message_id": MID})
    assert run.result["summary"] == {"status": "CancelledAfterReview", "status_code": None, "is_final": True, "delivered": False}
    assert run.result["message"] == f"Message {MID} is CancelledAfterReview (Cancelled by ClickSend staff); this status is final"


def test_completed_without_a_code_is_queued_for_delivery_and_not_final(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=page(row("Completed", None, None)))
    run("get_message_status", {"message_id": MID})
    assert run.result["summary"]["is_final"] is False
    assert run.result["message"] == f"Message {MID} is Completed; this status may still change"


def test_code_300_is_read_as_temporary_and_the_message_says_the_sources_disagree(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=page(row("Failed", "300", "Temporary network error")))
    run("get_message_status", {"message_id": MID})
    assert run.result["summary"]["is_final"] is False
    assert run.result["message"] == (
        f"Message {MID} is Failed (300: Temporary network error); this status may still change (ClickSend's sources disagree "
        "on status code 300 (a permanent failure, or a temporary network error that ClickSend retries): the app follows "
        "ClickSend's help centre and reads it as temporary)"
    )

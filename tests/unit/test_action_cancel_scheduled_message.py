"""cancel scheduled message: PUT sms/{id}/cancel; ClickSend's refusal is the failure."""

from tests.conftest import BASE_URL, envelope


MID = "1EF11A95-31A2-6B70-A3E2-750B2DF4583F"
CANCEL_URL = f"{BASE_URL}/sms/{MID}/cancel"
VOICE_CANCEL_URL = f"{BASE_URL}/voice/{MID}/cancel"


def test_cancels_with_one_put_and_no_body(run, requests_mock):
    requests_mock.put(CANCEL_URL, json=envelope(None, "Scheduled sms message has been cancelled."))
    run("cancel_scheduled_message", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert (request.method, request.url, request.body) == ("PUT", CANCEL_URL, None)
    assert run.result["data"] == [
        {"message_id": MID, "message_type": "sms", "response_code": "SUCCESS", "response_msg": "Scheduled sms message has been cancelled."}
    ]
    assert run.result["summary"] == {"message_id": MID, "cancelled": True, "message_type": "sms"}
    assert run.result["message"] == f"Cancelled scheduled SMS {MID}: ClickSend says Scheduled sms message has been cancelled"


def test_an_id_clicksend_does_not_know_as_an_sms_is_cancelled_as_a_voice_message(run, requests_mock):
    requests_mock.put(CANCEL_URL, status_code=404, json=envelope(None, "Not found.", "NOT_FOUND", 404))
    requests_mock.put(VOICE_CANCEL_URL, json=envelope(None, "Voice message has been cancelled."))
    run("cancel_scheduled_message", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    assert [(r.method, r.url) for r in requests_mock.request_history] == [("PUT", CANCEL_URL), ("PUT", VOICE_CANCEL_URL)]
    assert run.result["summary"]["message_type"] == "voice"
    assert run.result["message"] == f"Cancelled scheduled voice message {MID}: ClickSend says Voice message has been cancelled"


def test_a_message_no_longer_scheduled_fails_with_clicksends_answer(run, requests_mock):
    requests_mock.put(CANCEL_URL, status_code=400, json=envelope(None, "Message is not scheduled.", "BAD_REQUEST", 400))
    run("cancel_scheduled_message", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"ClickSend refused PUT sms/{MID}/cancel with HTTP 400 BAD_REQUEST: Message is not scheduled."
    assert requests_mock.call_count == 1


def test_an_id_unknown_as_sms_and_as_voice_fails_naming_it(run, requests_mock):
    for url in (CANCEL_URL, VOICE_CANCEL_URL):
        requests_mock.put(url, status_code=404, json=envelope(None, "Not found.", "NOT_FOUND", 404))
    run("cancel_scheduled_message", {"message_id": MID})
    assert run.result["status"] == "failed"
    assert run.result["message"] == f"ClickSend knows no scheduled SMS or voice message with id {MID} (HTTP 404 for both)"
    assert requests_mock.call_count == 2


def test_a_busy_answer_is_retried_because_cancelling_twice_is_harmless(run, requests_mock):
    requests_mock.put(
        CANCEL_URL,
        [
            {"status_code": 503, "json": envelope(None, "busy", "SERVICE_UNAVAILABLE", 503), "headers": {"Retry-After": "0"}},
            {"json": envelope(None, "Scheduled sms message has been cancelled.")},
        ],
    )
    run("cancel_scheduled_message", {"message_id": MID})
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.call_count == 2


def test_a_bad_id_fails_before_any_request(run, requests_mock):
    run("cancel_scheduled_message", {"message_id": "../account"})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("Parameter 'message_id': '../account' is not a ClickSend message id")
    assert requests_mock.call_count == 0

"""Answers a gateway or a hostile server may give that ClickSend itself does not: statuses beyond the usual 5xx, a
charset no codec reads, numbers JSON cannot hold, nesting deeper than Python's recursion limit."""

import json

import pytest

from tests.conftest import BASE_URL
from tests.unit.test_action_send_message import SEND_URL, answer


def not_json_constant(name):
    raise AssertionError(f"the result holds {name}, which is not JSON")


def strict_json(out):
    """The platform's stored result, read by a JSON parser that accepts only JSON."""
    return json.loads(json.dumps(out["result_data"]), parse_constant=not_json_constant)


@pytest.mark.parametrize("status", [500, 502, 504, 507, 520, 522, 524, 598, 599, 999])
def test_a_send_answered_with_a_gateway_status_has_an_unknown_outcome(run, requests_mock, status):
    requests_mock.post(SEND_URL, status_code=status, text="origin timeout")
    run("send_message", {"to": "+61411111111", "message": "x"})
    message = run.result["message"]
    assert run.result["status"] == "failed"
    assert requests_mock.call_count == 1
    assert f"HTTP {status}" in message
    assert "outcome is unknown" in message and "nothing was sent" not in message


@pytest.mark.parametrize("status", [501, 503, 505])
def test_a_send_answered_that_the_server_did_not_take_it_on_sent_nothing(run, requests_mock, status):
    requests_mock.post(SEND_URL, status_code=status, text="unavailable")
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert run.result["status"] == "failed"
    assert requests_mock.call_count == 1
    assert run.result["message"].endswith("(nothing was sent)")


@pytest.mark.parametrize("charset", ["idna", "punycode", "undefined", "no-such-codec"])
@pytest.mark.parametrize("status", [200, 400, 500])
def test_a_charset_no_codec_can_read_still_gives_a_clear_message(run, requests_mock, charset, status):
    page = b"<html><title>Gateway \xff page</title></html>"
    requests_mock.post(SEND_URL, status_code=status, content=page, headers={"Content-Type": f"text/html; charset={charset}"})
    run("send_message", {"to": "+61411111111", "message": "x"})
    message = run.result["message"]
    assert run.result["status"] == "failed"
    assert message.startswith(("ClickSend answered POST sms/send with HTTP", "ClickSend refused POST sms/send with HTTP"))
    assert requests_mock.call_count == 1
    if status != 400:  # 200 without the envelope, or a 5xx: the send may have gone
        assert "outcome is unknown" in message


def test_nan_infinity_and_overflowing_numbers_in_an_answer_become_null(run, requests_mock):
    body = json.dumps(answer([{"message_id": "M1", "to": "+61411111111", "status": "SUCCESS", "message_price": "0.0792"}]))
    body = body.replace('"total_price": 0.0792', '"total_price": NaN, "nan_list": [Infinity, -Infinity, 1e999, 2.5]')
    requests_mock.post(SEND_URL, text=body, headers={"Content-Type": "application/json"})
    out = run("send_message", {"to": "+61411111111", "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    data = strict_json(out)[0]["data"][0]["data"]
    assert data["total_price"] is None
    assert data["nan_list"] == [None, None, None, 2.5]


DEPTH = 700  # deeper than a recursive walk of the answer survives, within what the JSON parser reads


def test_an_account_nested_deeper_than_a_recursive_walk_survives_is_read(run, requests_mock):
    text = '{"http_code": 200, "response_code": "SUCCESS", "response_msg": "ok", "data": {"username": "soc", "balance": "12.5", '
    text += '"api_key": "hidden", "deep": ' + '{"nested": ' * DEPTH + '{"secret": "s", "leaf": 1}' + "}" * DEPTH + "}}"
    requests_mock.get(f"{BASE_URL}/account", text=text, headers={"Content-Type": "application/json"})
    run("get_account", {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"]["balance"] == 12.5
    stored = run.result["data"][0]
    assert "api_key" not in stored
    level = stored["deep"]
    for _ in range(DEPTH):
        level = level["nested"]
    assert level == {"leaf": 1}  # credentials are dropped at any depth

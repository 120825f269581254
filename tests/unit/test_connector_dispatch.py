"""The dispatch table and the one error boundary."""

import clicksend_connector
from tests.conftest import BASE_URL, envelope


def test_identifier_without_a_handler_fails_naming_it(run, requests_mock, monkeypatch):
    monkeypatch.delitem(clicksend_connector.HANDLERS, "get_account")
    run("get_account")
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Unknown action identifier 'get_account': this app has no handler for it"
    assert requests_mock.call_count == 0


def test_a_defect_in_a_handler_is_a_failed_result_without_traceback_or_data(run, requests_mock, platform, monkeypatch):
    def broken(ctx, params, result):
        raise KeyError("+61411111111 secret body")

    monkeypatch.setitem(clicksend_connector.HANDLERS, "get_account", broken)
    out = run("get_account")
    assert out["exception_occured"] is False
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Unexpected error while running 'get account': KeyError"
    assert "+61411111111" not in platform.all_output()


def test_handler_reading_an_undeclared_parameter_is_caught(run, requests_mock, monkeypatch):
    def sloppy(ctx, params, result):
        params.string("not_in_manifest")
        return "never"

    monkeypatch.setitem(clicksend_connector.HANDLERS, "get_account", sloppy)
    run("get_account")
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Unexpected error while running 'get account': AssertionError"


def test_several_parameter_sets_run_one_session_and_give_one_result_each(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "u", "balance": "1.0"}))
    out = run("get_account", [{}, {}])
    assert [r["status"] for r in out["result_data"]] == ["success", "success"]
    assert out["result_summary"]["total_objects"] == 2
    assert out["result_summary"]["total_objects_successful"] == 2


def test_parameter_declarations_do_not_depend_on_the_platform_serving_the_manifest(run, requests_mock, monkeypatch):
    """A stand-in platform whose get_app_json() returns nothing still gets the same checks."""
    from clicksend_connector import ClickSendConnector

    monkeypatch.setattr(ClickSendConnector, "get_app_json", lambda self: {})
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "u", "balance": "1.0"}))
    run("get_account")
    assert run.result["status"] == "success", run.result["message"]
    run("send_message", {"to": "12", "message": "x"})
    assert run.result["message"].startswith("Parameter 'to': '12' is not a valid phone number")

from __future__ import annotations

import phantom.app as phantom
import pytest
from phantom.action_result import ActionResult


def test_default_status_is_failed():
    result = ActionResult({"a": 1})
    assert result.get_status() is phantom.APP_ERROR
    assert result.is_fail() and not result.is_success()
    as_dict = result.get_dict()
    assert as_dict["status"] == "failed"
    assert set(as_dict) == {"data", "extra_data", "summary", "status", "message", "parameter", "context"}
    assert as_dict["parameter"] == {"a": 1}


def test_param_must_be_a_dict():
    assert ActionResult().get_param() == {}
    with pytest.raises(TypeError):
        ActionResult(["not", "a", "dict"])


def test_set_status_formats_and_returns_status_code():
    result = ActionResult()
    assert result.set_status(phantom.APP_SUCCESS, "Sent {} to {to}", None, 3, to="+61400000000") is True
    assert result.get_message() == "Sent 3 to +61400000000"
    assert result.get_dict()["status"] == "success"
    assert result.set_status(phantom.APP_ERROR, "Escaped {{braces}}") is False
    assert result.get_message() == "Escaped {braces}"


def test_set_status_raw_fallback_on_format_errors():
    result = ActionResult()
    result.set_status(phantom.APP_ERROR, 'Data from server: {"error": "bad"}')
    assert result.get_message() == 'Data from server: {"error": "bad"}'
    result.set_status(phantom.APP_ERROR, "missing {} arg")
    assert result.get_message() == "missing {} arg"
    result.set_status(phantom.APP_ERROR, "unbalanced { brace")
    assert result.get_message() == "unbalanced { brace"


def test_set_status_appends_exception_text():
    result = ActionResult()
    result.set_status(phantom.APP_ERROR, "Error connecting", ValueError("timed out"))
    assert result.get_message().startswith("Error connecting")
    assert result.get_message().endswith("timed out")


def test_update_summary_merges_and_returns_live_dict():
    result = ActionResult()
    summary = result.update_summary({"a": 1})
    summary["b"] = 2
    again = result.update_summary({"c": 3})
    assert again is summary
    assert result.get_summary() == {"a": 1, "b": 2, "c": 3}


def test_set_summary_replaces_and_returns_dict():
    result = ActionResult()
    result.update_summary({"old": 1})
    new = result.set_summary({})
    new["x"] = 1
    assert result.get_summary() == {"x": 1}


def test_data_is_live():
    result = ActionResult()
    item = {"id": 1}
    assert result.add_data(item) is item
    result.get_data().append({"id": 2})
    result.update_data([{"id": 3}])
    assert result.get_data_size() == 3
    assert [d["id"] for d in result.get_dict()["data"]] == [1, 2, 3]
    result.add_extra_data({"raw": True})
    assert result.get_extra_data() == [{"raw": True}]
    result.add_debug_data({"dbg": 1})
    assert result.get_debug_data() == ["{'dbg': 1}"]


def test_empty_message_is_built_from_summary():
    result = ActionResult()
    result.update_summary({"total_alerts": 1, "flow_id": "647f", "rejected_reasons": []})
    result.set_status(phantom.APP_SUCCESS)
    assert result.get_dict()["message"] == "Total alerts: 1, Flow id: 647f, Rejected reasons: []"
    assert result.get_message() == ""


def test_explicit_message_wins_and_empty_summary_leaves_empty_message():
    result = ActionResult()
    result.update_summary({"total_alerts": 1})
    result.set_status(phantom.APP_SUCCESS, "Explicit")
    assert result.get_dict()["message"] == "Explicit"
    bare = ActionResult()
    bare.set_status(phantom.APP_SUCCESS)
    assert bare.get_dict()["message"] == ""


def test_params_update_and_set():
    result = ActionResult({"a": 1})
    result.update_param({"b": 2})
    assert result.get_param() == {"a": 1, "b": 2}
    result.set_param({"ip": "1.1.1.1"})
    assert result.get_dict()["parameter"] == {"ip": "1.1.1.1"}


def test_append_to_message():
    result = ActionResult()
    result.set_status(phantom.APP_SUCCESS, "Sent")
    result.append_to_message("2 skipped")
    assert result.get_message().startswith("Sent") and result.get_message().endswith("2 skipped")

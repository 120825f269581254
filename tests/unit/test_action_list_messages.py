"""list messages: GET sms/history newest first with the filters asked for, every page up to the limit."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import BASE_URL, envelope
from tests.unit.test_actions_contacts import paged


HISTORY_URL = f"{BASE_URL}/sms/history"
DEC_1 = 1796083200  # 2026-12-01T00:00:00Z


def row(n, **extra):
    item = {
        "direction": "out",
        "date": DEC_1 + 3600 * n,
        "to": "+61411111111",
        "body": f"Alert {n}",
        "status": "Sent",
        "from": "+61431111112",
        "schedule": str(DEC_1 + 3600 * n),
        "status_code": 201,
        "status_text": "Success: Message received on handset.",
        "error_code": None,
        "error_text": None,
        "message_id": f"MID-{n}",
        "message_parts": "1",
        "message_price": "0.0792",
        "custom_string": f"case-{n}",
        "_api_username": "soc-team@example.com",
    }
    item.update(extra)
    return item


def queries(requests_mock):
    """The exact query of every request (requests_mock's own .qs lowers the case)."""
    return [{k: v[0] for k, v in parse_qs(urlsplit(r.url).query).items()} for r in requests_mock.request_history]


def test_defaults_read_one_page_newest_first_and_return_each_row_normalised(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=paged([row(2), row(1)]))
    run("list_messages")
    assert run.result["status"] == "success", run.result["message"]
    assert queries(requests_mock) == [{"order_by": "date:desc", "page": "1", "limit": "100"}]
    assert run.result["data"][0] == {
        "message_id": "MID-2",
        "direction": "out",
        "date": DEC_1 + 7200,
        "date_iso": "2026-12-01T02:00:00Z",
        "to": "+61411111111",
        "from": "+61431111112",
        "body": "Alert 2",
        "status": "Sent",
        "status_code": "201",
        "status_text": "Success: Message received on handset.",
        "message_parts": 1,
        "message_price": "0.0792",
        "custom_string": "case-2",
    }
    assert run.result["summary"] == {"total_messages": 2, "total_price": 0.1584, "limit_reached": False, "pages_read": 1}
    assert run.result["message"] == "Listed 2 messages of ClickSend's SMS history, newest first; 1 page read"


def test_filters_go_to_clicksend_in_its_own_form(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=paged([row(1)]))
    params = {"to": "0411 111 111", "status": "Sent", "date_from": "2026-12-01", "date_to": "2026-12-01T18:00:00+10:00", "limit": 5}
    run("list_messages", params)
    assert run.result["status"] == "success", run.result["message"]
    assert queries(requests_mock) == [
        {
            "order_by": "date:desc",
            "q": "status:Sent,to:+61411111111",
            "date_from": str(DEC_1),
            "date_to": str(DEC_1 + 8 * 3600),
            "page": "1",
            "limit": "100",
        }
    ]
    assert "%2B61411111111" in requests_mock.last_request.url  # a '+' sent bare would reach ClickSend as a space
    assert run.result["message"] == (
        "Listed 1 message of ClickSend's SMS history (status Sent, to +61411111111, from 2026-12-01T00:00:00Z, until "
        "2026-12-01T08:00:00Z), newest first; 1 page read"
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "301"}, {}),  # status_code is not a field ClickSend's q documents: the app filters it itself
        ({"date_from": "1796083200", "date_to": "2026-12-01"}, {"date_from": str(DEC_1), "date_to": str(DEC_1 + 86399)}),
        ({"date_to": "2026-12-01T09:30:00Z"}, {"date_to": str(DEC_1 + 9 * 3600 + 1800)}),
        ({"date_from": "20261201", "date_to": "20261201"}, {"date_from": str(DEC_1), "date_to": str(DEC_1 + 86399)}),  # never 1970
    ],
)
def test_status_codes_epochs_and_dates(run, requests_mock, params, expected):
    requests_mock.get(HISTORY_URL, json=paged([]))
    run("list_messages", params)
    assert run.result["status"] == "success", run.result["message"]
    assert queries(requests_mock) == [dict({"order_by": "date:desc", "page": "1", "limit": "100"}, **expected)]


def test_every_page_is_read_up_to_the_limit_and_no_further(run, requests_mock):
    rows = [row(n) for n in range(450, 0, -1)]
    requests_mock.get(HISTORY_URL, json=paged(rows))
    run("list_messages", {"limit": 150})
    assert run.result["status"] == "success", run.result["message"]
    assert [q["page"] for q in queries(requests_mock)] == ["1", "2"]
    assert [item["message_id"] for item in run.result["data"]] == [f"MID-{n}" for n in range(450, 300, -1)]
    assert run.result["summary"]["limit_reached"] is True and run.result["summary"]["pages_read"] == 2
    assert run.result["message"] == (
        "Listed 150 messages of ClickSend's SMS history, newest first; 2 pages read; stopped at the limit of 150: older messages "
        "match too (raise limit or narrow the dates)"
    )


@pytest.mark.parametrize(("count", "pages", "reached"), [(100, ["1"], False), (101, ["1", "2"], True), (300, ["1", "2"], True)])
def test_limit_reached_only_when_more_messages_match_than_the_limit(run, requests_mock, count, pages, reached):
    requests_mock.get(HISTORY_URL, json=paged([row(n) for n in range(count, 0, -1)]))
    run("list_messages")
    assert [q["page"] for q in queries(requests_mock)] == pages
    assert len(run.result["data"]) == 100
    assert run.result["summary"]["limit_reached"] is reached
    assert ("stopped at the limit" in run.result["message"]) is reached


# --- every row listed matches what was asked ------------------------------------------------------------------------


def test_a_status_code_is_filtered_by_the_app_and_not_sent_in_q(run, requests_mock):
    rows = [row(n, status_code=301 if n % 3 == 0 else "201", status="Failed" if n % 3 == 0 else "Sent") for n in range(9, 0, -1)]
    requests_mock.get(HISTORY_URL, json=paged(rows))
    run("list_messages", {"status": "301", "limit": 2})
    assert run.result["status"] == "success", run.result["message"]
    assert "q" not in queries(requests_mock)[0]
    assert [(item["message_id"], item["status_code"]) for item in run.result["data"]] == [("MID-9", "301"), ("MID-6", "301")]
    assert run.result["summary"]["limit_reached"] is True
    assert run.result["message"].startswith("Listed 2 messages of ClickSend's SMS history (status code 301), newest first")


def test_inbound_rows_are_left_out_of_a_listing_of_sent_messages(run, requests_mock):
    inbound = row(3, direction="in", status="Received", status_code=None, to="+61431111112", **{"from": "+61411111111"})
    requests_mock.get(HISTORY_URL, json=paged([inbound, row(2), row(1, direction=None, status="Received")]))
    run("list_messages")
    assert [(item["message_id"], item["direction"]) for item in run.result["data"]] == [("MID-2", "out")]
    assert run.result["summary"]["total_messages"] == 1


def test_rows_clicksend_returns_beyond_the_filters_are_not_listed(run, requests_mock):
    late = DEC_1 + 86400 + 5
    rows = [
        row(7, to="+61422222222"),  # another number
        row(6, status="Queued"),  # another status
        row(5, status="sent"),  # the same status in another case
        row(4, date=late),  # after date_to
        row(3, date=DEC_1 - 1),  # before date_from
        row(2, status="Sent:Final"),  # a compound status starting with the word asked for
        row(1, to="0411 111 111"),  # the same number in another notation
    ]
    requests_mock.get(HISTORY_URL, json=paged(rows))
    run("list_messages", {"status": "Sent", "to": "+61411111111", "date_from": "2026-12-01", "date_to": "2026-12-01"})
    assert run.result["status"] == "success", run.result["message"]
    assert [item["message_id"] for item in run.result["data"]] == ["MID-5", "MID-2", "MID-1"]


def test_a_status_code_search_stops_at_its_page_budget_and_fails_saying_so(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=paged([row(n, date=DEC_1) for n in range(20100)]))
    run("list_messages", {"status": "300"})
    assert run.result["status"] == "failed"
    assert run.result["summary"]["pages_read"] == 200 and len(queries(requests_mock)) == 200
    assert run.result["message"] == (
        "Listed 0 messages of ClickSend's SMS history (status code 300), newest first; 200 pages read; the read stopped at 200 pages, "
        "the most one listing reads, so older messages may match too: narrow the dates (a status code is filtered by the app, which "
        "reads every message of the dates to find it)"
    )


def test_every_page_is_read_when_the_limit_is_not_reached(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=paged([row(n) for n in range(250, 0, -1)]))
    run("list_messages", {"limit": 10000})
    assert [q["page"] for q in queries(requests_mock)] == ["1", "2", "3"]
    assert run.result["summary"] == {"total_messages": 250, "total_price": 19.8, "limit_reached": False, "pages_read": 3}


def test_rows_are_newest_first_whatever_order_clicksend_serves(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=paged([row(1), row(3), row(2)]))
    run("list_messages")
    assert [item["message_id"] for item in run.result["data"]] == ["MID-3", "MID-2", "MID-1"]


def test_a_bare_list_answer_is_read_too(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=envelope([row(1)]))
    run("list_messages")
    assert run.result["status"] == "success", run.result["message"]
    assert [item["message_id"] for item in run.result["data"]] == ["MID-1"]


def test_no_message_says_what_history_holds(run, requests_mock):
    requests_mock.get(HISTORY_URL, json=paged([]))
    run("list_messages", {"status": "Failed"})
    assert run.result["message"] == (
        "Listed 0 messages of ClickSend's SMS history (status Failed), newest first; 1 page read; ClickSend keeps about 4 months of SMS "
        "history, and MMS and voice messages are not in it"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "Parameter 'limit': must be at least 1, not 0"),
        ({"limit": 10001}, "Parameter 'limit': must be at most 10000, not 10001"),
        ({"date_from": "yesterday"}, "Parameter 'date_from': 'yesterday' is neither Unix seconds nor an ISO-8601 time"),
        ({"date_from": "1796083200000"}, "Parameter 'date_from': '1796083200000' looks like milliseconds"),
        ({"date_to": "2026-02-30"}, "Parameter 'date_to': '2026-02-30' is not a real date"),
        ({"date_to": "2026-12-01T09:30:00"}, "Parameter 'date_to': '2026-12-01T09:30:00' has no time zone"),
        ({"date_from": "2026-12-02", "date_to": "2026-12-01"}, "Parameter 'date_to': (2026-12-01T23:59:59Z) is before date_from"),
        ({"status": "Sent,to:+61400000000"}, "Parameter 'status': 'Sent,to:+61400000000' is neither a ClickSend status word"),
        ({"to": "12"}, "Parameter 'to': '12' is not a valid phone number"),
    ],
)
def test_bad_parameters_are_refused_before_any_request(run, requests_mock, params, message):
    run("list_messages", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(message)
    assert requests_mock.call_count == 0


def test_a_refused_history_read_fails_with_clicksends_answer(run, requests_mock):
    requests_mock.get(HISTORY_URL, status_code=403, json=envelope(None, "Your account is not activated.", "FORBIDDEN", 403))
    run("list_messages")
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend refused GET sms/history with HTTP 403 FORBIDDEN: Your account is not activated.")

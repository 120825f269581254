"""GET /sms/history: filters, ordering, dates, pagination keys and clamping, per-account scoping."""

from __future__ import annotations

import pytest

from .helpers import Client, assert_envelope, send


PAGE_KEYS = {"total", "per_page", "current_page", "last_page", "next_page_url", "prev_page_url", "from", "to", "data"}


def _seed(sim, n):
    """n history rows with dates 1000, 1001, ... (direct state access)."""
    with sim.state.lock:
        for i in range(n):
            sim.state.add_history({
                "direction": "out", "date": 1000 + i, "to": f"+614111{i:05d}", "body": f"m{i}",
                "status": "Failed" if i % 3 == 0 else "Sent", "from": "+61447254068", "schedule": str(1000 + i),
                "status_code": "301" if i % 3 == 0 else "201", "status_text": "", "error_code": None, "error_text": None,
                "message_id": f"00000000-0000-0000-0000-{i:012d}", "message_parts": 1, "message_price": "0.0792",
                "from_email": None, "list_id": None, "custom_string": f"c{i % 2}", "contact_id": None,
                "user_id": 1, "subaccount_id": 1, "country": "AU", "carrier": "", "first_name": None,
                "last_name": None, "_api_username": sim.username,
            })


def test_history_envelope_and_keys(client, sim):
    _seed(sim, 3)
    data = assert_envelope(client.get("/sms/history"))["data"]
    assert set(data) == PAGE_KEYS
    assert (data["total"], data["per_page"], data["current_page"], data["last_page"]) == (3, 15, 1, 1)
    assert (data["from"], data["to"], data["next_page_url"], data["prev_page_url"]) == (1, 3, None, None)
    assert "_seq" not in data["data"][0]
    assert isinstance(data["data"][0]["schedule"], str)


def test_default_order_is_oldest_first_and_desc_works(client, sim):
    _seed(sim, 5)
    asc = [r["date"] for r in client.get("/sms/history").json()["data"]["data"]]
    assert asc == sorted(asc)
    desc = [r["date"] for r in client.get("/sms/history", params={"order_by": "date:desc"}).json()["data"]["data"]]
    assert desc == sorted(asc, reverse=True)
    bodies = [r["body"] for r in client.get("/sms/history", params={"order_by": "body:desc"}).json()["data"]["data"]]
    assert bodies == sorted(bodies, reverse=True)


def test_q_message_id_and_status(client, sim):
    _seed(sim, 9)
    mid = "00000000-0000-0000-0000-000000000004"
    data = client.get("/sms/history", params={"q": f"message_id:{mid}"}).json()["data"]
    assert data["total"] == 1 and data["data"][0]["message_id"] == mid
    assert client.get("/sms/history", params={"q": f"message_id:{mid.lower()}"}).json()["data"]["total"] == 1
    assert client.get("/sms/history", params={"q": "message_id:NOPE"}).json()["data"]["total"] == 0
    failed = client.get("/sms/history", params={"q": "status:Failed"}).json()["data"]
    assert failed["total"] == 3 and {r["status"] for r in failed["data"]} == {"Failed"}
    # comma-joined filters are ANDed
    both = client.get("/sms/history", params={"q": "status:Sent,to:+61411100004"}).json()["data"]
    assert both["total"] == 1
    # q takes only the fields ClickSend documents for it (status, to, from, subaccount_id, message_id): others are ignored
    assert client.get("/sms/history", params={"q": "status_code:301"}).json()["data"]["total"] == 9
    assert client.get("/sms/history", params={"q": "status:Sent,custom_string:c1"}).json()["data"]["total"] == 6
    assert client.get("/sms/history", params={"q": f"message_id:{mid},status:Failed"}).json()["data"]["total"] == 0
    # a '+' must arrive URL-encoded; requests does that
    assert client.get("/sms/history", params={"q": "to:+61411100002"}).json()["data"]["total"] == 1


def test_date_filters(client, sim):
    _seed(sim, 10)
    data = client.get("/sms/history", params={"date_from": 1003, "date_to": 1005}).json()["data"]
    assert [r["date"] for r in data["data"]] == [1003, 1004, 1005]


@pytest.mark.parametrize(("limit", "per_page"), [(None, 15), (1, 15), (15, 15), (50, 50), (100, 100), (1000, 100), ("abc", 15)])
def test_limit_clamping(client, sim, limit, per_page):
    _seed(sim, 120)
    params = {} if limit is None else {"limit": limit}
    data = client.get("/sms/history", params=params).json()["data"]
    assert data["per_page"] == per_page and len(data["data"]) == per_page
    assert data["last_page"] == -(-120 // per_page)


def test_paging_through(client, sim):
    _seed(sim, 40)
    seen = []
    page = 1
    while True:
        data = client.get("/sms/history", params={"page": page, "limit": 15}).json()["data"]
        seen += [r["message_id"] for r in data["data"]]
        assert data["current_page"] == page
        if data["current_page"] >= data["last_page"]:
            assert data["next_page_url"] is None
            break
        assert data["next_page_url"] == f"https://rest.clicksend.com/v3/sms/history?page={page + 1}"
        page += 1
    assert len(seen) == len(set(seen)) == 40
    last = client.get("/sms/history", params={"page": 3}).json()["data"]
    assert (last["from"], last["to"], last["prev_page_url"]) == (31, 40, "https://rest.clicksend.com/v3/sms/history?page=2")
    beyond = client.get("/sms/history", params={"page": 9}).json()["data"]
    assert beyond["data"] == [] and beyond["from"] is None and beyond["to"] is None and beyond["total"] == 40


def test_history_is_per_account(client, sim):
    send(client, {"to": "+61411111111", "body": "mine"})
    sim.add_account("other@example.com", "K")
    other = Client(sim, ("other@example.com", "K"))
    assert other.get("/sms/history").json()["data"]["total"] == 0
    assert client.get("/sms/history").json()["data"]["total"] == 1


def test_sent_message_found_by_id(client):
    mid = send(client, {"to": "+61411111111", "body": "x"}).json()["data"]["messages"][0]["message_id"]
    (row,) = client.get("/sms/history", params={"q": f"message_id:{mid}"}).json()["data"]["data"]
    assert row["status_code"] == "201" and row["_api_username"] == "soc-team@example.com"


def test_due_scheduled_message_becomes_sent(client, sim):
    import time

    soon = int(time.time()) + 1
    mid = send(client, {"to": "+61411111111", "body": "x", "schedule": soon}).json()["data"]["messages"][0]["message_id"]
    row = client.get("/sms/history", params={"q": f"message_id:{mid}"}).json()["data"]["data"][0]
    assert row["status"] == "Scheduled"
    from clicksend_sim.routes_sms import release_due_scheduled

    with sim.state.lock:
        release_due_scheduled(sim.state, now=soon + 1)
    row = client.get("/sms/history", params={"q": f"message_id:{mid}"}).json()["data"]["data"][0]
    assert (row["status"], row["status_code"]) == ("Sent", "201")


def test_filters_of_a_list_messages_action(client, sim):
    """date_from/date_to (inclusive), q=status:..., q=to:... (URL-encoded), order_by=date:desc, together."""
    _seed(sim, 12)
    params = {"date_from": 1002, "date_to": 1009, "q": "status:Sent", "order_by": "date:desc"}
    data = client.get("/sms/history", params=params).json()["data"]
    assert [r["date"] for r in data["data"]] == [1008, 1007, 1005, 1004, 1002]
    assert client.get("/sms/history", params={"q": "to:+61411100005,status:sent"}).json()["data"]["total"] == 1
    # an unencoded "+" is a space in a query string: the number does not match (encode it as %2B)
    raw = client.get("/sms/history?q=to:+61411100005").json()["data"]
    assert raw["total"] == 0
    assert client.get("/sms/history?q=to:%2B61411100005").json()["data"]["total"] == 1
    either = client.get("/sms/history", params={"q": "to:+61411100005,to:+61411100006", "operator": "OR"}).json()["data"]
    assert either["total"] == 2

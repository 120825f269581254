"""The guard rails and the read actions end to end: connector -> fake platform -> simulator over HTTP."""

import requests
from clicksend_sim.routes_messaging_extra import mms_sent, voice_sent

import clicksend_consts
from tests.conftest import sim_config


def paths(sim):
    return [(r["method"], r["path"]) for r in sim.requests]


# --- guard rails -------------------------------------------------------------------------------------------------


def test_allow_list_refuses_a_number_outside_it_and_nothing_reaches_clicksend(sim, sim_run):
    sim_run("send_message", {"to": "+61411111111,+14155550100", "message": "Alert 123"}, config=sim_config(sim, allowed_destinations="+61"))
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == "Refused: +14155550100 is outside the asset's allowed_destinations (+61); nothing was sent to ClickSend"
    assert sim.requests == [] and sim.sent == []


def test_allow_list_reads_a_list_and_refuses_it_for_one_member(sim, sim_run):
    listing = sim.add_list("On call", contacts=[{"phone_number": "+61411111111"}, {"phone_number": "+447911123456"}])
    sim_run("send_voice_message", {"contact_list_id": listing["list_id"], "message": "Alert"}, config=sim_config(sim, allowed_destinations="AU"))
    assert sim_run.result["status"] == "failed"
    assert "holds 1 number outside the asset's allowed_destinations (AU): +447911123456" in sim_run.result["message"]
    assert paths(sim) == [("GET", f"/v3/lists/{listing['list_id']}"), ("GET", f"/v3/lists/{listing['list_id']}/contacts")]
    assert voice_sent(sim) == []


def test_a_list_inside_the_allow_list_gets_exactly_the_numbers_checked(sim, sim_run):
    listing = sim.add_list("On call", contacts=[{"phone_number": "0411 111 111"}, {"phone_number": "+61422222222"}])
    sim_run("send_message", {"contact_list_id": listing["list_id"], "message": "Alert"}, config=sim_config(sim, allowed_destinations="AU"))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sorted(m["to"] for m in sim.sent) == ["+61411111111", "+61422222222"]
    (send,) = [r for r in sim.requests if r["path"] == "/v3/sms/send"]
    assert all("list_id" not in m for m in send["json"]["messages"])


def test_spend_cap_prices_first_and_refuses_above_it(sim, sim_run):
    params = {"to": "+61411111111,+61422222222,+61433333333", "message": "Alert 123"}
    sim_run("send_message", params, config=sim_config(sim, max_cost_per_action=0.2))
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == (
        "Refused: ClickSend prices this send at 0.2376 AUD, more than the asset's max_cost_per_action of 0.2 AUD; nothing was sent to ClickSend"
    )
    assert paths(sim) == [("POST", "/v3/sms/price")] and sim.sent == []


def test_spend_cap_lets_a_cheaper_send_through_once_and_no_cap_asks_no_price(sim, sim_run):
    sim_run("send_message", {"to": "+61411111111", "message": "Alert 122"})
    assert paths(sim) == [("POST", "/v3/sms/send")]
    sim.reset()
    sim_run("send_message", {"to": "+61411111111", "message": "Alert 123"}, config=sim_config(sim, max_cost_per_action=0.2))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert paths(sim) == [("POST", "/v3/sms/price"), ("POST", "/v3/sms/send")]
    assert len(sim.sent) == 1
    assert sim_run.result["message"].endswith("priced first at 0.0792 AUD, within the asset's max_cost_per_action of 0.2 AUD")


def test_spend_cap_on_mms_and_voice_uses_their_price_endpoints(sim, sim_run):
    mms = {"to": "+61411111111", "message": "Badge photo", "media_url": sim.media_url("a.jpg"), "from": "SOCTeam"}
    sim_run("send_mms", mms, config=sim_config(sim, max_cost_per_action=0.4))
    assert sim_run.result["status"] == "failed" and "prices this send at 0.5 AUD" in sim_run.result["message"]
    # ClickSend's MMS price answer names no currency: the account's is used, and the summary says what refused the send
    assert sim_run.result["summary"] == {"refused_by": "max_cost_per_action", "price": 0.5, "limit": 0.4, "currency": "AUD"}
    assert mms_sent(sim) == []
    sim.reset()
    sim_run("send_voice_message", {"to": "+61411111111", "message": "Alert"}, config=sim_config(sim, max_cost_per_action=0.1))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert paths(sim) == [("POST", "/v3/voice/price"), ("POST", "/v3/voice/send")] and len(voice_sent(sim)) == 1


def test_a_parameter_cannot_raise_the_cap(sim, sim_run):
    params = {"to": "+61411111111", "message": "x", "max_cost_per_action": 1000, "allowed_destinations": "+1"}
    sim_run("send_message", params, config=sim_config(sim, max_cost_per_action=0.01))
    assert sim_run.result["status"] == "failed" and sim.sent == []


def test_recipient_cap_counts_each_distinct_number_once(sim, sim_run):
    """5 numbers in `to` and a 10-contact list holding 5 of them reach 10 people (2.1.0 refused it as 15)."""
    given = [f"+614111111{n:02d}" for n in range(5)]
    listing = sim.add_list("Everyone", contacts=[{"phone_number": n} for n in given + [f"+614222222{n:02d}" for n in range(5)]])
    params = {"to": ",".join(given), "contact_list_id": listing["list_id"], "message": "x"}
    sim_run("send_message", params, config=sim_config(sim, max_recipients_per_action=10))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert len(sim.sent) == 10 and len({m["to"] for m in sim.sent}) == 10
    sim_run("send_message", params, config=sim_config(sim, max_recipients_per_action=9))
    assert sim_run.result["status"] == "failed"
    assert "would reach more than 9 recipients (5 numbers in 'to' and 4 other numbers of list" in sim_run.result["message"]
    assert sim_run.result["summary"] == {"refused_by": "max_recipients_per_action"}
    assert len(sim.sent) == 10  # nothing more


# --- read actions --------------------------------------------------------------------------------------------------


def _send(sim, count, to="+61411111111"):
    body = {"messages": [{"to": to, "body": f"Alert {n}", "source": "test"} for n in range(count)]}
    requests.post(f"{sim.url}/sms/send", json=body, auth=sim.auth, timeout=10).raise_for_status()


def test_list_messages_reads_pages_newest_first_up_to_the_limit(sim, sim_run):
    _send(sim, 150)
    _send(sim, 3, to="+61422222222")
    sim_run("list_messages", {"to": "+61411111111", "limit": 120})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert [r["query"]["page"] for r in sim.requests if r["path"] == "/v3/sms/history"] == ["1", "2"]
    assert len(result["data"]) == 120 and {item["to"] for item in result["data"]} == {"+61411111111"}
    assert [item["date"] for item in result["data"]] == sorted((item["date"] for item in result["data"]), reverse=True)
    assert result["summary"]["limit_reached"] is True


def test_list_messages_filters_a_status_code_itself_and_lists_no_reply(sim, sim_run):
    sim.set_delivery_outcome("+61400000009", "301")
    _send(sim, 3)
    _send(sim, 2, to="+61400000009")
    sim.add_history_row(direction="in", status="Received", status_code=None, to="+61447254068", **{"from": "+61411111111"})
    sim_run("list_messages", {"status": "301"})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert "q" not in sim.requests[-1]["query"]  # ClickSend's q has no status_code field (the simulator would ignore it)
    assert [(item["to"], item["status_code"], item["direction"]) for item in result["data"]] == [("+61400000009", "301", "out")] * 2
    sim_run("list_messages", {"limit": 5})
    assert {item["direction"] for item in sim_run.result["data"]} == {"out"} and len(sim_run.result["data"]) == 5
    assert sim_run.result["summary"]["limit_reached"] is False


def test_list_senders_follows_the_cursor_pages(sim, sim_run, monkeypatch):
    monkeypatch.setattr(clicksend_consts, "OWN_NUMBERS_PAGE_SIZE", 2)
    sim.add_dedicated_number("+61431111112")
    for n in range(5):
        sim.add_own_number(f"+6142222222{n}")
    sim.add_alpha_tag("SOCTeam")
    sim_run("list_senders", config=sim_config(sim, default_from="SOCTeam"))
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert [r["path"] for r in sim.requests].count("/v3/own-numbers") == 3
    assert result["summary"] == {
        "total_senders": 7,
        "dedicated_numbers": 1,
        "own_numbers": 5,
        "alpha_tags": 1,
        "default_from": "SOCTeam",
        "pages_read": 5,
    }
    assert [item["sender"] for item in result["data"] if item["is_default"]] == ["SOCTeam"]


def test_find_contact_searches_every_list_and_every_page(sim, sim_run):
    sim.add_list("Newsletter", contacts=[{"phone_number": f"+614000{n:05d}"} for n in range(120)] + [{"phone_number": "0411 111 111"}])
    sim.add_list("Empty")
    sim.add_list("On call", contacts=[{"phone_number": "+61422222222", "email": "JANE@example.com"}])
    sim_run("find_contact", {"phone_number": "+61411111111", "email": "jane@example.com"})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert [item["list_name"] for item in result["data"]] == ["Newsletter", "On call"]
    assert result["summary"] == {"total_matches": 2, "lists_searched": 3, "lists_total": 3, "pages_read": 5}

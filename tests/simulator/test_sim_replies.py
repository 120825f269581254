"""Replies that arrive while an action waits (auto_reply, add_reply) and inbound rule scope (number and search)."""

from __future__ import annotations

import time

import pytest
import requests
from clicksend_sim.routes_inbound import unread_ids

from .helpers import assert_envelope, send


HANDSET = "+61411111111"


def _send(client, **fields):
    message = {"to": HANDSET, "body": "Isolate host? Reply YES", "custom_string": "soar:container:42", **fields}
    return assert_envelope(send(client, message))["data"]["messages"][0]


def _inbound(client):
    return client.get("/sms/inbound", params={"limit": 100}).json()["data"]["data"]


def test_auto_reply_at_once(client, sim):
    sim.add_inbound_rule()
    sim.auto_reply(HANDSET, "YES")
    sent = _send(client)
    (reply,) = _inbound(client)
    assert (reply["from"], reply["body"], reply["to"]) == (HANDSET, "YES", sent["from"])
    assert (reply["original_message_id"], reply["original_body"], reply["custom_string"]) == (
        sent["message_id"], "Isolate host? Reply YES", "soar:container:42")
    assert reply["_keyword"] == "yes" and abs(reply["timestamp"] - time.time()) < 5
    assert assert_envelope(client.get(f"/sms/inbound/{sent['message_id']}"))["data"] == reply
    _send(client, custom_string=None)  # every SMS to the number is answered
    assert [r["custom_string"] for r in _inbound(client)] == ["soar:container:42", ""]


def test_auto_reply_after_a_delay(client, sim):
    sim.add_inbound_rule()
    sim.auto_reply(HANDSET, "on my way", delay=60)
    start = time.time()
    sent = _send(client)
    assert _inbound(client) == []
    assert_envelope(client.get(f"/sms/inbound/{sent['message_id']}"), 404)
    sim.advance(now=start + 61)
    (reply,) = _inbound(client)
    assert reply["timestamp"] - sent["date"] in (59, 60, 61)
    assert client.get(f"/sms/inbound/{sent['message_id']}").json()["data"]["message_id"] == reply["message_id"]


def test_auto_reply_in_real_time_counts_from_delivery(client, sim):
    sim.add_inbound_rule()
    sim.delivery_delay = 0.1
    sim.auto_reply(HANDSET, "ok", delay=0.1)
    _send(client)
    time.sleep(0.12)
    assert _inbound(client) == []  # delivered, the handset has not answered yet
    time.sleep(0.1)
    assert [r["body"] for r in _inbound(client)] == ["ok"]


def test_no_reply_to_an_alpha_tag_a_failed_delivery_or_when_stopped(client, sim):
    sim.add_inbound_rule()
    sim.auto_reply(HANDSET, "YES", times=2)
    _send(client, **{"from": "SOCTeam"})  # recipients cannot reply to an alpha tag
    sim.set_delivery_outcome(HANDSET, "301")
    _send(client)
    sim.set_delivery_outcome(HANDSET, None)
    _send(client, **{"from": "12345"})  # a short code can be answered
    _send(client)
    _send(client)  # times=2: no third reply
    assert [r["to"] for r in _inbound(client)] == ["12345", "+61447254068"]
    sim.auto_reply(HANDSET, "again")
    sim.auto_reply(HANDSET, None)
    _send(client)
    assert len(_inbound(client)) == 2


def test_add_reply_to_a_sent_message(client, sim):
    sim.add_inbound_rule()
    sent = _send(client, **{"from": "+61431111112"})
    reply = sim.add_reply(sent["message_id"].lower(), None, "NO")
    assert (reply["from"], reply["to"], reply["original_message_id"], reply["custom_string"]) == (
        HANDSET, "+61431111112", sent["message_id"], "soar:container:42")
    other = sim.add_reply(sent["message_id"], "+61422222222", "me too")
    assert [r["message_id"] for r in _inbound(client)] == [reply["message_id"], other["message_id"]]
    assert client.get(f"/sms/inbound/{sent['message_id']}").json()["data"]["body"] == "NO"  # the first reply
    with pytest.raises(KeyError):
        sim.add_reply("00000000-0000-0000-0000-000000000000", None, "x")
    over_http = requests.post(sim.root_url + "/_sim/replies", json={"original_message_id": sent["message_id"], "from": None,
                                                                    "body": "third"}, timeout=5).json()
    assert over_http["original_message_id"] == sent["message_id"]
    assert requests.post(sim.root_url + "/_sim/replies", json={"original_message_id": "nope", "body": "x"}, timeout=5).status_code == 400
    requests.post(sim.root_url + "/_sim/auto-reply", json={"number": HANDSET, "body": "via http"}, timeout=5)
    _send(client)
    assert _inbound(client)[-1]["body"] == "via http"


def test_replies_are_captured_only_by_matching_rules(client, sim):
    mine = sim.add_inbound_rule(dedicated_number="+61431111112", rule_name="my number")
    sim.add_inbound_rule(dedicated_number="+61499999999", rule_name="another number")
    sim.auto_reply(HANDSET, "YES")
    sent = _send(client, **{"from": "+61431111112"})
    (reply,) = _inbound(client)
    assert reply["original_message_id"] == sent["message_id"]
    assert sim.state.inbound_capture[reply["message_id"]] == (mine["inbound_rule_id"],)


@pytest.mark.parametrize(
    ("search_type", "term", "captured"),
    [
        (0, "", ["YES please", "no way", "Yesterday"]),
        (1, "yes", ["YES please", "Yesterday"]),
        (2, "ES", ["YES please", "Yesterday"]),
        (2, "way", ["no way"]),
        (3, "yes", ["no way"]),
    ],
)
def test_search_types(client, sim, search_type, term, captured):
    sim.add_inbound_rule(message_search_type=search_type, message_search_term=term)
    for body in ("YES please", "no way", "Yesterday"):
        sim.add_inbound_message("+61422222222", body)
    assert [m["body"] for m in _inbound(client)] == captured
    assert len(unread_ids(sim)) == 3


def test_dedicated_number_and_rule_state_at_arrival(client, sim):
    star = sim.add_inbound_rule(rule_name="all")
    number = sim.add_inbound_rule(dedicated_number="+61431111112", rule_name="one number")
    off = sim.add_inbound_rule(rule_name="disabled", enabled=0)
    to_number = sim.add_inbound_message("+61422222222", "a", to="+61431111112")
    to_shared = sim.add_inbound_message("+61422222222", "b")
    assert [m["message_id"] for m in _inbound(client)] == [to_number["message_id"], to_shared["message_id"], to_number["message_id"]]
    assert_envelope(client.put(f"/automations/sms/inbound/{off['inbound_rule_id']}", json=dict(off, enabled=1)))
    assert len(_inbound(client)) == 3  # enabling a rule later does not capture older messages
    assert_envelope(client.delete(f"/automations/sms/inbound/{number['inbound_rule_id']}"))
    assert [m["body"] for m in _inbound(client)] == ["a", "b"]  # a deleted rule lists nothing any more
    assert_envelope(client.put(f"/automations/sms/inbound/{star['inbound_rule_id']}", json=dict(star, enabled=0)))
    assert _inbound(client) == []


def test_a_reply_is_filed_under_the_latest_message_sent_to_that_number(client, sim):
    """ClickSend ties a reply to the latest message sent to the number: a reply meant for an earlier question that
    arrives after a later one went out is filed under the later one (API notes §9)."""
    sim.add_inbound_rule()
    sim.auto_reply(HANDSET, "YES", delay=60, times=1)
    start = time.time()
    first = _send(client, body="Reset password?", custom_string="first")
    second = _send(client, body="Wipe laptop?", custom_string="second")
    sim.advance(now=start + 61)
    (reply,) = _inbound(client)
    assert (reply["original_message_id"], reply["original_body"], reply["custom_string"]) == (second["message_id"], "Wipe laptop?", "second")
    assert_envelope(client.get(f"/sms/inbound/{first['message_id']}"), 404)  # nothing is filed under the earlier question
    late = sim.add_reply(first["message_id"], None, "NO")
    assert late["original_message_id"] == second["message_id"]
    other_sender = _send(client, body="From another number", **{"from": "+61400000009", "custom_string": "third"})
    assert sim.add_reply(second["message_id"], None, "ok")["original_message_id"] == second["message_id"]  # another sender's message
    assert other_sender["message_id"] != second["message_id"]


def test_a_scheduled_later_message_takes_no_reply_until_it_is_sent(client, sim):
    sim.add_inbound_rule()
    first = _send(client)
    _send(client, schedule=int(time.time()) + 3600, custom_string="later")
    assert sim.add_reply(first["message_id"], None, "YES")["original_message_id"] == first["message_id"]

"""POST /sms-campaigns/send: one list of up to 20 000 recipients, a short answer."""

from __future__ import annotations

import time

import pytest

from .helpers import assert_envelope


CAMPAIGN_KEYS = {"sms_campaign_id", "name", "user_id", "subaccount_id", "list_id", "from", "body", "schedule", "status", "date_added",
                 "custom_string", "url_to_shorten", "unsubscribe_link", "source", "senders", "_total_count", "_list_name"}


def test_campaign_sends_to_every_contact(client, sim):
    lst = sim.add_list("Customers", [{"phone_number": "+61411111111", "first_name": "Jane"}, {"phone_number": "0422 222 222"},
                                     {"email": "no-phone@example.com"}])
    body = assert_envelope(client.post("/sms-campaigns/send", json={"list_id": lst["list_id"], "name": "Outage", "from": "SOCTeam",
                                                                    "body": "Service restored. StopMsg.me/xxxxx"}))
    campaign = body["data"]
    assert set(campaign) == CAMPAIGN_KEYS
    assert (campaign["list_id"], campaign["_list_name"]) == (lst["list_id"], "Customers")
    assert (campaign["_total_count"], campaign["status"]) == (3, "Queued")
    assert (campaign["from"], campaign["unsubscribe_link"], campaign["custom_string"]) == ("SOCTeam", 1, None)
    rows = sim.history
    assert [r["to"] for r in rows] == ["+61411111111", "+61422222222"]  # the e-mail-only contact cannot get an SMS
    assert {r["custom_string"] for r in rows} == {f"sms_campaign_{campaign['sms_campaign_id']}"}
    assert rows[0]["first_name"] == "Jane" and rows[0]["list_id"] == str(lst["list_id"])


def test_scheduled_campaign_and_errors(client, sim):
    lst = sim.add_list("L", [{"phone_number": "+61411111111"}])
    later = int(time.time()) + 3600
    request = {"list_id": str(lst["list_id"]), "name": "n", "body": "b", "schedule": later}
    campaign = client.post("/sms-campaigns/send", json=request).json()["data"]
    assert (campaign["status"], campaign["schedule"], campaign["from"]) == ("Scheduled", later, "+61447254068")
    assert sim.history[0]["status"] == "Scheduled"
    errors = assert_envelope(client.post("/sms-campaigns/send", json={"from": "Big SOC", "schedule": "soon"}), 400, "BAD_REQUEST")["data"]
    assert set(errors) == {"list_id", "name", "body", "from", "schedule"}
    assert_envelope(client.post("/sms-campaigns/send", json={"list_id": 1, "name": "n", "body": "b"}), 404, "NOT_FOUND")


def test_campaign_limit_is_20000(client, sim):
    lst = sim.add_list("Huge")
    with sim.state.lock:
        for n in range(20001):
            sim.state.add_contact(lst["list_id"], phone_number=f"+614{n:08d}")
    assert_envelope(client.post("/sms-campaigns/send", json={"list_id": lst["list_id"], "name": "n", "body": "b"}), 400, "TOO_MANY_RECIPIENTS")
    assert sim.sent == []


def test_sdk_parses_the_campaign(sim):
    sdk = pytest.importorskip("clicksend")
    lst = sim.add_list("L", [{"phone_number": "+61411111111"}])
    cfg = sdk.Configuration(host=sim.root_url, username=sim.username, password=sim.api_key)
    with sdk.ApiClient(cfg) as api:
        answer = sdk.SmsCampaignsApi(api).send_sms_campaign(
            send_sms_campaign_request=sdk.SendSmsCampaignRequest(list_id=lst["list_id"], name="n", body="b", var_from="SOCTeam", senders=[]))
    assert answer.data.total_count == 1 and answer.data.list_name == "L"

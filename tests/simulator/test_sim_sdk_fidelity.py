"""Drive the simulator with ClickSend's official Python SDK (clicksend-client 6.0.2, import name ``clicksend``).

The SDK's pydantic models are strict (StrictInt/StrictStr...): if it parses an answer, the simulator's key
names and value types match ClickSend's published OpenAPI document. Note: the PyPI distribution
``clicksend-client`` installs the package ``clicksend`` (``clicksend_client`` is the app's own module).
"""

from __future__ import annotations

import time

import pytest


clicksend = pytest.importorskip("clicksend")

from clicksend import ApiClient, Configuration, ManagementApi, SmsApi  # noqa: E402
from clicksend.exceptions import ApiException  # noqa: E402
from clicksend.models import (  # noqa: E402
    CalculateSmsPriceRequest,
    CalculateSmsPriceRequestMessagesInner,
    CreateSmsInboundAutomationRequest,
    SendSmsRequest,
    SendSmsRequestMessagesInner,
)


@pytest.fixture
def api(sim):
    cfg = Configuration(host=sim.root_url, username=sim.username, password=sim.api_key)  # SDK paths start with /v3
    with ApiClient(cfg) as client:
        yield client


def test_account(api, sim):
    resp = ManagementApi(api).view_account_details()
    assert resp.http_code == 200 and resp.response_code == "SUCCESS"
    assert resp.data.username == sim.username
    assert resp.data.balance == "42.510000"
    assert resp.data.currency.currency_name_short == "AUD"
    assert resp.data.subaccount.api_key == sim.api_key  # the real API returns it too


def test_send_price_history(api, sim):
    sms = SmsApi(api)
    future = int(time.time()) + 3600
    req = SendSmsRequest(messages=[
        SendSmsRequestMessagesInner(to="+61411111111", body="Alert 123: host isolated", var_from="SOCTeam", custom_string="soar-1",
                                    source="soar"),
        SendSmsRequestMessagesInner(to="+61422222222", body="later", schedule=future),
        SendSmsRequestMessagesInner(to="not-a-number", body="x"),
    ])
    sent = sms.send_sms(send_sms_request=req)
    assert sent.response_code == "SUCCESS"
    assert (sent.data.total_count, sent.data.queued_count, sent.data.blocked_count) == (3, 2, 0)
    assert sent.data.currency.currency_name_short == "AUD"
    assert [m.status for m in sent.data.messages] == ["SUCCESS", "SUCCESS", "INVALID_RECIPIENT"]
    assert sent.data.messages[1].schedule == future
    assert sent.data.messages[0].var_from == "SOCTeam"
    assert len(sim.sent) == 2

    price = sms.calculate_sms_price(calculate_sms_price_request=CalculateSmsPriceRequest(messages=[
        CalculateSmsPriceRequestMessagesInner(to="+61411111111", body="a" * 161),
    ]))
    assert price.data.total_price == pytest.approx(0.1584)
    assert price.data.messages[0].message_parts == 2 and price.data.messages[0].var_date == ""

    mid = sent.data.messages[0].message_id
    hist = sms.view_sms_history(q=f"message_id:{mid}", order_by="date:desc", limit=15)
    assert hist.data.total == 1
    row = hist.data.data[0]
    assert (row.message_id, row.status, row.status_code, row.custom_string) == (mid, "Sent", "201", "soar-1")
    assert row.api_username == sim.username
    scheduled = sms.view_sms_history(q="status:Scheduled")
    assert scheduled.data.total == 1 and scheduled.data.data[0].status_code == "200"
    everything = sms.view_sms_history(page=1, limit=100, date_from=0, date_to=future)
    assert everything.data.per_page == 100 and everything.data.var_from == 1 and everything.data.to == 2


def test_list_send(api, sim):
    lst = sim.add_list("SOC on-call", [{"phone_number": "+61411111111"}, {"phone_number": "+61422222222"}])
    sent = SmsApi(api).send_sms(send_sms_request=SendSmsRequest(messages=[
        SendSmsRequestMessagesInner(list_id=str(lst["list_id"]), body="page"),
    ]))
    assert sent.data.queued_count == 2
    assert {m.list_id for m in sent.data.messages} == {str(lst["list_id"])}


def test_inbound_automations(api, sim):
    sms = SmsApi(api)
    created = sms.create_sms_inbound_automation(create_sms_inbound_automation_request=CreateSmsInboundAutomationRequest(
        dedicated_number="*", rule_name="SOAR poll", message_search_type=0, message_search_term="", action="POLL",
        action_address="", enabled=1,
    ))
    rule_id = created.data.inbound_rule_id
    assert isinstance(rule_id, int) and created.data.action == "POLL"
    listing = sms.view_sms_inbound_automations()
    assert listing.data.total == 1 and listing.data.data[0].inbound_rule_id == rule_id
    assert listing.data.first_page_url.endswith("page=1")
    deleted = sms.delete_sms_inbound_automation(inbound_rule_id=str(rule_id))
    assert deleted.data == []
    assert sms.view_sms_inbound_automations().data.total == 0


def test_sdk_sees_errors(sim):
    cfg = Configuration(host=sim.root_url, username=sim.username, password="wrong")
    with ApiClient(cfg) as client, pytest.raises(ApiException) as info:
        ManagementApi(client).view_account_details()
    assert info.value.status == 401

"""Inbound SMS endpoints of the simulator, driven by ClickSend's official Python SDK (``clicksend``).

The SDK's strict pydantic models parse every answer: the field names and types match ClickSend's OpenAPI
document (``InboundSms``, ``ViewInboundSmsData``, ``MarkSpecificInboundSmsMessageAsRead.data: int``...).
"""

from __future__ import annotations

import pytest
from clicksend_sim.routes_inbound import fail_inbound_page, unread_ids


clicksend = pytest.importorskip("clicksend")

from clicksend import ApiClient, Configuration, SmsApi  # noqa: E402
from clicksend.exceptions import ApiException  # noqa: E402
from clicksend.models import MarkSmsReceiptAsReadRequest  # noqa: E402


ORIGINAL = "1EF54639-F16D-681E-947A-4F4FCDFD2B87"


@pytest.fixture
def sms(sim):
    cfg = Configuration(host=sim.root_url, username=sim.username, password=sim.api_key)
    with ApiClient(cfg) as client:
        yield SmsApi(client)


def add_three(sim):
    sim.add_inbound_message("+61411111111", "Hello there", timestamp=1000)
    sim.add_inbound_message(
        "+61422222222", "YES please", original_message_id=ORIGINAL, original_body="Approve?", custom_string="soar:container:42", timestamp=2000
    )
    sim.add_inbound_message("+61433333333", "later reply", original_message_id=ORIGINAL, timestamp=3000)
    return unread_ids(sim)


@pytest.fixture
def three(sim):
    """Three unread messages that arrived while no rule existed."""
    return add_three(sim)


@pytest.fixture
def polled(sim):
    """Two POLL rules, then three messages: each is captured twice."""
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_inbound_rule(action="POLL", enabled=1, rule_name="second")
    return add_three(sim)


def test_no_poll_rule_lists_nothing(sms, sim, three):
    sim.add_inbound_rule(action="URL", enabled=1, action_address="https://example.com/hook")
    sim.add_inbound_rule(action="POLL", enabled=0)
    page = sms.view_inbound_sms(page=1, limit=15)
    assert page.response_code == "SUCCESS"
    assert (page.data.total, page.data.last_page, page.data.data) == (0, 1, [])


def test_a_rule_created_later_does_not_reveal_older_messages(sms, sim, three):
    sim.add_inbound_rule(action="POLL", enabled=1)
    assert sms.view_inbound_sms(page=1, limit=15).data.total == 0
    newer = sim.add_inbound_message("+61444444444", "new", timestamp=4000)
    assert [m.message_id for m in sms.view_inbound_sms(page=1, limit=15).data.data] == [newer["message_id"]]
    assert unread_ids(sim) == [*three, newer["message_id"]]  # the old ones are stored, just not captured


def test_each_poll_rule_lists_every_unread_message_once(sms, sim, polled):
    three = polled
    page = sms.view_inbound_sms(page=1, limit=15)
    assert page.data.total == 6 and page.data.per_page == 15 and page.data.current_page == 1
    assert [m.message_id for m in page.data.data] == three + three
    reply = page.data.data[1]
    assert reply.var_from == "+61422222222"
    assert reply.to == "+61447254068"
    assert reply.timestamp == 2000
    assert (reply.original_message_id, reply.original_body, reply.custom_string) == (ORIGINAL, "Approve?", "soar:container:42")
    assert reply.keyword == "yes"
    assert page.data.data[0].original_message_id == "" and page.data.data[0].custom_string == ""


def test_pages_of_15_to_100(sms, sim):
    sim.add_inbound_rule(action="POLL", enabled=1)
    for n in range(20):
        sim.add_inbound_message("+61411111111", f"message {n}", timestamp=n)
    first = sms.view_inbound_sms(page=1, limit=15)
    second = sms.view_inbound_sms(page=2, limit=15)
    assert (first.data.last_page, len(first.data.data), len(second.data.data)) == (2, 15, 5)
    assert first.data.next_page_url is not None and second.data.prev_page_url is not None
    assert sms.view_inbound_sms(page=1, limit=100).data.total == 20


def test_marking_one_message_read_clears_all_its_copies(sms, sim, polled):
    three = polled
    answer = sms.mark_specific_inbound_sms_message_as_read(three[0])
    assert answer.response_code == "SUCCESS"
    assert answer.data == 1
    assert [m.message_id for m in sms.view_inbound_sms(page=1, limit=15).data.data] == three[1:] + three[1:]
    assert unread_ids(sim) == three[1:]
    again = sms.mark_specific_inbound_sms_message_as_read(three[0])  # already read: HTTP 200, nothing marked
    assert (again.http_code, again.data) == (200, 0)


def test_marking_an_unknown_message_read_answers_0(sms, sim, polled):
    answer = sms.mark_specific_inbound_sms_message_as_read("00000000-0000-0000-0000-000000000000")
    assert (answer.http_code, answer.response_code, answer.data) == (200, "SUCCESS", 0)
    assert unread_ids(sim) == polled


def test_mark_all_read_before_a_date_and_then_everything(sms, sim, polled):
    three = polled
    answer = sms.mark_inbound_sms_as_read(mark_sms_receipt_as_read_request=MarkSmsReceiptAsReadRequest(date_before=2500))
    assert answer.response_code == "SUCCESS" and answer.data is None
    assert answer.response_msg == "Inbound messages have been marked as read."
    assert unread_ids(sim) == three[2:]
    sms.mark_inbound_sms_as_read()
    assert unread_ids(sim) == []
    assert sms.view_inbound_sms(page=1, limit=15).data.total == 0


def test_the_first_reply_to_an_outbound_message_even_when_read(sms, sim, three):
    sms.mark_specific_inbound_sms_message_as_read(three[1])
    reply = sms.view_a_specific_inbound_sms_message(ORIGINAL.lower())
    assert reply.data.message_id == three[1]
    assert reply.data.body == "YES please"
    with pytest.raises(ApiException) as err:
        sms.view_a_specific_inbound_sms_message("00000000-0000-0000-0000-000000000000")
    assert err.value.status == 404


def test_page_fault_helper_fails_only_the_chosen_page(sms, sim):
    sim.add_inbound_rule(action="POLL", enabled=1)
    for n in range(20):
        sim.add_inbound_message("+61411111111", f"message {n}", timestamp=n)
    fail_inbound_page(sim, page=2, status=503)
    assert len(sms.view_inbound_sms(page=1, limit=15).data.data) == 15
    with pytest.raises(ApiException) as err:
        sms.view_inbound_sms(page=2, limit=15)
    assert err.value.status == 503
    assert len(sms.view_inbound_sms(page=2, limit=15).data.data) == 5

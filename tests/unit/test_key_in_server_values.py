"""A server may put the API key where the app expects an id or a name (an inbound message id, a list id, the account's
username, a message body): the key must still appear nowhere SOAR keeps or shows text: results, progress, the debug
log, the state file, and the containers and artifacts on poll saves."""

import json

import clicksend_api
from tests.conftest import API_KEY, BASE_URL, MANIFEST, envelope
from tests.unit.test_action_on_poll import READ_URL, Inbox, inbound
from tests.unit.test_actions_contacts import LISTS_URL, a_contact, a_list, paged


def assert_key_nowhere(platform):
    saved = json.dumps([platform.containers, platform.artifacts], default=str)
    assert API_KEY not in platform.all_output()
    assert API_KEY not in saved


def test_on_poll_masks_a_key_given_as_message_id_sender_and_body(run, platform, requests_mock):
    message = inbound(API_KEY, 1700000000, sender=API_KEY, body=f"the key is {API_KEY}")
    Inbox(requests_mock, [message])
    run("on_poll", {"container_count": 10}, poll_now=True)
    assert run.out["status"] == "success", run.out
    assert [r.path for r in requests_mock.request_history if r.method == "PUT"] == [f"/v3/sms/inbound-read/{API_KEY}".lower()]
    assert len(platform.containers) == 1
    assert_key_nowhere(platform)


def test_list_inbound_messages_masks_a_key_given_as_message_id(run, platform, requests_mock):
    Inbox(requests_mock, [inbound(API_KEY, 1700000000)])
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "success", run.result["message"]
    assert any(r.url.startswith(READ_URL) for r in requests_mock.request_history)
    assert_key_nowhere(platform)


def test_delete_contact_masks_a_key_given_as_list_id(run, platform, requests_mock):
    requests_mock.get(LISTS_URL, json=paged([a_list(API_KEY)]))
    requests_mock.get(f"{LISTS_URL}/{API_KEY}/contacts", json=paged([a_contact(77, API_KEY)]))
    requests_mock.delete(f"{LISTS_URL}/{API_KEY}/contacts/77", json=envelope([]))
    run("delete_contact", {"contact_id": 77})
    assert run.result["status"] == "success", run.result["message"]
    assert [r.method for r in requests_mock.request_history] == ["GET", "GET", "DELETE"]
    assert_key_nowhere(platform)


def test_an_account_whose_username_is_the_key_is_not_cached_with_it(run, platform, requests_mock):
    account = {"user_id": 1, "username": API_KEY, "balance": "3.50", "default_country_sms": "AU", "setting_sms_message_char_limit": 918}
    requests_mock.get(f"{BASE_URL}/account", json=envelope(account))
    run("get_account", {})
    assert run.result["status"] == "success", run.result["message"]
    with open(platform.state_path("1", MANIFEST["appid"]), encoding="utf-8") as handle:
        cached = json.load(handle)[clicksend_api.ACCOUNT_CACHE_KEY]
    assert cached["default_country"] == "AU" and cached["username"] == "***"
    assert_key_nowhere(platform)

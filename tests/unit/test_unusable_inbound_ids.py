"""Unread messages whose id the app cannot use (missing, or with characters unsafe in a URL path) cannot be ingested
or marked read: they stay unread at ClickSend, and the result says so rather than "no unread SMS"."""

import pytest

from tests.unit.test_action_on_poll import ID_A, Inbox, inbound, puts


UNUSABLE = ["bad_id_1", "a/../b", "ＡＢＣ１", "", None]
SENTENCE = (
    "without a usable message_id (missing, or not letters, digits and '-'), which the app can neither ingest safely nor "
    "mark read: they stay unread at ClickSend"
)


def unusable_messages():
    return [inbound(message_id, 1700000000 + n) for n, message_id in enumerate(UNUSABLE)]


@pytest.mark.parametrize("action", ["on_poll", "list_inbound_messages"])
def test_only_unusable_ids_are_not_reported_as_an_empty_inbox(run, requests_mock, platform, action):
    Inbox(requests_mock, unusable_messages())
    run(action, {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["message"].startswith("No unread inbound")
    assert f"; 5 listed messages {SENTENCE}" in run.result["message"]
    assert puts(requests_mock) == [] and platform.containers == {}


def test_usable_messages_beside_unusable_ones_are_ingested_and_the_rest_named(run, requests_mock, platform):
    Inbox(requests_mock, [*unusable_messages(), inbound(ID_A, 1700000100)])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["message"].startswith("Ingested 1 unread inbound SMS")
    assert run.result["message"].endswith(f"; 5 listed messages {SENTENCE}")
    assert puts(requests_mock) == [ID_A] and len(platform.containers) == 1


def test_list_inbound_messages_names_them_beside_what_it_listed(run, requests_mock):
    Inbox(requests_mock, [inbound(ID_A, 1700000100), inbound("x/y", 1700000101)])
    run("list_inbound_messages", {"mark_read": True})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["message"] == f"Listed 1 unread inbound message and marked it read; 1 listed message {SENTENCE}"

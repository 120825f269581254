"""Delivery receipts in on poll: exact requests, the artifact each receipt becomes in its container, and the mark-read
cut-off that never marks an unsaved receipt read (clicksend_receipts' docstring explains the scheme)."""

import math

import pytest

import clicksend_consts as consts
import clicksend_marker
import clicksend_receipts
from clicksend_connector import ClickSendConnector
from tests.conftest import BASE_URL, MANIFEST, envelope


APPID = MANIFEST["appid"]
SECRET = "5ec2e7" * 10
SETTLE = consts.RECEIPT_SETTLE_SECONDS
T0 = 1_700_000_000


def page(items, current=1, last=1):
    return envelope({"total": len(items), "per_page": 100, "current_page": current, "last_page": last, "data": list(items)})


def marker(container_id):
    return clicksend_marker.make(SECRET, "1", container_id)


def receipt(n, stamp, container_id=None, code="201", **extra):
    item = {
        "timestamp_send": stamp - 5,
        "timestamp": stamp,
        "message_id": f"AAAAAAAA-0000-4000-8000-{n:012d}",
        "status_code": code,
        "status_text": "Success: Message received on handset." if code == "201" else "Failed: unknown subscriber.",
        "error_code": None if code == "201" else "8",
        "error_text": None if code == "201" else "Unknown subscriber",
        "custom_string": marker(container_id) if container_id else None,
        "subaccount_id": 1,
        "message_type": "sms",
        "digits": None,
    }
    item.update(extra)
    return item


class World:
    """An asset with a marker secret, containers 42 and 43, an inbound POLL rule, no inbound SMS, and the receipts given."""

    def __init__(self, requests_mock, platform, monkeypatch, receipts=(), rules=True, now=T0 + 10 * SETTLE, pages=1):
        platform.write_state("1", APPID, {clicksend_marker.STATE_KEY: SECRET})
        for container_id in (42, 43):
            platform.add_container({"id": container_id, "name": f"Incident {container_id}", "label": "events"})
        monkeypatch.setattr(clicksend_receipts, "_now", lambda: now)
        self.receipts = list(receipts)
        self.pages = pages
        rule = {"receipt_rule_id": 201, "rule_name": "r", "match_type": 0, "action": "POLL", "enabled": 1}
        requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=page([{"inbound_rule_id": 1, "action": "POLL", "enabled": 1}]))
        requests_mock.get(f"{BASE_URL}/sms/inbound", json=page([]))
        requests_mock.get(f"{BASE_URL}/automations/sms/receipts", json=page([rule] if rules else []))
        requests_mock.get(f"{BASE_URL}/sms/receipts", json=self._page)
        self.put = requests_mock.put(f"{BASE_URL}/sms/receipts-read", json=envelope(None, "Receipts have been marked as read."))

    def _page(self, request, context):
        number = int(request.qs["page"][0])
        size = max(1, math.ceil(len(self.receipts) / self.pages))
        return page(self.receipts[(number - 1) * size : number * size], number, self.pages)

    def marked_before(self):
        return [request.json()["date_before"] for request in self.put.request_history]


def calls(requests_mock):
    return [(r.method, r.url.replace(BASE_URL, "")) for r in requests_mock.request_history]


def receipt_artifacts(platform, container_id):
    return [a for a in platform.container_artifacts(container_id) if a["name"] == "Delivery receipt"]


def test_each_receipt_goes_to_the_container_that_sent_it_then_all_are_marked_read(run, requests_mock, platform, monkeypatch):
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42), receipt(2, T0 + 1, 43, code="301"), receipt(3, T0 + 2)])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        ("GET", "/automations/sms/inbound?page=1&limit=100"),
        ("GET", "/sms/inbound?page=1&limit=100"),
        ("GET", "/automations/sms/receipts?page=1&limit=100"),
        ("GET", "/sms/receipts?page=1&limit=100"),
        ("PUT", "/sms/receipts-read"),
    ]
    assert world.marked_before() == [T0 + 3]  # the newest is long past: everything up to it, itself included
    (one,) = receipt_artifacts(platform, 42)
    assert one["cef"] == {
        "message_id": "AAAAAAAA-0000-4000-8000-000000000001",
        "status_code": "201",
        "status_text": "Success: Message received on handset.",
        "custom_string": marker(42),
        "delivered": True,
        "is_final": True,
        "receipt_time": "2023-11-14T22:13:20Z",
        "sent_time": "2023-11-14T22:13:15Z",
    }
    assert one["cef_types"] == {"message_id": ["clicksend message id"]}
    assert one["source_data_identifier"] == f"receipt:AAAAAAAA-0000-4000-8000-000000000001:201:{T0}"
    assert one["run_automation"] is True and one["label"] == "sms" and one["type"] == "receipt"
    (two,) = receipt_artifacts(platform, 43)
    assert (two["cef"]["delivered"], two["cef"]["error_text"]) == (False, "Unknown subscriber")
    assert len(platform.containers) == 2  # the receipt of a message not sent from a container is counted, not a container
    assert run.result["summary"] == {
        "ingested": 0,
        "new_containers": 0,
        "threaded_replies": 0,
        "already_ingested": 0,
        "failed": 0,
        "more_waiting": False,
        "receipts_added": 2,
        "receipts_already_ingested": 0,
        "receipts_without_container": 1,
        "receipts_failed": 0,
    }
    assert run.result["message"] == (
        "No unread inbound SMS at ClickSend; 3 delivery receipts (2 added to their message's container, 0 already in SOAR, "
        "1 for messages not sent from a container of this asset)"
    )


def test_receipts_younger_than_the_settling_margin_stay_unread_and_are_found_saved_next_time(run, requests_mock, platform, monkeypatch):
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42), receipt(2, T0 + 5, 42)], now=T0 + 6)
    run("on_poll", {})
    assert world.marked_before() == []  # receipts younger than the settling margin stay unread: one may still arrive
    # stamped among them
    run("on_poll", {})
    assert run.result["summary"]["receipts_already_ingested"] == 2  # read again, found saved: no duplicate artifact
    assert len(receipt_artifacts(platform, 42)) == 2


def test_a_receipt_that_cannot_be_saved_holds_back_the_mark_read_and_fails_the_poll(run, requests_mock, platform, monkeypatch):
    receipts = [receipt(1, T0, 42), receipt(2, T0 + 1, 43), receipt(3, T0 + 1, 42), receipt(4, T0 + 2, 42)]
    world = World(requests_mock, platform, monkeypatch, receipts)
    monkeypatch.setattr(ClickSendConnector, "save_artifact", _failing_for(43, ClickSendConnector.save_artifact))
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert world.marked_before() == [T0 + 1]  # only what came before the unsaved one's second
    first = "AAAAAAAA-0000-4000-8000-000000000002: the platform did not save its artifact in container 43"
    assert f"1 delivery receipt could not be saved (first: {first}" in run.result["message"]
    assert run.result["summary"]["receipts_failed"] == 1
    assert len(receipt_artifacts(platform, 42)) == 3  # the others are saved all the same


def _failing_for(container_id, original):
    def save_artifact(self, artifact):
        if artifact.get("container_id") == container_id:
            return False, "Simulated platform failure", None
        return original(self, artifact)

    return save_artifact


def test_when_nothing_is_saved_nothing_is_marked_read(run, requests_mock, platform, monkeypatch):
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42)])
    monkeypatch.setattr(ClickSendConnector, "save_artifact", _failing_for(42, ClickSendConnector.save_artifact))
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert world.marked_before() == []


def test_an_unsaved_receipt_without_a_timestamp_stops_all_marking(run, requests_mock, platform, monkeypatch):
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42), receipt(2, T0, 43, timestamp=None)])
    monkeypatch.setattr(ClickSendConnector, "save_artifact", _failing_for(43, ClickSendConnector.save_artifact))
    run("on_poll", {})
    assert world.marked_before() == []


def test_a_listing_longer_than_one_poll_reads_is_marked_up_to_its_last_receipt_read(run, requests_mock, platform, monkeypatch):
    monkeypatch.setattr(consts, "RECEIPTS_MAX_PAGES", 1)
    world = World(requests_mock, platform, monkeypatch, [receipt(n, T0 + n, 42) for n in range(1, 7)], pages=2)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert world.marked_before() == [T0 + 3]  # read 1-3 of 6: receipts stamped T0 + 3 may be among those not read
    assert run.result["message"].endswith("for messages not sent from a container of this asset) with more waiting")


def test_an_unsorted_listing_not_read_to_its_end_is_not_marked_read(run, requests_mock, platform, monkeypatch):
    monkeypatch.setattr(consts, "RECEIPTS_MAX_PAGES", 1)
    unsorted = [receipt(2, T0 + 2, 42), receipt(1, T0 + 1, 42), receipt(3, T0 + 3, 42)]
    world = World(requests_mock, platform, monkeypatch, unsorted, pages=2)
    run("on_poll", {})
    assert world.marked_before() == []
    assert len(receipt_artifacts(platform, 42)) == 2


def test_without_a_receipt_poll_rule_no_receipts_are_read(run, requests_mock, platform, monkeypatch):
    World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42)], rules=False)
    run("on_poll", {})
    assert run.result["status"] == "success"
    assert ("GET", "/sms/receipts?page=1&limit=100") not in calls(requests_mock)
    assert "receipts_added" not in run.result["summary"]
    assert run.result["message"] == "No unread inbound SMS at ClickSend"


def test_unreadable_receipt_rules_are_a_note_not_a_failure(run, requests_mock, platform, monkeypatch):
    World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42)])
    requests_mock.get(f"{BASE_URL}/automations/sms/receipts", status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    run("on_poll", {})
    assert run.result["status"] == "success"
    assert run.result["message"].startswith("No unread inbound SMS at ClickSend; delivery receipt rules could not be checked (ClickSend refused")


def test_a_failed_receipts_read_fails_the_poll_after_its_sms_were_ingested(run, requests_mock, platform, monkeypatch):
    World(requests_mock, platform, monkeypatch)
    requests_mock.get(f"{BASE_URL}/sms/receipts", status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert "reading delivery receipts failed (ClickSend refused GET sms/receipts with HTTP 403" in run.result["message"]


def test_a_failed_mark_read_fails_the_poll_and_the_next_one_finds_them_saved(run, requests_mock, platform, monkeypatch):
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42)])
    requests_mock.put(f"{BASE_URL}/sms/receipts-read", status_code=400, json=envelope(None, "Bad request.", "BAD_REQUEST", 400))
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert "marking delivery receipts read failed (ClickSend refused PUT sms/receipts-read with HTTP 400" in run.result["message"]
    assert len(receipt_artifacts(platform, 42)) == 1
    world.put = requests_mock.put(f"{BASE_URL}/sms/receipts-read", json=envelope(None))
    run("on_poll", {})
    assert run.result["status"] == "success"
    assert run.result["summary"]["receipts_already_ingested"] == 1 and world.marked_before() == [T0 + 1]


def test_a_receipt_of_a_deleted_container_is_counted_and_the_platforms_trouble_is_a_failure(run, requests_mock, platform, monkeypatch):
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 77), receipt(2, T0 + 1, 42)])
    run("on_poll", {})
    assert run.result["summary"]["receipts_without_container"] == 1 and world.marked_before() == [T0 + 2]
    monkeypatch.setattr(ClickSendConnector, "get_container_info", lambda self, container_id=None: (False, "Server error", 503))
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert "the platform could not say whether container 77 exists (status 503)" in run.result["message"]


def test_forged_markers_thread_nothing(run, requests_mock, platform, monkeypatch):
    forged = [receipt(1, T0, custom_string="soar:42:" + "0" * 20), receipt(2, T0, custom_string="soar:container:42")]
    World(requests_mock, platform, monkeypatch, forged)
    run("on_poll", {})
    assert receipt_artifacts(platform, 42) == []
    assert run.result["summary"]["receipts_without_container"] == 2


def test_a_receipt_listed_twice_is_saved_once(run, requests_mock, platform, monkeypatch):
    World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42), receipt(1, T0, 42)])
    run("on_poll", {})
    assert run.result["summary"]["receipts_added"] == 1 and run.result["summary"]["receipts_already_ingested"] == 0


@pytest.mark.parametrize(
    ("done", "not_done", "undated", "complete", "sorted_", "last", "read_at", "expected"),
    [
        ([], [], False, True, True, None, T0, None),  # nothing read
        ([T0], [], False, True, True, T0, T0 + SETTLE, T0 + 1),  # settled: its second too
        ([T0], [], False, True, True, T0, T0 + SETTLE - 1, None),  # not settled: T0 would mark nothing
        ([T0, T0 + 5], [], False, True, True, T0 + 5, T0 + 6, None),  # all recent: nothing until they settle
        ([T0, T0 + 5], [], False, True, True, T0 + 5, T0 + SETTLE + 3, T0 + 4),  # only what settled: T0 + 5 stays unread
        ([T0, 9_999_999_999], [], False, True, True, 9_999_999_999, T0 + 10 * SETTLE, T0 + 9 * SETTLE + 1),  # a future stamp
        ([T0, T0 + 2], [T0 + 1], False, True, True, T0 + 2, T0 + 10 * SETTLE, T0 + 1),  # below the unsaved one
        ([T0 + 1, T0 + 2], [T0], False, True, True, T0 + 2, T0 + 10 * SETTLE, None),  # the oldest is unsaved: nothing
        ([T0, T0 + 1], [T0], False, True, True, T0 + 1, T0 + 10 * SETTLE, None),  # same second as an unsaved one stays
        ([T0, T0 + 1], [], True, True, True, T0 + 1, T0 + 10 * SETTLE, None),  # an undated unsaved one: nothing
        ([T0, T0 + 4], [], False, False, True, T0 + 4, T0 + 10 * SETTLE, T0 + 4),  # not read to its end: up to the last read
        ([T0, T0 + 4], [], False, False, False, T0 + 4, T0 + 10 * SETTLE, None),  # ...unless it was not oldest first
    ],
)
def test_mark_read_before(done, not_done, undated, complete, sorted_, last, read_at, expected):
    assert clicksend_receipts.mark_read_before(done, not_done, undated, complete, sorted_, last, read_at) == expected

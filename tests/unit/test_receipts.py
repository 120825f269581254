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


TO = "+61411111111"  # where every message of these tests went (SMS history says so)


def marker(container_id, to=TO):
    return clicksend_marker.make(SECRET, "1", container_id, to)


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
        requests_mock.get(f"{BASE_URL}/sms/history", json=self._history)
        self.put = requests_mock.put(f"{BASE_URL}/sms/receipts-read", json=envelope(None, "Receipts have been marked as read."))
        self.sent_to: dict = {}  # message id (upper case) -> the number it went to, when not TO

    def _page(self, request, context):
        number = int(request.qs["page"][0])
        size = max(1, math.ceil(len(self.receipts) / self.pages))
        items = self.receipts[(number - 1) * size : number * size]
        return envelope({"total": len(self.receipts), "per_page": 100, "current_page": number, "last_page": self.pages, "data": items})

    def _history(self, request, context):
        message_id = request.qs["q"][0].split(":", 1)[1].upper()
        return page([{"message_id": message_id, "to": self.sent_to.get(message_id, TO), "direction": "out"}])

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
        # a receipt carries no number: the marked messages' numbers come from SMS history (the marker is bound to it)
        ("GET", "/sms/history?q=message_id%3AAAAAAAAA-0000-4000-8000-000000000001"),
        ("GET", "/sms/history?q=message_id%3AAAAAAAAA-0000-4000-8000-000000000002"),
        ("GET", "/sms/receipts?page=1&limit=100"),  # did receipts arrive meanwhile? (none: its total is unchanged)
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
    assert one["run_automation"] is False  # a receipt never runs the container's playbooks again
    assert one["label"] == "sms" and one["type"] == "receipt"
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
    # only what was sent before the unsaved one was sent (its timestamp_send is T0 - 4): safe under either reading
    assert world.marked_before() == [T0 - 4]
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


def test_a_listing_longer_than_one_poll_saves_is_read_to_its_end_and_the_next_poll_goes_on(run, requests_mock, platform, monkeypatch):
    monkeypatch.setattr(consts, "RECEIPTS_SAVE_MAX", 3)
    world = World(requests_mock, platform, monkeypatch, [receipt(n, T0 + 10 * n, 42) for n in range(1, 7)], pages=2)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert len(receipt_artifacts(platform, 42)) == 3
    assert world.marked_before() == [T0 + 31]  # one past the newest saved (the first left for later was sent at T0 + 35)
    assert run.result["message"].endswith("for messages not sent from a container of this asset) with more waiting")
    world.receipts = world.receipts[3:]  # what ClickSend marked read leaves the list
    run("on_poll", {})
    assert len(receipt_artifacts(platform, 42)) == 6 and world.marked_before()[-1] == T0 + 61


@pytest.mark.parametrize("newest_first", [True, False])
def test_a_backlog_of_more_pages_than_one_poll_saves_never_starves_in_either_order(run, requests_mock, platform, monkeypatch, newest_first):
    """Newest first, 2.1.0 read only the newest pages and could never mark anything read again."""
    monkeypatch.setattr(consts, "RECEIPTS_SAVE_MAX", 250)
    backlog = [receipt(n, T0 + n, 42) for n in range(1, 1101)]
    world = World(requests_mock, platform, monkeypatch, backlog[::-1] if newest_first else backlog, pages=11)
    saved = []
    for _ in range(5):
        run("on_poll", {})
        assert run.result["status"] == "success", run.result["message"]
        saved.append(len(receipt_artifacts(platform, 42)))
        cutoff = world.marked_before()[-1]
        world.receipts = [r for r in world.receipts if r["timestamp_send"] >= cutoff]  # ClickSend marks by timestamp_send
        world.pages = max(1, math.ceil(len(world.receipts) / 100))
    assert saved == [250, 500, 750, 1000, 1100]
    assert world.receipts == [] or all(r["timestamp"] >= T0 + 1095 for r in world.receipts)


def test_an_unsaved_receipt_read_later_in_an_unsorted_listing_holds_the_cut_off_back(run, requests_mock, platform, monkeypatch):
    unsorted = [receipt(2, T0 + 20, 42), receipt(1, T0 + 10, 43), receipt(3, T0 + 30, 42)]
    world = World(requests_mock, platform, monkeypatch, unsorted, pages=2)
    monkeypatch.setattr(ClickSendConnector, "save_artifact", _failing_for(43, ClickSendConnector.save_artifact))
    run("on_poll", {})
    assert world.marked_before() == []  # the oldest is unsaved: nothing before it to mark
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
    ("done", "not_done", "read_at", "expected"),
    [
        ([], [], T0, None),  # nothing read
        ([(T0 - 5, T0)], [], T0 + SETTLE, T0 + 1),  # settled: its second too
        ([(T0 - 5, T0)], [], T0 + SETTLE - 1, T0),  # not settled: below its second (its send time is marked under either reading)
        ([(T0 - 5, T0), (T0, T0 + 5)], [], T0 + 6, None),  # all recent: nothing until they settle
        ([(T0 - 5, T0), (T0, T0 + 5)], [], T0 + SETTLE + 3, T0 + 4),  # only what settled: T0 + 5 stays unread
        ([(T0 - 5, T0), (T0, 9_999_999_999)], [], T0 + 10 * SETTLE, T0 + 9 * SETTLE + 1),  # a future stamp
        ([(T0 - 5, T0), (T0 - 3, T0 + 2)], [(T0 - 4, T0 + 1)], T0 + 10 * SETTLE, T0 - 4),  # below the unsaved one's send
        ([(T0 - 4, T0 + 1), (T0 - 3, T0 + 2)], [(T0 - 5, T0)], T0 + 10 * SETTLE, None),  # the first sent is unsaved: nothing
        ([(T0, T0 + 1)], [(T0, T0 + 9)], T0 + 10 * SETTLE, None),  # sent in the same second as an unsaved one: stays
        ([(T0, T0 + 1)], [(None, T0 + 9)], T0 + 10 * SETTLE, None),  # an unsaved one without both stamps: nothing
        ([(T0, T0 + 1)], [(T0 + 5, None)], T0 + 10 * SETTLE, None),
        ([(None, T0 + 1), (T0 - 2, None)], [], T0 + 10 * SETTLE, T0 + 2),  # done ones may miss a stamp
    ],
)
def test_mark_read_before(done, not_done, read_at, expected):
    assert clicksend_receipts.mark_read_before(done, not_done, read_at) == expected


def test_a_copied_marker_on_a_message_to_another_number_threads_nothing(run, requests_mock, platform, monkeypatch):
    """Another client of the account copies container 42's marker (made for TO) into its own SMS to another phone:
    that message's receipt is not the container's."""
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42)])
    world.sent_to["AAAAAAAA-0000-4000-8000-000000000001"] = "+61499999999"
    run("on_poll", {})
    assert receipt_artifacts(platform, 42) == []
    assert run.result["summary"]["receipts_without_container"] == 1


def test_a_poll_that_finds_another_poll_reading_receipts_leaves_them_to_it(run, requests_mock, platform, monkeypatch):
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42)])
    run("test_connectivity")  # any run: the asset's state file exists, so its lock files can be made beside it
    with run.connector.state_file.lock("receipts"):
        run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["message"] == (
        "No unread inbound SMS at ClickSend; delivery receipts were left to another poll of this asset that is reading them "
        "now (ClickSend marks receipts read only all at once, so two polls never read them together)"
    )
    assert ("GET", "/sms/receipts?page=1&limit=100") not in calls(requests_mock) and world.marked_before() == []
    run("on_poll", {})
    assert world.marked_before() == [T0 + 1]


def test_a_listing_that_shrinks_while_it_is_read_marks_nothing_and_fails_loudly(run, requests_mock, platform, monkeypatch):
    """Another client marks receipts read between two of the poll's page reads: the pages move forward under the poll,
    which cannot know what it passed over."""
    receipts = [receipt(n, T0 + n, 42) for n in range(1, 7)]
    world = World(requests_mock, platform, monkeypatch, receipts, pages=2)
    original = world._page

    def page_then_someone_marks(request, context):
        answer = original(request, context)
        if int(request.qs["page"][0]) == 1:
            world.receipts = world.receipts[2:]
        return answer

    requests_mock.get(f"{BASE_URL}/sms/receipts", json=page_then_someone_marks)
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert "the unread delivery receipts changed while the poll read them" in run.result["message"]
    assert world.marked_before() == []


def test_receipts_that_arrive_before_the_mark_read_hold_the_cut_off_below_their_send_time(run, requests_mock, platform, monkeypatch):
    """Were ClickSend to compare the send time, a receipt that arrived while the poll saved, for a message sent before
    the cut-off, would be marked read unsaved: its send time bounds the cut-off."""
    world = World(requests_mock, platform, monkeypatch, [receipt(1, T0, 42), receipt(2, T0 + 10, 42)])
    late = receipt(3, T0 + 10 * SETTLE, 43, timestamp_send=T0 + 3)  # sent at T0 + 3, its receipt came just now
    original_save = ClickSendConnector.save_artifact

    def save_while_a_receipt_arrives(self, artifact):
        if late not in world.receipts:
            world.receipts.append(late)
        return original_save(self, artifact)

    monkeypatch.setattr(ClickSendConnector, "save_artifact", save_while_a_receipt_arrives)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert world.marked_before() == [T0 + 3]
    assert receipt_artifacts(platform, 43) == []  # not saved by this poll, and not marked read under either reading


def test_more_unread_receipts_than_one_poll_can_read_fail_loudly_and_mark_nothing(run, requests_mock, platform, monkeypatch):
    monkeypatch.setattr(consts, "MAX_PAGES", 2)
    world = World(requests_mock, platform, monkeypatch, [receipt(n, T0 + n, 42) for n in range(1, 10)], pages=3)
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert "ClickSend lists more than 2 pages (200) of unread delivery receipts" in run.result["message"]
    assert world.marked_before() == []

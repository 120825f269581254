"""Approvals and receipts that can be trusted (issue 22), end to end through the fake platform against the simulator:
overlapping polls and long or newest-first receipt listings lose no receipt, a receipt is marked read only once saved
whichever time ClickSend compares, artifacts added to an existing container re-run no playbook by default, a copied
marker threads nothing, and one bad message never stops ingestion."""

import time

import pytest
from clicksend_sim.routes_inbound import unread_ids

import clicksend_consts as consts
import clicksend_indicators
import clicksend_receipts
from clicksend_client import ClickSendClient
from clicksend_connector import ClickSendConnector
from tests.conftest import sim_config


DEDICATED = "+61431111112"


@pytest.fixture
def asset(sim):
    return sim_config(sim, default_from=DEDICATED, default_country="AU")


@pytest.fixture
def settled(monkeypatch):
    """Receipts' clock long after the newest receipt: a poll may mark the newest second read too."""
    monkeypatch.setattr(clicksend_receipts, "_now", lambda: time.time() + consts.RECEIPT_SETTLE_SECONDS + 60)


def send_from_container(sim_run, asset, platform, count, container_id=42, start=0):
    if container_id not in platform.containers:
        platform.add_container({"id": container_id, "name": f"Incident {container_id}", "label": "events"})
    numbers = ",".join(f"+614100{n:05d}" for n in range(start, start + count))
    sim_run("send_message", {"to": numbers, "message": "Host WS-042 isolated"}, config=asset, container_id=container_id)
    assert sim_run.result["status"] == "success", sim_run.result["message"]


def receipt_ids(platform, container_id=42):
    return [a["cef"]["message_id"] for a in platform.container_artifacts(container_id) if a["name"] == "Delivery receipt"]


def unread_receipts(sim):
    with sim.state.lock:
        return [r for r in sim.state.receipts if r["message_id"] not in sim.state.receipts_read]


def poll_until_quiet(sim_run, asset, times=6):
    for _ in range(times):
        sim_run("on_poll", {}, config=asset)
        assert sim_run.result["status"] == "success", sim_run.result["message"]
        if sim_run.result["summary"].get("receipts_added", 0) == 0 and sim_run.result["summary"].get("receipts_already_ingested", 0) == 0:
            return


# --- no receipt is marked read unless it is saved ------------------------------------------------------------------


def test_two_overlapping_polls_lose_no_receipt(sim, sim_run, asset, platform, settled, monkeypatch):
    """A scheduled poll and a Poll Now overlap on 1150 receipts: in 2.1.0 the second poll's listing shifted while the first
    marked receipts read, and 99 receipts were marked read unsaved while both polls reported success."""
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_receipt_rule(action="POLL", enabled=1)
    send_from_container(sim_run, asset, platform, 1150)
    original_get = ClickSendClient.get
    overlapped = {}

    def get_with_another_poll_between_pages(client, path, params=None):
        if path == consts.EP_SMS_RECEIPTS and (params or {}).get("page") == 2 and not overlapped:
            overlapped["poll"] = platform.run(ClickSendConnector, "on_poll", parameters=[{}], config=asset, asset_id="1", poll_now=True)
        return original_get(client, path, params)

    monkeypatch.setattr(ClickSendClient, "get", get_with_another_poll_between_pages)
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    monkeypatch.setattr(ClickSendClient, "get", original_get)
    poll_until_quiet(sim_run, asset)
    assert sorted(receipt_ids(platform)) == sorted(r["message_id"] for r in sim.receipts())  # every one saved, once
    assert unread_receipts(sim) == []
    inner = overlapped["poll"]["result_data"][0]
    assert inner["status"] == "success", inner["message"]
    assert "delivery receipts were left to another poll of this asset" in inner["message"]


@pytest.mark.parametrize("read_by", ["timestamp", "timestamp_send"])
def test_a_newest_first_backlog_of_more_than_ten_pages_is_all_ingested_and_marked_read(sim, sim_run, asset, platform, settled, read_by):
    """Newest first with more than 10 pages unread, 2.1.0 never marked anything read again and never reached the older
    receipts, and reported success every time."""
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_receipt_rule(action="POLL", enabled=1)
    sim.state.settings.update(receipts_newest_first=True, receipts_read_by=read_by)
    send_from_container(sim_run, asset, platform, 1100)
    poll_until_quiet(sim_run, asset)
    assert sorted(receipt_ids(platform)) == sorted(r["message_id"] for r in sim.receipts())
    assert unread_receipts(sim) == []


def test_a_receipt_arriving_while_the_poll_saves_is_not_marked_read_even_by_send_time(sim, sim_run, asset, platform, settled, monkeypatch):
    """Were ClickSend to compare the send time (timestamp_send) with date_before, a receipt that came in while the poll
    saved the others, for a message sent earlier, would be marked read unsaved by a cut-off placed by receipt times."""
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_receipt_rule(action="POLL", enabled=1)
    sim.state.settings["receipts_read_by"] = "timestamp_send"
    sim.delivery_delay = 3600  # the first message's receipt comes in an hour
    send_from_container(sim_run, asset, platform, 1)
    sim.delivery_delay = 0
    with sim.state.lock:
        for row in sim.state.history:
            row["date"] -= 600  # sent ten minutes ago
    send_from_container(sim_run, asset, platform, 2, start=1)
    original_save = ClickSendConnector.save_artifact

    def save_while_the_late_receipt_arrives(self, artifact):
        sim.advance(time.time() + 3601)
        return original_save(self, artifact)

    monkeypatch.setattr(ClickSendConnector, "save_artifact", save_while_the_late_receipt_arrives)
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    monkeypatch.setattr(ClickSendConnector, "save_artifact", original_save)
    late = next(r["message_id"] for r in sim.receipts() if r["timestamp"] - r["timestamp_send"] > 3000)
    assert late in [r["message_id"] for r in unread_receipts(sim)] or late in receipt_ids(platform)
    poll_until_quiet(sim_run, asset)
    assert sorted(receipt_ids(platform)) == sorted(r["message_id"] for r in sim.receipts())


# --- artifacts added to an existing container don't re-run playbooks by default ----------------------------------


def test_receipts_and_replies_added_to_a_container_run_no_playbook_unless_the_asset_asks(sim, sim_run, asset, platform, settled):
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_receipt_rule(action="POLL", enabled=1)
    sim.auto_reply("+61410000000", "YES")
    send_from_container(sim_run, asset, platform, 3)
    sim.add_inbound_message("+61499999999", "hello, a new conversation")
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    added = platform.container_artifacts(42)
    assert sorted(a["name"] for a in added) == ["Delivery receipt"] * 3 + ["Reply from +61410000000"]
    assert [a["run_automation"] for a in added] == [False] * 4  # a bulk send re-runs its playbook no time at all
    (new,) = [c for c in platform.containers if c != 42]
    assert platform.container_artifacts(new)[-1]["run_automation"] is True  # a new container's last artifact still does
    sim_run("send_message", {"to": "+61410000000", "message": "Wipe it too?"}, config=asset, container_id=42)
    sim_run("on_poll", {}, config=dict(asset, reply_triggers_playbooks=True))
    (reply,) = [a for a in platform.container_artifacts(42) if a["name"].startswith("Reply") and a not in added]
    assert reply["run_automation"] is True


# --- a marker cannot be replayed -----------------------------------------------------------------------------------


def test_a_marker_copied_into_an_sms_to_another_phone_threads_nothing(sim, sim_run, asset, platform):
    """Another client of the account copies container 42's marker from the SMS history into its own SMS to a phone it
    holds, and answers it: the answer opens a new container, with no automation on container 42."""
    sim.add_inbound_rule(action="POLL", enabled=1)
    send_from_container(sim_run, asset, platform, 1)
    marker = sim.history[0]["custom_string"]
    import requests

    copy = requests.post(
        f"{sim.url}/sms/send",
        auth=sim.auth,
        json={"messages": [{"to": "+61488888888", "from": DEDICATED, "body": "Approve?", "custom_string": marker}]},
        timeout=10,
    ).json()["data"]["messages"][0]
    replayed = sim.add_reply(copy["message_id"], None, "YES")
    assert replayed["custom_string"] == marker
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert [a for a in platform.container_artifacts(42) if a["name"].startswith("Reply")] == []
    opened = [c for c in platform.containers.values() if c["id"] != 42]
    assert [c["source_data_identifier"] for c in opened] == [replayed["message_id"]]


# --- one bad message never stops ingestion -------------------------------------------------------------------------


def test_one_message_that_breaks_indicator_extraction_fails_alone(sim, sim_run, asset, platform, monkeypatch):
    sim.add_inbound_rule(action="POLL", enabled=1)
    messages = [sim.add_inbound_message(f"+6141111111{n}", f"message {n}") for n in range(3)]
    original = clicksend_indicators.message_artifacts

    def breaks_on_the_second(ctx, message):
        if message["message_id"] == messages[1]["message_id"]:
            raise UnicodeEncodeError("utf-8", "\ud83d", 0, 1, "surrogates not allowed")
        return original(ctx, message)

    monkeypatch.setattr(clicksend_indicators, "message_artifacts", breaks_on_the_second)
    for _ in range(2):  # every later poll too: the others are in, the bad one is said again and stays unread
        sim_run("on_poll", {}, config=asset)
        result = sim_run.result
        assert result["status"] == "failed"
        assert f"1 could not be saved (first: {messages[1]['message_id']}: the app met an unexpected UnicodeEncodeError" in result["message"]
        assert "Unexpected error" not in result["message"]
    expected = sorted(m["message_id"] for i, m in enumerate(messages) if i != 1)
    assert sorted(c["source_data_identifier"] for c in platform.containers.values()) == expected
    assert unread_ids(sim) == [messages[1]["message_id"]]


def test_a_lone_surrogate_in_a_body_never_stops_ingestion(sim, sim_run, asset, platform):
    sim.add_inbound_rule(action="POLL", enabled=1)
    bad = sim.add_inbound_message("+61411111111", "see https://evil.example/\ud83d and mail x\ud83d@evil.example")
    good = sim.add_inbound_message("+61422222222", "all fine")
    sim_run("on_poll", {}, config=asset)
    ingested = {c["source_data_identifier"] for c in platform.containers.values()}
    assert good["message_id"] in ingested
    assert "Unexpected error" not in sim_run.result["message"]
    if bad["message_id"] not in ingested:  # until indicators are surrogate-safe, it is that message's failure alone
        assert sim_run.result["status"] == "failed" and bad["message_id"] in sim_run.result["message"]
        assert unread_ids(sim) == [bad["message_id"]]

"""Two-way SMS end to end (connector -> fake platform -> simulator over HTTP): replies and delivery that come while an
action waits (on a fake clock that moves the simulator's time too), on poll and wait for reply in either order and at
once, delivery receipts with a crash at every step, configure polling, and indicators threaded into a container.
"""

import pathlib
import time

import pytest
from clicksend_sim.routes_inbound import unread_ids
from phantom_sdk_stubs import ProcessKilled

import clicksend_consts as consts
import clicksend_receipts
from clicksend_connector import ClickSendConnector
from tests import fake_clock
from tests.conftest import MANIFEST, sim_config
from tests.unit.test_action_wait_for_reply import summary as expected_summary


APPID = MANIFEST["appid"]
ASKED = "+61411111111"
DEDICATED = "+61431111112"


@pytest.fixture
def asset(sim):
    return sim_config(sim, default_from=DEDICATED, default_country="AU")


@pytest.fixture
def clock(monkeypatch, sim):
    """The waits' clock: each pause moves the simulator's time on by as much, so what is due then happens."""
    clock = fake_clock.install(monkeypatch)
    base = time.time()
    clock.hooks.append(lambda elapsed: sim.advance(base + elapsed))
    return clock


@pytest.fixture
def settled(monkeypatch):
    """Receipts' clock long after the newest receipt: a poll may mark the newest second read too."""
    monkeypatch.setattr(clicksend_receipts, "_now", lambda: time.time() + consts.RECEIPT_SETTLE_SECONDS + 60)


def ask(sim, sim_run, asset, platform, container_id=42, text="Isolate host WS-042? Reply YES or NO"):
    if container_id not in platform.containers:
        platform.add_container({"id": container_id, "name": f"Incident {container_id}", "label": "events"})
    sim_run("send_message", {"to": ASKED, "message": text}, config=asset, container_id=container_id)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    return sim_run.result["summary"]["message_ids"][0]


def outcome(kind, message_id="", answer="", waited=0, by=ASKED, superseded=""):
    return expected_summary(kind, answer, waited, by, message_id, superseded)


def reply_artifacts(platform, container_id=42):
    return [a for a in platform.container_artifacts(container_id) if a["name"].startswith("Reply from")]


# --- wait for reply -----------------------------------------------------------------------------------------------


def test_a_reply_that_arrives_while_the_action_waits_is_found_and_left_unread(sim, sim_run, asset, platform, clock):
    sim.auto_reply(ASKED, "yes, go ahead", delay=20)
    message_id = ask(sim, sim_run, asset, platform)
    sim_run("wait_for_reply", {"message_id": message_id, "timeout_minutes": 5, "expected_answers": "YES,NO"}, config=asset)
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert result["summary"] == outcome("answered", message_id, "YES", 30)  # checks at 0, 5, 15, 30 s
    assert clock.sleeps == [5.0, 10.0, 15.0]
    (item,) = result["data"]
    assert (item["from"], item["body"], item["original_message_id"]) == (ASKED, "yes, go ahead", message_id)
    assert unread_ids(sim) == [item["message_id"]]  # the wait marks nothing read: on poll still ingests it


def test_no_reply_in_time_is_a_success_with_replied_false(sim, sim_run, asset, platform, clock):
    message_id = ask(sim, sim_run, asset, platform)
    sim_run("wait_for_reply", {"message_id": message_id, "timeout_minutes": 2}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["summary"] == outcome("no_reply", waited=120)
    replies = [r for r in sim.requests if r["path"] == f"/v3/sms/inbound/{message_id}"]
    assert len(replies) == 10  # 0, 5, 15, 30, ..., 120 s


def test_on_poll_first_then_the_wait_still_finds_the_reply_and_nothing_is_ingested_twice(sim, sim_run, asset, platform, clock):
    sim.add_inbound_rule(action="POLL", enabled=1)
    message_id = ask(sim, sim_run, asset, platform)
    sim.add_reply(message_id, None, "NO")
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["summary"]["threaded_replies"] == 1
    assert unread_ids(sim) == []  # on poll marked it read

    sim_run("wait_for_reply", {"message_id": message_id, "expected_answers": "YES,NO"}, config=asset)
    assert sim_run.result["summary"] == outcome("answered", message_id, "NO")

    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["message"] == "No unread inbound SMS at ClickSend"
    assert len(reply_artifacts(platform)) == 1


def test_the_wait_first_then_on_poll_ingests_the_reply_exactly_once(sim, sim_run, asset, platform, clock):
    sim.add_inbound_rule(action="POLL", enabled=1)
    message_id = ask(sim, sim_run, asset, platform)
    sim.add_reply(message_id, None, "YES")
    sim_run("wait_for_reply", {"message_id": message_id, "expected_answers": "YES,NO"}, config=asset)
    assert sim_run.result["summary"]["answer"] == "YES"
    for _ in range(2):
        sim_run("on_poll", {}, config=asset)
        assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert len(reply_artifacts(platform)) == 1
    assert unread_ids(sim) == []


def test_on_poll_running_while_the_wait_waits_neither_clobbers_the_others_state(sim, sim_run, asset, platform, clock):
    """The platform does not lock the state file: an on poll (and some other run's state change) lands in the middle of
    a wait; the wait still answers, the reply is ingested once, and the state written meanwhile survives the wait."""
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.auto_reply(ASKED, "YES", delay=3)
    message_id = ask(sim, sim_run, asset, platform)
    overlapping = {}

    def overlap(elapsed):
        if overlapping:
            return
        poll = platform.run(ClickSendConnector, "on_poll", parameters=[{}], config=asset, asset_id="1")
        overlapping["poll"] = poll["result_data"][0]
        state = platform.read_state("1", APPID)
        platform.write_state("1", APPID, dict(state, written_meanwhile="by another run"))

    clock.hooks.append(overlap)
    state_before = platform.read_state("1", APPID)
    out = platform.run(
        ClickSendConnector, "wait_for_reply", parameters=[{"message_id": message_id, "expected_answers": "YES"}], config=asset, asset_id="1"
    )
    result = out["result_data"][0]
    assert result["status"] == "success", result["message"]
    assert result["summary"] == outcome("answered", message_id, "YES", 5)
    assert overlapping["poll"]["summary"]["threaded_replies"] == 1
    state = platform.read_state("1", APPID)
    assert state["written_meanwhile"] == "by another run"  # the wait wrote no stale copy over it
    assert state["thread_marker_secret"] == state_before["thread_marker_secret"]
    sim_run("on_poll", {}, config=asset)
    assert len(reply_artifacts(platform)) == 1


def test_a_yes_to_a_later_question_never_approves_an_earlier_one(sim, sim_run, asset, platform, clock):
    """Q1 "reset password?" then Q2 "wipe laptop?" from one container to one person: ClickSend files the YES under Q2.
    The wait on Q1 ends at once as superseded, naming Q2; the wait on Q2 gets the YES."""
    first = ask(sim, sim_run, asset, platform, text="Reset the password of jdoe? Reply YES or NO")
    later = ask(sim, sim_run, asset, platform, text="Wipe laptop WS-042? Reply YES or NO")
    sim.add_reply(first, None, "yes")  # the handset answers; ClickSend files it under the latest message to it
    sim_run("wait_for_reply", {"message_id": first, "expected_answers": "YES,NO"}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["summary"] == outcome("superseded", superseded=later)
    assert sim_run.result["data"] == [] and clock.sleeps == []
    assert sim_run.result["message"].startswith(f"Message {first} was superseded by the later message {later} to {ASKED}")
    sim_run("wait_for_reply", {"message_id": later, "expected_answers": "YES,NO"}, config=asset)
    assert sim_run.result["summary"] == outcome("answered", later, "YES")


def test_a_question_to_several_approvers_is_decided_by_the_first_expected_answer(sim, sim_run, asset, platform, clock):
    platform.add_container({"id": 42, "name": "Incident 42", "label": "events"})
    sim.auto_reply(ASKED, "not sure", delay=3)
    sim.auto_reply("+61422222222", "Yes, approved", delay=20)
    sim_run("send_message", {"to": f"{ASKED},+61422222222", "message": "Wipe laptop WS-042? Reply YES or NO"}, config=asset, container_id=42)
    ids = sim_run.result["summary"]["message_ids"]
    sim_run("wait_for_reply", {"message_id": ",".join(ids), "expected_answers": "YES,NO"}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["summary"] == outcome("answered", ids[1], "YES", 30, by="+61422222222")
    assert [item["body"] for item in sim_run.result["data"]] == ["not sure", "Yes, approved"]


def test_a_reply_from_another_phone_to_a_copied_question_never_answers(sim, sim_run, asset, platform, clock):
    """Another client of the account copies the question (and its marker) into an SMS to a phone it holds; ClickSend
    files that phone's YES under the copy, never under the question: the wait does not take it."""
    question = ask(sim, sim_run, asset, platform)
    sent = next(m for m in sim.sent if m["message_id"] == question)
    copy = sim.state.add_inbound_message  # the forged reply names the real question, from the attacker's phone
    copy("+61499999999", "YES", to=DEDICATED, original_message_id=question, custom_string=sent["custom_string"])
    sim_run("wait_for_reply", {"message_id": question, "expected_answers": "YES,NO", "timeout_minutes": 1}, config=asset)
    assert sim_run.result["summary"] == outcome("no_reply", waited=60)


def test_a_message_from_an_own_number_fails_the_wait_at_once(sim, sim_run, asset, platform, clock):
    sim.add_own_number("+61400000777", country="AU")
    message_id = ask(sim, sim_run, sim_config(sim, default_from="+61400000777", default_country="AU"), platform)
    sim_run("wait_for_reply", {"message_id": message_id}, config=asset)
    assert sim_run.result["status"] == "failed"
    assert "one of the account's own numbers: replies to it go straight to that phone" in sim_run.result["message"]
    assert clock.sleeps == []


# --- wait for delivery --------------------------------------------------------------------------------------------


def test_a_delivery_that_comes_while_the_action_waits(sim, sim_run, asset, platform, clock):
    sim.delivery_delay = 20
    message_id = ask(sim, sim_run, asset, platform)
    sim_run("wait_for_delivery", {"message_id": message_id}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["summary"] == {"status": "Sent", "status_code": "201", "is_final": True, "delivered": True, "waited_seconds": 35}


def test_a_delivery_that_fails_for_good(sim, sim_run, asset, platform, clock):
    sim.delivery_delay = 7
    sim.set_delivery_outcome(ASKED, "301")
    message_id = ask(sim, sim_run, asset, platform)
    sim_run("wait_for_delivery", {"message_id": message_id}, config=asset)
    assert sim_run.result["summary"] == {"status": "Failed", "status_code": "301", "is_final": True, "delivered": False, "waited_seconds": 15}


def test_a_message_queued_for_ever_is_not_final_in_time(sim, sim_run, asset, platform, clock):
    sim.set_delivery_outcome(ASKED, "200")
    message_id = ask(sim, sim_run, asset, platform)
    sim_run("wait_for_delivery", {"message_id": message_id, "timeout_minutes": 1}, config=asset)
    assert sim_run.result["status"] == "success"
    assert sim_run.result["summary"]["is_final"] is False and sim_run.result["summary"]["waited_seconds"] == 60


# --- configure polling --------------------------------------------------------------------------------------------


def test_configure_polling_creates_each_rule_once(sim, sim_run):
    sim_run("configure_polling")
    assert sim_run.result["summary"] == {"inbound_rule": "created", "receipt_rule": "created", "rules_created": 2}
    sim_run("configure_polling")
    assert sim_run.result["summary"] == {"inbound_rule": "found", "receipt_rule": "found", "rules_created": 0}
    assert len(sim.state.inbound_rules) == 1 and len(sim.state.receipt_rules) == 1
    sim_run("test_connectivity")
    assert "Inbound polling is ready: 1 POLL rule captures all numbers, every message" in sim_run.result["message"]
    assert "Delivery receipt polling is ready (1 POLL rule)" in sim_run.result["message"]


def test_a_disabled_rule_with_a_null_term_and_address_is_enabled_with_every_field(sim, sim_run):
    rule = sim.add_inbound_rule(action="POLL", enabled=0, message_search_term=None, action_address=None)
    sim.add_receipt_rule(enabled=0, action_address=None)
    sim_run("configure_polling")
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["summary"] == {"inbound_rule": "enabled", "receipt_rule": "enabled", "rules_created": 0}
    enabled = sim.state.inbound_rules[rule["inbound_rule_id"]]
    assert (enabled["enabled"], enabled["message_search_term"], enabled["action_address"]) == (1, "", "")


def test_a_create_whose_answer_was_lost_is_found_by_the_next_run_not_made_again(sim, sim_run):
    sim.add_fault("POST", "/v3/automations/sms/inbound", kind="reset", after_processing=True)
    sim_run("configure_polling")
    assert sim_run.result["status"] == "failed"
    assert "outcome is unknown" in sim_run.result["message"]
    sim_run("configure_polling")
    assert sim_run.result["summary"] == {"inbound_rule": "found", "receipt_rule": "created", "rules_created": 1}
    assert len(sim.state.inbound_rules) == 1


# --- delivery receipts in on poll ---------------------------------------------------------------------------------


@pytest.fixture
def receipts_world(sim, sim_run, asset, platform):
    """Receipt and inbound POLL rules; two messages from container 42, one from 43, one from outside any container."""

    def build():
        sim.reset()
        platform.reset()
        sim.add_inbound_rule(action="POLL", enabled=1)
        sim.add_receipt_rule(action="POLL", enabled=1)
        sent = [ask(sim, sim_run, asset, platform, 42), ask(sim, sim_run, asset, platform, 42), ask(sim, sim_run, asset, platform, 43)]
        sim_run("send_message", {"to": ASKED, "message": "FYI"}, config=asset)
        assert len(sim.receipts()) == 4
        sim.requests.clear()
        return sent

    return build


def receipt_sdis(platform):
    return sorted(a["source_data_identifier"] for a in platform.artifacts.values() if a["name"] == "Delivery receipt")


def assert_receipts_ingested_once_and_read(sim, platform, sent):
    assert sorted(a["cef"]["message_id"] for a in platform.container_artifacts(42) if a["name"] == "Delivery receipt") == sorted(sent[:2])
    assert [a["cef"]["message_id"] for a in platform.container_artifacts(43) if a["name"] == "Delivery receipt"] == [sent[2]]
    assert len(receipt_sdis(platform)) == len(set(receipt_sdis(platform))) == 3
    assert set(sim.state.receipts_read) == {r["message_id"] for r in sim.receipts()}


def test_receipts_go_to_their_containers_and_are_marked_read_once_settled(sim, sim_run, asset, platform, receipts_world, monkeypatch):
    sent = receipts_world()
    with sim.state.lock:  # all four in one second, the current one (as they mostly are: sent just now)
        newest = max(r["timestamp"] for r in sim.state.receipts)
        for receipt in sim.state.receipts:
            receipt["timestamp"] = newest
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    summary = sim_run.result["summary"]
    assert (summary["receipts_added"], summary["receipts_without_container"]) == (3, 1)
    assert not [r for r in sim.requests if r["method"] == "PUT" and "receipts" in r["path"]]  # the newest second stays unread
    monkeypatch.setattr(clicksend_receipts, "_now", lambda: time.time() + consts.RECEIPT_SETTLE_SECONDS + 60)
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["summary"]["receipts_already_ingested"] == 3
    put = [r for r in sim.requests if r["path"] == "/v3/sms/receipts-read"]
    assert len(put) == 1 and put[0]["json"]["date_before"] == max(r["timestamp"] for r in sim.receipts()) + 1
    assert_receipts_ingested_once_and_read(sim, platform, sent)
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["message"] == "No unread inbound SMS at ClickSend; no delivery receipts"


def test_a_crash_after_any_receipt_save_loses_none_and_duplicates_none(sim, sim_run, asset, platform, receipts_world, settled):
    for crash_after in range(3):  # three receipts have a container: three saves
        sent = receipts_world()
        platform.kill_on("save_artifact", after=crash_after)
        with pytest.raises(ProcessKilled):
            platform.run(ClickSendConnector, "on_poll", parameters=[{}], config=asset, asset_id="1")
        assert not [r for r in sim.requests if r["path"] == "/v3/sms/receipts-read"], "marked read before everything was saved"
        sim_run("on_poll", {}, config=asset)
        assert sim_run.result["status"] == "success", sim_run.result["message"]
        assert_receipts_ingested_once_and_read(sim, platform, sent)


@pytest.mark.parametrize("after_processing", [False, True], ids=["mark-read lost on the way", "mark-read answer lost"])
def test_a_failure_at_the_mark_read_loses_none_and_duplicates_none(
    sim, sim_run, asset, platform, receipts_world, settled, after_processing, monkeypatch
):
    monkeypatch.setattr(consts, "RETRY_BACKOFF_BASE", 0.001)  # the PUT is retried (it is idempotent): no real waiting
    sent = receipts_world()
    sim.add_fault("PUT", "/v3/sms/receipts-read", kind="reset", after_processing=after_processing, times=None)
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "failed"
    assert "marking delivery receipts read failed" in sim_run.result["message"]
    sim.clear_faults()
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert_receipts_ingested_once_and_read(sim, platform, sent)


def test_a_receipt_stamped_in_the_newest_second_that_arrives_during_the_poll_stays_unread(sim, asset, platform, receipts_world, monkeypatch):
    """date_before = newest + 1 would mark read a receipt that arrives while the poll runs, stamped in the same second as
    the newest one the poll saw, without saving it: while that second is recent the app marks only what is older."""
    receipts_world()
    with sim.state.lock:
        for age, receipt in zip((300, 200, 100, 0), sim.state.receipts):
            receipt["timestamp"] -= age
        newest = sim.state.receipts[-1]["timestamp"]
    late = "1A7E0000-0000-4000-8000-000000000000"
    save_artifact = ClickSendConnector.save_artifact

    def a_receipt_arrives_meanwhile(self, artifact):
        with sim.state.lock:
            if not any(r["message_id"] == late for r in sim.state.receipts):
                sim.state.receipts.append(dict(sim.state.receipts[-1], message_id=late, timestamp=newest))
        return save_artifact(self, artifact)

    monkeypatch.setattr(ClickSendConnector, "save_artifact", a_receipt_arrives_meanwhile)
    out = platform.run(ClickSendConnector, "on_poll", parameters=[{}], config=asset, asset_id="1")
    assert out["result_data"][0]["status"] == "success", out["result_data"][0]["message"]
    (put,) = [r for r in sim.requests if r["path"] == "/v3/sms/receipts-read"]
    assert put["json"]["date_before"] <= newest - consts.RECEIPT_SETTLE_SECONDS + 2  # only what has settled is marked read
    assert late not in sim.state.receipts_read  # not seen, not saved: still unread for the next poll
    assert len(sim.state.receipts_read) == 1  # the receipt 300 s old; the younger ones wait until they settle


# --- indicators ---------------------------------------------------------------------------------------------------


def test_a_reply_with_a_link_threads_its_indicators_once_even_after_a_crash(sim, sim_run, asset, platform):
    sim.add_inbound_rule(action="POLL", enabled=1)
    message_id = ask(sim, sim_run, asset, platform)
    sim.add_reply(message_id, None, "Not me! I got this: hxxps://evil[.]example/verify from support@evil.example")
    platform.kill_on("save_artifact", after=1)  # the second indicator artifact is saved, then the process dies
    with pytest.raises(ProcessKilled):
        platform.run(ClickSendConnector, "on_poll", parameters=[{}], config=asset, asset_id="1")
    sim_run("on_poll", {}, config=asset)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    names = [a["name"] for a in platform.container_artifacts(42)]
    assert sorted(names) == sorted(["URL in SMS", "Domain in SMS", "E-mail address in SMS", "Reply from +61411111111"])
    by_name = {a["name"]: a for a in platform.container_artifacts(42)}
    assert by_name["URL in SMS"]["cef"]["requestURL"] == "https://evil.example/verify"
    assert by_name["Reply from +61411111111"]["run_automation"] is False  # reply_triggers_playbooks is off by default
    assert unread_ids(sim) == []


def test_the_state_file_is_never_written_by_a_wait(sim, sim_run, asset, platform, clock):
    message_id = ask(sim, sim_run, asset, platform)
    sim_run("wait_for_delivery", {"message_id": message_id}, config=asset)
    path = pathlib.Path(platform.state_path("1", APPID))
    before = path.read_bytes()
    sim.add_reply(message_id, None, "YES")
    sim_run("wait_for_reply", {"message_id": message_id}, config=asset)
    sim_run("wait_for_delivery", {"message_id": message_id}, config=asset)
    assert path.read_bytes() == before

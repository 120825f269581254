"""The state file: a corrupt, empty or old-format one never crashes an action; an unwritable one is said in plain words;
nothing rewrites it wholesale, so overlapping runs keep each other's keys; the reply-thread secret survives across runs."""

import json
import os
import pathlib

import pytest

import clicksend_marker
from tests.conftest import MANIFEST, Runner, sim_config


APPID = MANIFEST["appid"]
CLEAN_START = "the saved state file could not be read, so the app started from a clean state"
UNREADABLE = ["{not json", "", "[1, 2]", "null"]


def state_text(platform):
    return pathlib.Path(platform.state_path("1", APPID)).read_text(encoding="utf-8")


@pytest.mark.parametrize("content", [*UNREADABLE, json.dumps({"app_version": "1.0.5", "last_id": 7})])
def test_bad_or_old_state_does_not_break_an_action_and_is_not_rewritten(sim, sim_run, platform, content):
    platform.write_state("1", APPID, content)
    sim_run("send_message", {"to": "+61411111111", "message": "x"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["message"].endswith(CLEAN_START) == (content in UNREADABLE)
    assert state_text(platform) == content  # the run changed nothing it keeps, so it wrote nothing


def unreadable(platform):
    return (
        f"The app's state file {platform.state_path('1', APPID)} exists but cannot be read (its content is no JSON object), "
        "so on poll and sends from a container stop rather than lose the reply-thread secret it holds; the SOAR "
        "administrator must make it a readable JSON file owned by the SOAR user, or delete it if it is damaged (replies to "
        "messages sent from containers before then are no longer threaded)"
    )


@pytest.mark.parametrize("content", UNREADABLE)
def test_a_send_from_a_container_over_an_unreadable_state_fails_rather_than_mint_a_new_secret(sim, sim_run, platform, content):
    """A half-written or damaged file may still hold (or be restored with) the secret every open thread depends on: a new
    one written over it would orphan them all."""
    platform.add_container({"id": 7, "name": "Suspicious login"})
    platform.write_state("1", APPID, content)
    sim_run("send_message", {"to": "+61411111111", "message": "Was this you?"}, container_id=7)
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == unreadable(platform)
    assert sim.sent == [] and state_text(platform) == content


@pytest.mark.parametrize("content", UNREADABLE)
def test_on_poll_over_an_unreadable_state_fails_before_it_marks_anything_read(sim, sim_run, platform, content):
    from clicksend_sim.routes_inbound import unread_ids

    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_receipt_rule(action="POLL", enabled=1)
    sim.auto_reply("+61411111111", "YES")
    sim_run("send_message", {"to": "+61411111111", "message": "Was this you?"})  # a receipt and a reply wait at ClickSend
    platform.write_state("1", APPID, content)
    sim_run("on_poll", {"container_count": 5}, poll_now=True)
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == unreadable(platform)
    assert platform.containers == {} and len(unread_ids(sim)) == 1
    assert [r for r in sim.receipts() if r["message_id"] in sim.state.receipts_read] == []
    assert not [r for r in sim.requests if r["method"] == "PUT"]
    assert state_text(platform) == content


def test_test_connectivity_reports_an_unreadable_state_file(sim, sim_run, platform):
    platform.write_state("1", APPID, "{corrupt")
    sim_run("test_connectivity")
    assert sim_run.result["status"] == "failed"
    message = unreadable(platform)
    assert sim_run.result["message"] == f"Connected to ClickSend as {sim.username}, but t{message[1:]}"


def test_an_unreadable_state_file_in_place_of_a_directory_fails_a_send_from_a_container_in_plain_words(sim, sim_run, platform):
    path = platform.state_path("1", APPID)
    os.makedirs(path)  # the state file's place is taken by a directory: it cannot be read or written
    platform.add_container({"id": 42, "name": "Incident 42"})
    sim_run("send_message", {"to": "+61411111111", "message": "Isolate host? Reply YES"}, container_id=42)
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"].startswith(f"The app's state file {path} exists but cannot be read (it is a directory), ")
    assert sim.sent == []  # not sent: its reply could never be threaded back
    assert sim_run.out["exception_occured"] is False
    assert "Unexpected error" not in platform.all_output()
    assert not [line for line in platform.debug_log if "Traceback" in line]


def test_an_unwritable_state_file_does_not_stop_a_send_that_needs_no_state(sim, sim_run, platform):
    os.makedirs(platform.state_path("1", APPID))
    sim_run("send_message", {"to": "+61411111111", "message": "Host isolated"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert sim_run.result["message"].endswith(CLEAN_START)
    assert len(sim.sent) == 1


def test_an_overlapping_run_keeps_what_another_run_saved_meanwhile(sim, sim_run, platform, monkeypatch):
    """An on poll reads the state at its start; while it saves, a send from a container makes the marker secret.
    The poll must not write its stale copy back, or the reply to that send could never be threaded."""
    from clicksend_connector import ClickSendConnector

    platform.add_container({"id": 7, "name": "Suspicious login"})
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_inbound_message("+61499999999", "unrelated")
    save_container = ClickSendConnector.save_container

    def save_while_another_run_sends(self, *args, **kwargs):
        monkeypatch.setattr(ClickSendConnector, "save_container", save_container)
        send = Runner(platform, sim_config(sim))
        send("send_message", {"to": "+61411111111", "message": "Was this you?"}, container_id=7)
        assert send.result["status"] == "success", send.result["message"]
        return save_container(self, *args, **kwargs)

    monkeypatch.setattr(ClickSendConnector, "save_container", save_while_another_run_sends)
    sim_run("on_poll", {})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    secret = platform.read_state("1", APPID)[clicksend_marker.STATE_KEY]
    assert sim.sent[0]["custom_string"] == clicksend_marker.make(secret, "1", 7, "+61411111111")
    sim.add_reply(sim.sent[0]["message_id"], None, "NO")
    sim_run("on_poll", {})
    assert [a["cef"]["body"] for a in platform.container_artifacts(7)] == ["NO"]


def test_state_never_holds_the_key(sim, sim_run, platform):
    sim_run("test_connectivity", config=sim_config(sim, to="+61411111111"))
    assert sim.api_key not in json.dumps(platform.read_state("1", APPID))

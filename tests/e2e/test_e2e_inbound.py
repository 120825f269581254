"""Inbound SMS end to end (connector -> fake platform -> simulator over HTTP): crash and re-run matrix, reply threading."""

import re

import pytest
import requests
from clicksend_sim.routes_inbound import fail_inbound_page, unread_ids
from phantom_sdk_stubs import ProcessKilled

import clicksend_consts as consts
import clicksend_marker
from tests.conftest import MANIFEST


APPID = MANIFEST["appid"]
PLAIN = 55  # with two POLL rules ClickSend lists 2 x 57 items: two pages of 100
READ_PATH = re.compile(r"^/v3/sms/inbound-read/")


@pytest.fixture
def world(sim, sim_run, platform):
    """Container 42 sent an approval SMS; 55 new SMS and two replies to it (one by marker, one by original_message_id) wait unread."""
    platform.add_container({"id": 42, "name": "Incident 42", "label": "events"})
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_inbound_rule(action="POLL", enabled=1, rule_name="second poll rule")
    sim_run("send_message", {"to": "+61411111111", "message": "Isolate host? Reply YES"}, container_id=42)
    sent_id = sim.sent[0]["message_id"]
    plain = [sim.add_inbound_message(f"+614222{n:05d}", f"message {n}", timestamp=1000 + 10 * n)["message_id"] for n in range(PLAIN)]
    by_history = sim.add_inbound_message("+61411111111", "YES", original_message_id=sent_id, original_body="Isolate host?", timestamp=1015)
    by_marker = sim.add_inbound_message("+61411111111", "really YES", custom_string=sim.sent[0]["custom_string"], timestamp=1035)
    sim.requests.clear()
    return {"plain": plain, "replies": [by_history["message_id"], by_marker["message_id"]], "sent_id": sent_id}


def poll(sim_run, poll_now=False, **params):
    sim_run("on_poll", params, poll_now=poll_now)
    return sim_run.result


def inbound_pages(sim):
    """The page numbers of GET sms/inbound the simulator answered, in order."""
    return [int(r["query"]["page"]) for r in sim.requests if r["path"] == "/v3/sms/inbound"]


def assert_everything_ingested_exactly_once(platform, sim, world):
    sdis = [c.get("source_data_identifier") for c in platform.containers.values() if c["id"] != 42]
    assert sorted(sdis) == sorted(world["plain"])  # one container per new SMS, none twice
    assert sorted(a["source_data_identifier"] for a in platform.container_artifacts(42)) == sorted(world["replies"])
    for container_id, container in platform.containers.items():
        if container_id != 42:
            assert [a["source_data_identifier"] for a in platform.container_artifacts(container_id)] == [container["source_data_identifier"]]
    assert len(platform.artifacts) == PLAIN + 2
    assert unread_ids(sim) == []


def test_a_clean_poll_ingests_everything_once_and_threads_both_replies(sim, sim_run, platform, world):
    result = poll(sim_run)
    assert result["status"] == "success", result["message"]
    assert result["message"] == (
        f"Ingested {PLAIN + 2} unread inbound SMS ({PLAIN} new containers, 2 added to their reply thread's container, 0 already in SOAR)"
    )
    assert result["summary"]["more_waiting"] is False
    assert_everything_ingested_exactly_once(platform, sim, world)
    assert inbound_pages(sim) == [1, 1]  # page 1 worked through, then read again: every message on it had left
    reply = platform.container_artifacts(42)[0]
    assert reply["cef"]["original_message_id"] == world["sent_id"]
    assert reply["cef"]["body"] == "YES"
    assert reply["cef_types"]["original_message_id"] == ["clicksend message id"]
    history = [r for r in sim.requests if r["path"] == "/v3/sms/history"]
    assert [r["query"]["q"] for r in history] == [f"message_id:{world['sent_id']}"]
    # the first container is the oldest message, and every mark-read followed its save
    first = min(platform.containers.values(), key=lambda c: c["id"] if c["id"] != 42 else 10**9)
    assert first["source_data_identifier"] == world["plain"][0]
    assert poll(sim_run)["message"] == "No unread inbound SMS at ClickSend"
    assert sim.api_key not in platform.all_output() and "Authorization" not in platform.all_output()
    assert "message 3" not in "\n".join(platform.debug_log)  # no message body in debug output


FAULTS = {
    "page 1 read fails": lambda sim, platform: sim.add_fault("GET", "/v3/sms/inbound", status=500),
    "page 1 read again fails after its messages were marked read": lambda sim, platform: sim.add_fault(
        "GET", "/v3/sms/inbound", status=500, skip=1
    ),
    "page 2 read fails after every new SMS on page 1 failed to save": lambda sim, platform: (
        platform.fail_next("save_container", times=PLAIN),
        fail_inbound_page(sim, page=2),
    ),
    "save_container fails": lambda sim, platform: platform.fail_next("save_container"),
    "save_container fails 3 times": lambda sim, platform: platform.fail_next("save_container", times=3),
    "reply artifact save fails": lambda sim, platform: platform.fail_next("save_artifact"),
    "mark-read fails": lambda sim, platform: sim.add_fault("PUT", READ_PATH, status=500),
    "mark-read fails on the 10th message": lambda sim, platform: _fault_nth_read(sim, 10),
    "mark-read done but its answer lost": lambda sim, platform: sim.add_fault("PUT", READ_PATH, kind="reset", after_processing=True),
}
KILLS = {
    "killed right after the first container": ("save_container", 0),
    "killed between two messages": ("save_container", 1),
    "killed after the 30th container": ("save_container", 29),
    "killed right after the first reply artifact": ("save_artifact", 0),
    "killed right after the second reply artifact": ("save_artifact", 1),
}


def _fault_nth_read(sim, n):
    """Let the mark-reads of the n - 1 oldest messages through, then fail the next one."""
    with sim.state.lock:
        oldest = [m["message_id"] for m in sorted(sim.state.inbound, key=lambda m: m["timestamp"])][: n - 1]
    sim.add_fault("PUT", re.compile(r"^/v3/sms/inbound-read/(?!" + "|".join(oldest) + ")"), status=500)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failure_at_any_step_then_a_rerun_loses_nothing_and_duplicates_nothing(sim, sim_run, platform, world, fault):
    FAULTS[fault](sim, platform)
    first = poll(sim_run)
    if fault != "mark-read done but its answer lost":
        assert first["status"] == "failed", first["message"]
    assert not sim.faults and not [f for f in sim.state.extra.get("inbound_page_faults", []) if f["times"]]  # the fault struck
    sim.clear_faults()
    second = poll(sim_run)
    assert second["status"] == "success", second["message"]
    assert_everything_ingested_exactly_once(platform, sim, world)
    # found saved again: the message whose step failed, and those saved meanwhile whose mark-read was under way or not
    # yet sent (mark-reads go several at once, at most MAX_IN_FLIGHT)
    assert platform.results[-1]["result_summary"]["containers_duplicate"] <= consts.MAX_IN_FLIGHT


@pytest.mark.parametrize("kill", sorted(KILLS))
def test_a_process_killed_mid_poll_then_a_rerun_loses_nothing_and_duplicates_nothing(sim, sim_run, platform, world, kill):
    operation, after = KILLS[kill]
    platform.kill_on(operation, after=after)
    with pytest.raises(ProcessKilled):
        poll(sim_run)
    assert len(unread_ids(sim)) >= 1  # the message being saved was not marked read
    result = poll(sim_run)
    assert result["status"] == "success", result["message"]
    # found and only marked read: the one saved just before the kill, and those saved before it whose mark-read was
    # still to go (mark-reads go several at once, at most MAX_IN_FLIGHT)
    assert 1 <= result["summary"]["already_ingested"] <= 1 + consts.MAX_IN_FLIGHT
    assert_everything_ingested_exactly_once(platform, sim, world)


def test_repeated_failures_over_several_polls_still_end_exactly_once(sim, sim_run, platform, world):
    platform.kill_on("save_container", after=3)
    with pytest.raises(ProcessKilled):
        poll(sim_run, poll_now=True, container_count=10)
    sim.add_fault("PUT", READ_PATH, status=500, times=None)
    assert poll(sim_run, poll_now=True, container_count=10)["status"] == "failed"
    sim.clear_faults()
    platform.fail_next("save_container", times=2)
    assert poll(sim_run, poll_now=True, container_count=20)["status"] == "failed"
    for _ in range(3):
        assert poll(sim_run)["status"] == "success"
    assert_everything_ingested_exactly_once(platform, sim, world)
    assert "inbound_saved_unread" not in platform.read_state("1", APPID)  # the platform, not the app, remembers what was saved


def test_poll_now_honours_container_count_and_marks_read_like_a_scheduled_poll(sim, sim_run, platform, world):
    result = poll(sim_run, poll_now=True, container_count=3)
    assert result["status"] == "success", result["message"]
    # oldest first: message 0 (t=1000), message 1 (t=1010), then the reply found through history (t=1015)
    assert [c["source_data_identifier"] for c in platform.containers.values() if c["id"] != 42] == world["plain"][:2]
    assert [a["source_data_identifier"] for a in platform.container_artifacts(42)] == world["replies"][:1]
    assert len(unread_ids(sim)) == PLAIN + 2 - 3
    assert result["summary"]["ingested"] == 3 and result["summary"]["more_waiting"] is True
    assert result["message"].endswith("; more unread messages are waiting for the next poll")


def test_scheduled_poll_honours_max_messages_per_poll(sim, sim_run, platform, world):
    sim_run("on_poll", {"container_count": 4294967295}, config=dict(sim_run.config, max_messages_per_poll=5))
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert len(unread_ids(sim)) == PLAIN + 2 - 5


def test_without_a_poll_rule_nothing_changes(sim, sim_run, platform):
    sim.add_inbound_rule(action="URL", enabled=1, action_address="https://example.com/hook")
    sim.add_inbound_message("+61411111111", "hello")
    result = poll(sim_run)
    assert result["status"] == "failed"
    assert result["message"] == consts.MSG_POLL_RULE_MISSING
    assert platform.containers == {}
    assert len(unread_ids(sim)) == 1
    assert [r["path"] for r in sim.requests] == ["/v3/automations/sms/inbound"]


def test_reply_threads_into_the_container_that_sent_the_message(sim, sim_run, platform):
    """send message from container 42, the recipient answers, on poll adds the answer to container 42."""
    platform.add_container({"id": 42, "name": "Suspicious login for j.doe", "label": "events"})
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim_run("send_message", {"to": "0411 111 111", "message": "Was this you? Reply YES or NO"}, container_id=42)
    sent = sim.sent[0]
    secret = platform.read_state("1", APPID)[clicksend_marker.STATE_KEY]  # made by this first send from a container
    assert sent["custom_string"] == clicksend_marker.make(secret, "1", 42, "+61411111111")
    assert re.fullmatch(r"soar:42:[0-9a-f]{20}", sent["custom_string"])
    reply = sim.add_reply(sent["message_id"], None, "NO")
    assert reply["custom_string"] == sent["custom_string"]

    result = poll(sim_run)

    assert result["status"] == "success", result["message"]
    assert list(platform.containers) == [42]
    (artifact,) = platform.container_artifacts(42)
    assert artifact["source_data_identifier"] == reply["message_id"]
    assert artifact["cef"]["body"] == "NO"
    assert artifact["cef"]["from"] == "+61411111111"
    assert artifact["cef"]["original_message_id"] == sent["message_id"]
    assert artifact["run_automation"] is False  # the container's playbooks run again only when the asset asks
    assert unread_ids(sim) == []


def test_a_callers_custom_string_is_kept_and_the_reply_gets_its_own_container(sim, sim_run, platform):
    platform.add_container({"id": 42, "name": "Incident 42"})
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim_run("send_message", {"to": "+61411111111", "message": "Ping", "custom_string": "change-77"}, container_id=42)
    sent = sim.sent[0]
    assert sent["custom_string"] == "change-77"
    sim.add_inbound_message("+61411111111", "pong", original_message_id=sent["message_id"], custom_string="change-77")
    assert poll(sim_run)["status"] == "success"
    assert platform.container_artifacts(42) == []
    (container,) = [c for c in platform.containers.values() if c["id"] != 42]
    assert platform.container_artifacts(container["id"])[0]["cef"]["custom_string"] == "change-77"


def test_only_the_assets_own_marker_threads_a_reply(sim, sim_run, platform):
    """A send from container 7 gets its reply threaded into 7; replies carrying forged markers for container 42 (typed
    by someone who knows the 2.0.0 form, made by another client of the ClickSend account, or by another SOAR asset
    sharing it) each open a new container."""
    platform.add_container({"id": 7, "name": "Suspicious login for j.doe"})
    platform.add_container({"id": 42, "name": "Incident 42"})
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim_run("send_message", {"to": "+61411111111", "message": "Was this you? Reply YES or NO"}, container_id=7)
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    genuine = sim.add_reply(sim.sent[0]["message_id"], None, "NO")
    other_client = requests.post(
        f"{sim.url}/sms/send",
        auth=sim.auth,
        json={"messages": [{"to": "+61455555555", "body": "Approve?", "custom_string": "soar:container:42"}]},
        timeout=10,
    )
    forged = [sim.add_reply(other_client.json()["data"]["messages"][0]["message_id"], None, "YES")]
    seven_tag = sim.sent[0]["custom_string"].rsplit(":", 1)[1]
    for number, custom_string in (
        ("+61466666666", "soar:container:42"),
        ("+61477777777", clicksend_marker.make("another asset's secret", "1", 42, "+61477777777")),
        ("+61488888888", f"soar:42:{seven_tag}"),
    ):
        forged.append(sim.add_inbound_message(number, "YES", custom_string=custom_string))

    result = poll(sim_run)

    assert result["status"] == "success", result["message"]
    assert [a["source_data_identifier"] for a in platform.container_artifacts(7)] == [genuine["message_id"]]
    assert platform.container_artifacts(42) == []
    opened = {c["source_data_identifier"]: c["name"] for c in platform.containers.values() if c["id"] not in (7, 42)}
    assert opened == {m["message_id"]: f"SMS from {m['from']}" for m in forged}
    assert result["summary"]["new_containers"] == 4 and result["summary"]["threaded_replies"] == 1
    assert unread_ids(sim) == []


def test_list_inbound_messages_then_on_poll(sim, sim_run, platform, world):
    sim_run("list_inbound_messages", {"limit": 3})
    result = sim_run.result
    assert result["status"] == "success", result["message"]
    assert [item["message_id"] for item in result["data"]] == [world["plain"][0], world["plain"][1], world["replies"][0]]
    assert [item["received_time"] for item in result["data"]] == ["1970-01-01T00:16:40Z", "1970-01-01T00:16:50Z", "1970-01-01T00:16:55Z"]
    assert result["message"] == "Listed 3 unread inbound messages; left unread (more unread messages are waiting)"
    assert len(unread_ids(sim)) == PLAIN + 2  # listing alone marks nothing
    sim_run("list_inbound_messages", {"limit": 2, "mark_read": True})
    assert sim_run.result["summary"] == {"total_messages": 2, "marked_read": 2}
    assert unread_ids(sim)[:1] == [world["plain"][2]]
    assert poll(sim_run)["summary"]["new_containers"] == PLAIN - 2

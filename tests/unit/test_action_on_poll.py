"""on poll: the exact requests ClickSend receives, the containers and artifacts SOAR gets, and when messages are marked read."""

import hashlib
import hmac
import itertools
import math
import re

import pytest

import clicksend_consts as consts
import clicksend_marker
from tests.conftest import BASE_URL, MANIFEST, envelope


APPID = MANIFEST["appid"]
RULES_URL = f"{BASE_URL}/automations/sms/inbound"
RECEIPT_RULES_URL = f"{BASE_URL}/automations/sms/receipts"  # on poll asks for these too: none here, so it reads no receipts
INBOUND_URL = f"{BASE_URL}/sms/inbound"
READ_URL = f"{BASE_URL}/sms/inbound-read/"
HISTORY_URL = f"{BASE_URL}/sms/history"
ID_A = "AAAAAAAA-0000-4000-8000-000000000001"
ID_B = "BBBBBBBB-0000-4000-8000-000000000002"
ID_C = "CCCCCCCC-0000-4000-8000-000000000003"
SENT_ID = "5E4D3C2B-0000-4000-8000-0000000000F0"
SECRET = "5ec2e7" * 10  # the asset's thread-marker secret, as a test seeds it in the state file


def page(items, current=1, last=1, total=None):
    return envelope(
        {"total": len(items) if total is None else total, "per_page": 100, "current_page": current, "last_page": last, "data": items}
    )


def inbound(message_id, timestamp, sender="+61411111111", body="hello", **extra):
    item = {
        "timestamp": timestamp,
        "from": sender,
        "body": body,
        "original_body": "",
        "original_message_id": "",
        "to": "+61447254068",
        "custom_string": "",
        "message_id": message_id,
        "_keyword": body.split()[0].lower(),
    }
    item.update(extra)
    return item


def numbered(count, start=0):
    """`count` inbound SMS with distinct ids, oldest first."""
    return [inbound(f"AAAAAAAA-0000-4000-8000-{n:012d}", 1700000000 + n) for n in range(start, start + count)]


def poll_rule(enabled=1, action="POLL"):
    return {"inbound_rule_id": 102, "dedicated_number": "*", "rule_name": "SOAR", "action": action, "enabled": enabled}


class Inbox:
    """ClickSend's unread inbound list as requests_mock answers it: each unread message once per POLL rule (`copies`, rule
    by rule, as ClickSend's own listing goes), paged by `page` and `limit`. A mark-read takes the message, all its copies,
    off the list, so the messages behind it move forward. With `platform`, each mark-read notes whether the message was
    already saved in SOAR then."""

    def __init__(self, requests_mock, messages=(), copies=1, rules=None, refuse_read=(), platform=None):
        self.waiting = {message["message_id"]: message for message in messages}  # unread, in listing order
        self.copies = copies
        self.refuse_read = set(refuse_read)  # ids (or "*": all) whose mark-read ClickSend answers with HTTP 500
        self.platform = platform
        self.saved_when_read: dict = {}
        self.pages_read: list = []  # page numbers of GET sms/inbound, in order
        requests_mock.get(RULES_URL, json=page([poll_rule()] if rules is None else list(rules)))
        requests_mock.get(RECEIPT_RULES_URL, json=page([]))
        requests_mock.get(INBOUND_URL, json=self._page)
        requests_mock.put(re.compile(re.escape(READ_URL) + ".+"), json=self._mark_read)

    def unread(self):
        return list(self.waiting.values())

    def unread_ids(self):
        return list(self.waiting)

    def listing_page(self, number, limit):
        self.pages_read.append(number)
        total = len(self.waiting) * self.copies
        listing = itertools.chain.from_iterable(itertools.repeat(self.waiting.values(), self.copies))
        items = list(itertools.islice(listing, (number - 1) * limit, number * limit))
        return page(items, number, max(1, math.ceil(total / limit)), total=total)

    def mark_read(self, message_id):
        if self.platform is not None:
            saved = [a for a in self.platform.artifacts.values() if a["source_data_identifier"] == message_id]
            self.saved_when_read[message_id] = len(saved)
        marked = int(self.waiting.pop(message_id, None) is not None)
        return envelope(marked, "Inbound messages have been marked as read.")

    def _page(self, request, context):
        return self.listing_page(int(request.qs["page"][0]), int(request.qs["limit"][0]))

    def _mark_read(self, request, context):
        message_id = request.url.rsplit("/", 1)[1]
        if {message_id, "*"} & self.refuse_read:
            context.status_code = 500
            return envelope(None, "Internal server error.", "INTERNAL_SERVER_ERROR", 500)
        return self.mark_read(message_id)

    def without_http(self, monkeypatch):
        """Let the client's get() and put() of the inbound endpoints answer from this inbox directly: a backlog of tens
        of thousands costs seconds, not a minute, of HTTP round trips through requests_mock."""
        from clicksend_client import ClickSendClient

        inbox, original_get = self, ClickSendClient.get

        def get(client, path, params=None):
            if path != consts.EP_SMS_INBOUND:
                return original_get(client, path, params)
            return inbox.listing_page(int(params["page"]), int(params["limit"]))["data"]

        monkeypatch.setattr(ClickSendClient, "get", get)
        monkeypatch.setattr(ClickSendClient, "put", lambda client, path, body=None: inbox.mark_read(path.rsplit("/", 1)[1])["data"])


def calls(requests_mock):
    """The requests of the inbound SMS part (delivery receipts, which on poll also reads, are another module's tests)."""
    return [(r.method, r.url.replace(BASE_URL, "")) for r in requests_mock.request_history if not r.url.startswith(RECEIPT_RULES_URL)]


def puts(requests_mock):
    return [url.rsplit("/", 1)[1] for method, url in calls(requests_mock) if method == "PUT"]


def seed_secret(platform, secret=SECRET, **state):
    platform.write_state("1", APPID, {clicksend_marker.STATE_KEY: secret, **state})


def marker(container_id, secret=SECRET, asset_id="1", to="+61411111111"):
    """The marker of a message from container `container_id` to `to` (the number that answers it)."""
    return clicksend_marker.make(secret, asset_id, container_id, to)


def delete_container(platform, container_id):
    """What a SOAR user deleting a container does: it and its artifacts are gone."""
    platform.containers.pop(container_id)
    for artifact in platform.container_artifacts(container_id):
        platform.artifacts.pop(artifact["id"])
    platform._artifact_ids_by_container.pop(container_id, None)


def poll_summary(ingested, new=0, threaded=0, duplicate=0, failed=0, more=False):
    return {
        "ingested": ingested,
        "new_containers": new,
        "threaded_replies": threaded,
        "already_ingested": duplicate,
        "failed": failed,
        "more_waiting": more,
    }


def test_poll_now_ingests_oldest_first_each_message_once_and_marks_read_after_saving(run, requests_mock, platform):
    messages = [inbound(ID_B, 1700000200, body="second"), inbound(ID_A, 1700000100, body="first"), inbound(ID_C, 1700000300)]
    inbox = Inbox(requests_mock, messages, copies=2, platform=platform)  # two POLL rules: ClickSend lists every message twice

    run("on_poll", {"container_count": 2, "start_time": 0, "end_time": 1, "artifact_count": 10}, poll_now=True)

    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        ("GET", "/automations/sms/inbound?page=1&limit=100"),
        ("GET", "/sms/inbound?page=1&limit=100"),
        ("PUT", f"/sms/inbound-read/{ID_A}"),
        ("PUT", f"/sms/inbound-read/{ID_B}"),
        ("GET", "/sms/inbound?page=1&limit=100"),  # the marked ones left: is more waiting?
    ]
    assert inbox.saved_when_read == {ID_A: 1, ID_B: 1}  # each saved before its mark-read
    assert run.result["message"] == (
        "Ingested 2 unread inbound SMS (2 new containers, 0 added to their reply thread's container, 0 already in SOAR); "
        "more unread messages are waiting for the next poll"
    )
    assert run.result["summary"] == poll_summary(2, new=2, more=True)
    assert run.out["result_summary"]["containers_successful"] == 2
    (one, two) = platform.containers.values()
    assert [one["source_data_identifier"], two["source_data_identifier"]] == [ID_A, ID_B]
    assert one["name"] == "SMS from +61411111111"
    assert one["label"] == "events"
    assert one["data"] == inbound(ID_A, 1700000100, body="first")
    (artifact,) = platform.container_artifacts(one["id"])
    assert artifact["source_data_identifier"] == ID_A
    assert artifact["cef"] == {
        "from": "+61411111111",
        "to": "+61447254068",
        "body": "first",
        "message_id": ID_A,
        "received_time": "2023-11-14T22:15:00Z",
    }
    assert artifact["cef_types"] == {"from": ["phone number"], "to": ["phone number"], "message_id": ["clicksend message id"]}
    assert artifact["data"] == inbound(ID_A, 1700000100, body="first")
    assert inbox.unread_ids() == [ID_C]


def test_every_cef_field_with_a_value_is_kept_with_its_contains_type(run, requests_mock, platform):
    seed_secret(platform)
    reply = inbound(ID_A, 1700000100, body="YES", original_message_id=SENT_ID, original_body="Approve?", custom_string="ticket-9")
    Inbox(requests_mock, [reply])
    requests_mock.get(HISTORY_URL, json=page([{"message_id": SENT_ID, "custom_string": "ticket-9", "direction": "out"}]))
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    (artifact,) = platform.artifacts.values()
    assert artifact["cef"] == {
        "from": "+61411111111",
        "to": "+61447254068",
        "body": "YES",
        "message_id": ID_A,
        "original_message_id": SENT_ID,
        "original_body": "Approve?",
        "custom_string": "ticket-9",
        "received_time": "2023-11-14T22:15:00Z",
    }
    assert artifact["cef_types"] == {
        "from": ["phone number"],
        "to": ["phone number"],
        "message_id": ["clicksend message id"],
        "original_message_id": ["clicksend message id"],
    }
    # a user's own custom_string is no marker: a new container, after one history look-up of the sent message
    assert ("GET", f"/sms/history?q=message_id%3A{SENT_ID}") in calls(requests_mock)
    assert len(platform.containers) == 1


def test_scheduled_poll_uses_max_messages_per_poll_never_the_platform_container_count(run, requests_mock, platform):
    Inbox(requests_mock, [inbound(ID_A, 1), inbound(ID_B, 2), inbound(ID_C, 3)])
    config = dict(run.config, max_messages_per_poll=2)
    run("on_poll", {"container_count": 4294967295}, config=config, poll_now=False)
    assert run.result["status"] == "success", run.result["message"]
    assert [c["source_data_identifier"] for c in platform.containers.values()] == [ID_A, ID_B]
    assert puts(requests_mock) == [ID_A, ID_B]


def test_scheduled_poll_takes_100_reading_only_the_page_it_works_on(run, requests_mock, platform):
    """Memory stays flat: a backlog of 1000 is not read whole; the poll works on page 1, which its marks empty."""
    inbox = Inbox(requests_mock, numbered(1000))
    run("on_poll", {"container_count": 1})
    assert run.result["status"] == "success", run.result["message"]
    assert len(platform.containers) == 100
    assert inbox.pages_read == [1, 1]
    assert run.result["summary"] == poll_summary(100, new=100, more=True)
    assert run.result["message"].endswith("; more unread messages are waiting for the next poll")
    assert len(inbox.unread()) == 900


def test_a_worked_page_is_read_again_until_nothing_is_left_on_it(run, requests_mock, platform):
    inbox = Inbox(requests_mock, numbered(250), copies=2)
    run("on_poll", {"container_count": 1000}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert inbox.pages_read == [1, 1, 1, 1]  # 100, 100, 50 marked read; then an empty page 1
    assert len(platform.containers) == 250 and inbox.unread() == []
    assert run.result["summary"] == poll_summary(250, new=250)
    assert (
        run.result["message"]
        == "Ingested 250 unread inbound SMS (250 new containers, 0 added to their reply thread's container, 0 already in SOAR)"
    )


def test_a_failed_read_of_the_list_after_some_work_stops_the_poll_and_keeps_its_account(run, requests_mock, platform):
    inbox = Inbox(requests_mock, numbered(150))
    answers = iter([inbox.listing_page(1, 100), None])

    def flaky(request, context):
        answer = next(answers, None)
        if answer is None:
            context.status_code = 500
            return envelope(None, "down", "INTERNAL_SERVER_ERROR", 500)
        return answer

    requests_mock.get(INBOUND_URL, json=flaky)
    run("on_poll", {"container_count": 1000}, poll_now=True)
    assert run.result["status"] == "failed"
    assert run.result["summary"] == poll_summary(100, new=100)
    assert run.result["message"].startswith("Ingested 100 unread inbound SMS")
    assert "the poll stopped because reading the unread list again failed (ClickSend refused GET sms/inbound" in run.result["message"]
    assert len(inbox.unread()) == 50


def test_a_page_none_of_whose_messages_left_the_list_is_passed(run, requests_mock, platform):
    messages = numbered(150)
    inbox = Inbox(requests_mock, messages)
    platform.fail_next("save_container", times=100)  # every message of page 1 fails to save: page 1 stays as it was
    run("on_poll", {"container_count": 1000}, poll_now=True)
    assert run.result["status"] == "failed"
    assert inbox.pages_read == [1, 2, 2]
    # page 2's 50 mark-reads go several at once (the first alone), so ClickSend may see them in any order
    assert sorted(puts(requests_mock)) == [m["message_id"] for m in messages[100:]]
    assert inbox.unread() == messages[:100]  # not lost: the next poll retries them
    assert run.result["summary"] == poll_summary(50, new=50, failed=100)
    assert run.result["message"].startswith("Ingested 50 unread inbound SMS (50 new containers, ")
    assert (
        "100 could not be saved (first: AAAAAAAA-0000-4000-8000-000000000000: the platform did not save its container" in run.result["message"]
    )


def test_a_backlog_of_25001_over_500_pages_is_ingested_over_several_polls(run, requests_mock, platform, monkeypatch):
    messages = numbered(25_001)
    inbox = Inbox(requests_mock, messages, copies=2)  # 50 002 listed items: 501 pages of 100
    inbox.without_http(monkeypatch)
    config = dict(run.config, max_messages_per_poll=10_000)
    summaries = []
    for _ in range(3):
        run("on_poll", {}, config=config)
        assert run.result["status"] == "success", run.result["message"]
        summaries.append((run.result["summary"]["ingested"], run.result["summary"]["more_waiting"]))
    assert summaries == [(10_000, True), (10_000, True), (5001, False)]
    assert inbox.unread() == []
    assert len(platform.containers) == 25_001
    assert {c["source_data_identifier"] for c in platform.containers.values()} == {m["message_id"] for m in messages}
    assert set(inbox.pages_read) == {1}


@pytest.mark.parametrize("rules", [[], [poll_rule(enabled=0)], [poll_rule(action="URL")]], ids=["none", "disabled", "webhook"])
def test_without_an_enabled_poll_rule_the_poll_fails_and_changes_nothing(run, requests_mock, platform, rules):
    inbox = Inbox(requests_mock, [inbound(ID_A, 1)], rules=rules)
    run("on_poll", {}, poll_now=True)
    assert run.result["status"] == "failed"
    assert run.result["message"] == consts.MSG_POLL_RULE_MISSING
    assert calls(requests_mock) == [("GET", "/automations/sms/inbound?page=1&limit=100")]
    assert platform.containers == {}
    assert inbox.unread_ids() == [ID_A]


@pytest.mark.parametrize("count", [0, -1, "many", 1.5])
def test_a_bad_poll_now_container_count_fails_before_any_request(run, requests_mock, count):
    run("on_poll", {"container_count": count}, poll_now=True)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("Parameter 'container_count': ")
    assert requests_mock.call_count == 0


def test_nothing_unread_is_a_success(run, requests_mock, platform):
    Inbox(requests_mock)
    run("on_poll", {})
    assert run.result["status"] == "success"
    assert run.result["message"] == "No unread inbound SMS at ClickSend"
    assert run.result["summary"] == poll_summary(0)
    assert platform.containers == {}


@pytest.mark.parametrize("bad_id", [".", "..", "../x", "a/b", "a?b", "a#b", "x y", "", None, "A" * 65])
def test_an_item_without_a_plausible_clicksend_id_is_skipped_never_put_in_a_path(run, requests_mock, platform, bad_id):
    Inbox(requests_mock, [inbound(bad_id, 1, body="odd"), inbound(ID_A, 2)])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert [c["source_data_identifier"] for c in platform.containers.values()] == [ID_A]
    assert puts(requests_mock) == [ID_A]  # the only request that names a message in its path
    assert run.result["summary"]["ingested"] == 1


def test_a_message_the_platform_cannot_save_stays_unread_and_the_others_are_ingested(run, requests_mock, platform):
    inbox = Inbox(requests_mock, [inbound(ID_A, 1), inbound(ID_B, 2)])
    platform.fail_next("save_container", message="Database is locked")
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "Ingested 1 unread inbound SMS (1 new container, 0 added to their reply thread's container, 0 already in SOAR); "
        f"1 could not be saved (first: {ID_A}: the platform did not save its container (Database is locked)); " + consts.MSG_INBOUND_RETRY
    )
    assert puts(requests_mock) == [ID_B]
    assert inbox.unread_ids() == [ID_A]
    assert run.result["summary"] == poll_summary(1, new=1, failed=1)


def _poll_whose_first_mark_read_fails(run, requests_mock, platform):
    """A is saved, its mark-read fails, B is not touched; then ClickSend answers again. Returns the inbox."""
    inbox = Inbox(requests_mock, [inbound(ID_A, 1), inbound(ID_B, 2)], refuse_read={"*"})
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert (
        f"the poll stopped because marking {ID_A} read failed (ClickSend refused PUT sms/inbound-read/{ID_A} with HTTP 500"
        in run.result["message"]
    )
    assert puts(requests_mock) == [ID_A]
    assert len(platform.containers) == 1
    inbox.refuse_read.clear()
    requests_mock.reset_mock()
    return inbox


def test_after_a_failed_mark_read_the_next_poll_saves_it_again_and_the_platform_keeps_one(run, requests_mock, platform):
    inbox = _poll_whose_first_mark_read_fails(run, requests_mock, platform)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert run.out["result_summary"]["containers_successful"] == 1  # B
    assert run.out["result_summary"]["containers_duplicate"] == 1  # A, saved again: the platform found its container
    assert run.result["summary"] == poll_summary(2, new=1, duplicate=1)
    assert len(platform.containers) == 2 and len(platform.artifacts) == 2
    assert puts(requests_mock) == [ID_A, ID_B] and inbox.unread() == []
    assert "inbound_saved_unread" not in platform.read_state("1", APPID)  # nothing is remembered locally


def test_a_container_deleted_between_polls_is_saved_again_before_the_mark_read(run, requests_mock, platform):
    _poll_whose_first_mark_read_fails(run, requests_mock, platform)
    (container_id,) = platform.containers
    delete_container(platform, container_id)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert sorted(c["source_data_identifier"] for c in platform.containers.values()) == [ID_A, ID_B]
    assert run.result["summary"] == poll_summary(2, new=2)


def test_the_old_pending_list_in_the_state_file_is_ignored(run, requests_mock, platform):
    """2.0.0 kept ids it had saved but not marked read under inbound_saved_unread; the platform is asked instead."""
    platform.write_state("1", APPID, {"inbound_saved_unread": [ID_A]})
    inbox = Inbox(requests_mock, [inbound(ID_A, 1)], platform=platform)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert [c["source_data_identifier"] for c in platform.containers.values()] == [ID_A]
    assert inbox.saved_when_read == {ID_A: 1}
    assert run.result["summary"] == poll_summary(1, new=1)


# --- reply threading ------------------------------------------------------------------------------------------


def test_a_reply_carrying_the_marker_becomes_an_artifact_of_its_container(run, requests_mock, platform):
    seed_secret(platform)
    platform.add_container({"id": 42, "name": "Phishing 42", "label": "events"})
    Inbox(requests_mock, [inbound(ID_A, 5, body="YES", custom_string=marker(42), original_message_id=SENT_ID)])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert list(platform.containers) == [42]
    (artifact,) = platform.container_artifacts(42)
    assert artifact["name"] == "Reply from +61411111111"
    assert artifact["source_data_identifier"] == ID_A
    assert artifact["run_automation"] is False  # an existing container's playbooks run again only when the asset asks
    assert artifact["cef"]["body"] == "YES" and artifact["cef"]["custom_string"] == marker(42)
    assert not [u for _, u in calls(requests_mock) if u.startswith("/sms/history")]  # the marker was enough
    assert run.result["summary"] == poll_summary(1, threaded=1)
    assert "1 added to their reply thread's container" in run.result["message"]


def test_a_threaded_reply_runs_the_containers_playbooks_again_when_the_asset_asks(run, requests_mock, platform):
    seed_secret(platform)
    platform.add_container({"id": 42, "name": "Phishing 42", "label": "events"})
    Inbox(requests_mock, [inbound(ID_A, 5, body="YES", custom_string=marker(42))])
    run("on_poll", {}, config=dict(run.config, reply_triggers_playbooks=True))
    (artifact,) = platform.container_artifacts(42)
    assert artifact["run_automation"] is True


def test_a_new_containers_last_artifact_still_starts_playbooks(run, requests_mock, platform):
    Inbox(requests_mock, [inbound(ID_A, 5, body="see https://evil.example/login")])
    run("on_poll", {})
    (container_id,) = platform.containers
    artifacts = platform.container_artifacts(container_id)
    assert [a["run_automation"] for a in artifacts] == [False] * (len(artifacts) - 1) + [True]
    assert len(artifacts) > 1


def test_a_reply_whose_sent_message_carries_the_marker_is_threaded(run, requests_mock, platform):
    seed_secret(platform)
    platform.add_container({"id": 42, "name": "Phishing 42"})
    replies = [inbound(ID_A, 5, body="YES", original_message_id=SENT_ID), inbound(ID_B, 6, body="really", original_message_id=SENT_ID)]
    Inbox(requests_mock, replies)
    requests_mock.get(HISTORY_URL, json=page([{"message_id": SENT_ID, "custom_string": marker(42), "direction": "out"}]))
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert [a["source_data_identifier"] for a in platform.container_artifacts(42)] == [ID_A, ID_B]
    assert list(platform.containers) == [42]
    history = [u for _, u in calls(requests_mock) if u.startswith("/sms/history")]
    assert history == [f"/sms/history?q=message_id%3A{SENT_ID}"]  # looked up once per run


FORGED = {
    "2.0.0 marker": "soar:container:42",
    "wrong tag": "soar:42:" + "0" * 20,
    "another asset's secret": marker(42, secret="0ther" * 12),
    "made for another asset id": marker(42, asset_id="2"),
    "tag of another container": "soar:42:" + marker(43).rsplit(":", 1)[1],
    "tag cut short": marker(42)[:-1],
    "tag in upper case": "soar:42:" + marker(42).rsplit(":", 1)[1].upper(),
    "text after the tag": marker(42) + " ok",
    "no tag": "soar:42",
    "2.1.0 marker (no recipient)": "soar:42:" + hmac.new(SECRET.encode(), b"1:42", hashlib.sha256).hexdigest()[:20],
    "made for another number": marker(42, to="+61499999999"),  # copied from history into an SMS to another phone
}


@pytest.mark.parametrize("where", ["reply", "sent message"])
@pytest.mark.parametrize("forged", sorted(FORGED))
def test_a_forged_marker_threads_nothing_while_the_genuine_one_threads(run, requests_mock, platform, forged, where):
    seed_secret(platform)
    platform.add_container({"id": 42, "name": "Approval"})
    genuine = inbound(ID_A, 1, sender="+61422222222", body="YES", custom_string=marker(42, to="+61422222222"))
    if where == "reply":
        fake = inbound(ID_B, 2, sender="+61433333333", body="YES too", custom_string=FORGED[forged])
    else:
        fake = inbound(ID_B, 2, sender="+61433333333", body="YES too", original_message_id=SENT_ID)
        requests_mock.get(HISTORY_URL, json=page([{"message_id": SENT_ID, "custom_string": FORGED[forged]}]))
    Inbox(requests_mock, [genuine, fake])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert [a["source_data_identifier"] for a in platform.container_artifacts(42)] == [ID_A]
    (opened,) = [c for c in platform.containers.values() if c["id"] != 42]
    assert opened["name"] == "SMS from +61433333333" and opened["source_data_identifier"] == ID_B
    assert run.result["summary"] == poll_summary(2, new=1, threaded=1)


def test_without_a_secret_in_the_state_nothing_threads_and_no_history_is_read(run, requests_mock, platform):
    platform.add_container({"id": 42, "name": "Approval"})
    replies = [inbound(ID_A, 1, body="YES", custom_string=marker(42)), inbound(ID_B, 2, body="NO", original_message_id=SENT_ID)]
    Inbox(requests_mock, replies)
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    assert platform.container_artifacts(42) == []
    assert [c["name"] for c in platform.containers.values() if c["id"] != 42] == ["SMS from +61411111111"] * 2
    assert not [u for _, u in calls(requests_mock) if u.startswith("/sms/history")]
    assert clicksend_marker.STATE_KEY not in platform.read_state("1", APPID)  # a poll makes no secret: it only checks


def test_a_reply_to_a_deleted_container_opens_a_new_container(run, requests_mock, platform):
    seed_secret(platform)
    Inbox(requests_mock, [inbound(ID_A, 5, body="YES", custom_string=marker(999))])
    run("on_poll", {})
    assert run.result["status"] == "success", run.result["message"]
    (container,) = platform.containers.values()
    assert container["source_data_identifier"] == ID_A and container["name"] == "SMS from +61411111111"


def test_a_failed_history_lookup_leaves_the_reply_unread(run, requests_mock, platform):
    seed_secret(platform)
    inbox = Inbox(requests_mock, [inbound(ID_A, 5, body="YES", original_message_id=SENT_ID), inbound(ID_B, 6)])
    requests_mock.get(HISTORY_URL, status_code=500, json=envelope(None, "Internal server error.", "INTERNAL_SERVER_ERROR", 500))
    run("on_poll", {})
    assert run.result["status"] == "failed"
    assert f"1 could not be saved (first: {ID_A}: its original message could not be looked up in SMS history" in run.result["message"]
    assert [c["source_data_identifier"] for c in platform.containers.values()] == [ID_B]
    assert puts(requests_mock) == [ID_B]
    assert inbox.unread_ids() == [ID_A]


def test_timestamp_send_is_read_when_timestamp_is_absent(run, requests_mock, platform):
    newer = inbound(ID_B, None, body="second")
    older = inbound(ID_A, None, body="first")
    del newer["timestamp"], older["timestamp"]
    newer["timestamp_send"], older["timestamp_send"] = "1700000200", "1700000100.0"
    Inbox(requests_mock, [newer, older])
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert puts(requests_mock) == [ID_A, ID_B]
    first = platform.container_artifacts(min(platform.containers))[0]
    assert first["cef"]["received_time"] == "2023-11-14T22:15:00Z"


def test_a_reply_whose_history_answer_is_a_bare_list_still_threads(run, requests_mock, platform):
    seed_secret(platform)
    platform.add_container({"id": 42, "name": "Approval", "label": "events"})
    Inbox(requests_mock, [inbound(ID_A, 1700000100, body="YES", original_message_id=SENT_ID)])
    requests_mock.get(HISTORY_URL, json=envelope([{"message_id": SENT_ID, "custom_string": marker(42)}]))
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert [a["name"] for a in platform.container_artifacts(42)] == ["Reply from +61411111111"]


def test_a_marker_container_the_platform_does_not_find_gets_a_new_container(run, requests_mock, platform, monkeypatch):
    from clicksend_connector import ClickSendConnector

    seed_secret(platform)
    monkeypatch.setattr(ClickSendConnector, "get_container_info", lambda self, container_id=None: (False, "Container not found", None))
    Inbox(requests_mock, [inbound(ID_A, 1700000100, body="YES", custom_string=marker(77))])
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert [c["name"] for c in platform.containers.values()] == ["SMS from +61411111111"]

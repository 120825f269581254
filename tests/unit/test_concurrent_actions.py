"""The actions that make many requests make them several at once (clicksend_client.map_ordered) and keep their rules:
on poll saves oldest first and marks a message read only once it is saved; list inbound messages, find contact and
update/delete contact without a list id keep their order and bounds."""

import re
import threading

import clicksend_actions_inbound
import clicksend_consts as consts
from tests.conftest import BASE_URL, envelope
from tests.unit.test_action_on_poll import READ_URL, Inbox, numbered
from tests.unit.test_actions_contacts import a_contact, a_list, paged


class SavedFirst:
    """Records each message on poll saves (in the poll's thread) and, for each mark-read ClickSend receives (in a
    worker thread), whether that message was saved before it."""

    def __init__(self, monkeypatch, requests_mock, inbox):
        self.saved: list = []
        self.marked_after_save: dict = {}
        self.threads: set = set()
        save = clicksend_actions_inbound.Ingest.save

        def recording_save(ingest, message):
            outcome = save(ingest, message)
            self.saved.append(message["message_id"])
            return outcome

        def mark_read(request, context):
            message_id = request.url.rsplit("/", 1)[1]
            self.marked_after_save[message_id] = message_id in self.saved
            self.threads.add(threading.get_ident())
            return inbox._mark_read(request, context)

        monkeypatch.setattr(clicksend_actions_inbound.Ingest, "save", recording_save)
        requests_mock.put(re.compile(re.escape(READ_URL) + ".+"), json=mark_read)


def test_on_poll_saves_oldest_first_and_marks_each_read_after_its_save_several_at_once(run, requests_mock, platform, monkeypatch, overlap):
    messages = numbered(250)
    inbox = Inbox(requests_mock, messages, copies=2)
    watch = SavedFirst(monkeypatch, requests_mock, inbox)
    run("on_poll", {"container_count": 1000}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    ids = [message["message_id"] for message in messages]
    assert watch.saved == ids  # one by one, oldest first, page after page
    assert [c["source_data_identifier"] for c in platform.containers.values()] == ids
    assert sorted(watch.marked_after_save) == ids and all(watch.marked_after_save.values())
    assert inbox.unread() == [] and run.result["summary"]["ingested"] == 250
    assert len(watch.threads) > 1  # the mark-reads went from several worker threads
    assert overlap.seen > 1 and 1 < run.connector.client.throttle.peak <= consts.MAX_IN_FLIGHT
    assert inbox.pages_read == [1, 1, 1, 1]


def test_a_failed_mark_read_stops_the_saving_and_counts_only_what_was_marked(run, requests_mock, platform, monkeypatch):
    messages = numbered(150)
    failing = messages[40]["message_id"]
    inbox = Inbox(requests_mock, messages, refuse_read={failing})
    watch = SavedFirst(monkeypatch, requests_mock, inbox)
    run("on_poll", {"container_count": 1000}, poll_now=True)
    assert run.result["status"] == "failed"
    assert f"the poll stopped because marking {failing} read failed (ClickSend refused PUT sms/inbound-read/{failing} with HTTP 500" in (
        run.result["message"]
    )
    marked = [message_id for message_id, ok in watch.marked_after_save.items() if message_id != failing]
    assert all(watch.marked_after_save.values())  # nothing marked read before it was saved
    assert run.result["summary"]["ingested"] == len(marked) == 150 - len(inbox.unread())
    assert len(watch.saved) <= 41 + consts.MAX_IN_FLIGHT  # no saving goes on long after the failure
    assert inbox.pages_read == [1]  # the poll read the list no further
    unread = {message["message_id"] for message in inbox.unread()}
    assert failing in unread and unread | set(marked) == {message["message_id"] for message in messages}


def test_list_inbound_messages_marks_read_several_at_once(run, requests_mock, overlap):
    messages = numbered(150)
    inbox = Inbox(requests_mock, messages)
    run("list_inbound_messages", {"limit": 1000, "mark_read": True})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"] == {"total_messages": 150, "marked_read": 150}
    assert inbox.unread() == []
    assert overlap.seen > 1 and 1 < run.connector.client.throttle.peak <= consts.MAX_IN_FLIGHT


def serve_lists(requests_mock, sizes, target=None):
    """Lists 1..n with sizes[n-1] contacts each; `target` (list id, contact id) is the last contact of that list."""
    lists = [a_list(list_id, f"List {list_id}", count=size) for list_id, size in enumerate(sizes, start=1)]
    requests_mock.get(f"{BASE_URL}/lists", json=paged(lists))
    for list_id, size in enumerate(sizes, start=1):
        contacts = [a_contact(list_id * 10_000 + n, list_id, phone_number="+61422222222") for n in range(size)]
        if target and target[0] == list_id:
            contacts[-1] = a_contact(target[1], list_id)
        requests_mock.get(f"{BASE_URL}/lists/{list_id}/contacts", json=paged(contacts))


def page_reads(requests_mock):
    return [(r.path, int(r.qs.get("page", ["0"])[0])) for r in requests_mock.request_history if r.method == "GET"]


def test_update_contact_without_a_list_id_reads_the_lists_several_at_once_and_stops_at_the_contact(run, requests_mock, overlap):
    serve_lists(requests_mock, [250] * 12, target=(7, 999))
    requests_mock.put(f"{BASE_URL}/lists/7/contacts/999", json=envelope(a_contact(999, 7, first_name="Janet")))
    run("update_contact", {"contact_id": 999, "first_name": "Janet"})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"]["list_id"] == 7
    reads = page_reads(requests_mock)
    needed = {("/v3/lists", 1)} | {(f"/v3/lists/{n}/contacts", page) for n in range(1, 8) for page in (1, 2, 3)}
    assert needed <= set(reads) and len(reads) == len(set(reads))  # every page up to the contact, each once
    assert len(reads) <= len(needed) + 2 * consts.MAX_IN_FLIGHT  # and little beyond it
    assert requests_mock.last_request.method == "PUT"
    assert overlap.seen > 1 and 1 < run.connector.client.throttle.peak <= consts.MAX_IN_FLIGHT


def test_delete_contact_without_a_list_id_names_the_lists_searched_when_the_contact_is_in_none(run, requests_mock):
    serve_lists(requests_mock, [150] * 5 + [0])
    requests_mock.get(f"{BASE_URL}/lists/6/contacts", json=paged([]))
    run("delete_contact", {"contact_id": 5})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Contact 5 is in none of the account's contact lists (6 searched); check the contact ID"
    assert sorted(page_reads(requests_mock)) == sorted(
        [("/v3/lists", 1), ("/v3/lists/6/contacts", 1)] + [(f"/v3/lists/{n}/contacts", page) for n in range(1, 6) for page in (1, 2)]
    )
    assert page_reads(requests_mock)[-1] == ("/v3/lists/6/contacts", 1)  # the list that reports no contacts comes last


def test_find_contact_keeps_the_lists_order_and_its_limit_reading_several_pages_at_once(run, requests_mock):
    serve_lists(requests_mock, [250, 40, 330, 120, 90])
    run("find_contact", {"phone_number": "+61422222222", "limit": 600})
    assert run.result["status"] == "success", run.result["message"]
    found = [(item["list_id"], item["contact_id"]) for item in run.result["data"]]
    every = [(list_id, list_id * 10_000 + n) for list_id, size in enumerate([250, 40, 330, 120, 90], start=1) for n in range(size)]
    assert found == every[:600]  # in list order, then page order, up to the limit
    summary = run.result["summary"]
    assert summary["total_matches"] == 600 and summary["lists_searched"] == 3 and summary["lists_total"] == 5
    assert summary["pages_read"] == len(page_reads(requests_mock))  # every request counted, those read ahead too
    assert run.result["message"].endswith(f"searched 3 of 5 lists, {summary['pages_read']} pages read; stopped at the limit of 600")


def test_update_contact_without_a_list_id_passes_over_a_list_deleted_meanwhile(run, requests_mock):
    serve_lists(requests_mock, [150, 150, 150], target=(3, 999))
    requests_mock.get(f"{BASE_URL}/lists/2/contacts", status_code=404, json=envelope(None, "Not found.", "NOT_FOUND", 404))
    requests_mock.put(f"{BASE_URL}/lists/3/contacts/999", json=envelope(a_contact(999, 3, first_name="Janet")))
    run("update_contact", {"contact_id": 999, "first_name": "Janet"})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["summary"]["list_id"] == 3

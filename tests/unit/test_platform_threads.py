"""The platform's services (debug_print, save_progress, saves, state) are called from the action's own thread only:
the client's worker threads (mark-reads, page reads) hand their debug lines to it."""

import threading

from phantom.base_connector import BaseConnector

from tests.unit.test_action_on_poll import Inbox, numbered


SERVICES = ("debug_print", "save_progress", "save_container", "save_artifact", "save_state", "load_state")


def test_worker_threads_debug_lines_are_printed_from_the_action_thread(run, requests_mock, monkeypatch):
    callers = []
    for name in SERVICES:
        original = getattr(BaseConnector, name)

        def traced(self, *args, _original=original, _name=name, **kwargs):
            callers.append((_name, threading.current_thread().name, str(args[0]) if args else ""))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(BaseConnector, name, traced)
    Inbox(requests_mock, numbered(30))
    run("on_poll", {"container_count": 100}, poll_now=True)
    assert run.out["status"] == "success", run.out
    assert {thread for _, thread, _ in callers} == {threading.main_thread().name}
    mark_reads = [text for name, _, text in callers if name == "debug_print" and "PUT sms/inbound-read/" in text]
    assert len(mark_reads) == 30  # every worker's line is printed, none lost

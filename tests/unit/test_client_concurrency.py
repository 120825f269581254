"""The client's one concurrency helper (map_ordered) and the list reads built on it (iter_items, iter_lists): order,
at most MAX_IN_FLIGHT in flight, fewer after a 429, the first call alone, errors in order, cancellation."""

import threading
import time

import pytest

import clicksend_client as cc
import clicksend_consts as consts
from tests.conftest import BASE_URL, envelope


API_KEY = "UNIT-TEST-KEY-7d3f9c1e"


@pytest.fixture
def client():
    made = cc.ClickSendClient(BASE_URL, "user", API_KEY, timeout=7, sleep=lambda seconds: None)
    yield made
    made.close()


class Gauge:
    """Counts calls running at once (the most, and now), from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.started: list = []

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        return self

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


def test_results_come_in_the_order_of_the_items_whatever_order_the_calls_end_in(client):
    def slow_first(item):
        time.sleep(0.002 * (20 - item))  # the later items end first
        return item * 10

    assert list(client.map_ordered(slow_first, range(20))) == [item * 10 for item in range(20)]


def test_at_most_eight_calls_run_at_once_and_the_first_goes_alone(client):
    """After the first call, calls meet in groups of eight at a barrier: it trips only when eight run at once (fewer
    would break it after 30 s), so overlap is shown without an assertion on time."""
    gauge = Gauge()
    first_alone = []
    meeting = threading.Barrier(consts.MAX_IN_FLIGHT, timeout=30)

    def work(item):
        with gauge:
            if item == 0:
                time.sleep(0.02)
                first_alone.append(gauge.most)
            else:
                meeting.wait()
        return item

    items = range(1 + 4 * consts.MAX_IN_FLIGHT)
    assert list(client.map_ordered(work, items)) == list(items)
    assert first_alone == [1]
    assert gauge.most == consts.MAX_IN_FLIGHT == 8


def test_the_items_are_read_lazily_in_the_callers_thread_at_most_a_window_ahead(client):
    pulled = []
    caller = threading.get_ident()

    def items():
        for item in range(100):
            assert threading.get_ident() == caller
            pulled.append(item)
            yield item

    results = client.map_ordered(lambda item: item, items())
    assert next(results) == 0
    assert pulled == [0]  # the first call alone: nothing else read yet
    assert next(results) == 1
    assert len(pulled) <= 2 + consts.MAX_IN_FLIGHT
    results.close()


def test_ready_items_are_given_in_their_place_without_a_call(client):
    called = []

    def work(item):
        called.append(item)
        return f"call {item}"

    items = [cc.Ready("known 0"), 1, cc.Ready("known 2"), 3]
    assert list(client.map_ordered(work, items)) == ["known 0", "call 1", "known 2", "call 3"]
    assert sorted(called) == [1, 3]


def test_a_failing_call_raises_in_its_place_after_the_results_before_it_and_stops_the_rest(client):
    pulled = []

    def items():
        for item in range(200):
            pulled.append(item)
            yield item

    def work(item):
        if item == 12:
            raise cc.ClickSendError("item 12 failed")
        time.sleep(0.001)
        return item

    got = []
    with pytest.raises(cc.ClickSendError, match="item 12 failed"):
        for result in client.map_ordered(work, items()):
            got.append(result)
    assert got == list(range(12))
    assert len(pulled) <= 13 + consts.MAX_IN_FLIGHT  # the items are read no further than the window after the failure


def test_the_first_error_in_order_wins_and_nothing_started_is_still_running_when_it_is_raised(client):
    gauge = Gauge()

    def work(item):
        with gauge:
            if item == 1:
                time.sleep(0.05)  # fails late
                raise ValueError("second")
            if item == 3:
                raise KeyError("fourth")  # fails first
            time.sleep(0.02)
        return item

    with pytest.raises(ValueError, match="second"):
        list(client.map_ordered(work, range(30)))
    assert gauge.now == 0


def test_an_error_of_the_items_comes_after_the_results_of_the_items_before_it(client):
    def items():
        yield from range(5)
        raise RuntimeError("out of budget")

    got = []
    with pytest.raises(RuntimeError, match="out of budget"):
        for result in client.map_ordered(lambda item: item, items()):
            got.append(result)
    assert got == [0, 1, 2, 3, 4]


def test_a_consumer_that_stops_cancels_what_has_not_started_and_waits_for_what_has(client):
    gauge = Gauge()
    calls = []

    def work(item):
        calls.append(item)
        with gauge:
            time.sleep(0.01)
        return item

    results = client.map_ordered(work, range(1000))
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    results.close()
    assert gauge.now == 0
    settled = len(calls)
    time.sleep(0.05)
    assert len(calls) == settled <= 3 + consts.MAX_IN_FLIGHT


class FirstOnlyExecutor:
    """Runs the first `runs` calls at once and leaves every later one waiting, as a busy pool would."""

    def __init__(self, runs):
        self.runs = runs

    def submit(self, fn, item):
        from concurrent.futures import Future

        future = Future()
        if self.runs > 0:
            self.runs -= 1
            future.set_running_or_notify_cancel()
            future.set_result(fn(item))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_each_item_whose_call_never_started_is_told_to_dropped(client):
    calls, dropped = [], []
    client._executor = FirstOnlyExecutor(3)
    results = client.map_ordered(lambda item: calls.append(item) or item, range(1000), dropped=dropped.append)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    results.close()
    assert calls == [0, 1, 2]
    # the rest of the window: taken from the items, never called, each told once
    assert dropped and dropped == list(range(3, 3 + len(dropped))) and len(dropped) <= consts.MAX_IN_FLIGHT


def test_a_page_announced_but_never_asked_for_is_taken_back(client, requests_mock):
    pages(requests_mock, 50)
    announced, taken_back = [], []
    reader = client.iter_items("lists", before_page=announced.append, not_asked=taken_back.append)
    next(reader)
    next(reader)
    next(reader)  # page 2: the pages after it are being read, several at once
    reader.close()
    asked = sorted(int(r.qs["page"][0]) for r in requests_mock.request_history)
    assert sorted(number for number in announced if number not in taken_back) == asked


# --- requests: the throttle, 429, the deadline watchdog per thread ---------------------------------------------------


def pages(requests_mock, last, items=2, fail=None):
    """GET lists answering `last` pages of `items` items; `fail(page, context)` may answer an error instead."""

    def reply(request, context):
        number = int(request.qs["page"][0])
        if fail is not None:
            answer = fail(number, context)
            if answer is not None:
                return answer
        return envelope({"current_page": number, "last_page": last, "data": [{"n": number * 1000 + i} for i in range(items)]})

    return requests_mock.get(f"{BASE_URL}/lists", json=reply)


def test_iter_items_reads_page_1_then_page_2_alone_then_the_rest_at_once_and_yields_in_page_order(client, requests_mock, overlap):
    pages(requests_mock, 30)
    announced = []
    items = list(client.iter_items("lists", {"q": "x"}, before_page=announced.append))
    assert [item["n"] for item in items] == [page * 1000 + i for page in range(1, 31) for i in range(2)]
    asked = [int(r.qs["page"][0]) for r in requests_mock.request_history]
    assert asked[:2] == [1, 2] and sorted(asked) == list(range(1, 31))  # each page exactly once
    assert announced == list(range(1, 31))  # before_page in page order, before each request
    assert all(r.qs["limit"] == ["100"] and r.qs["q"] == ["x"] for r in requests_mock.request_history)
    # requests_mock answers one request at a time, so the overlap shows in the client's throttle (see the test against
    # the simulator below for requests that really overlap)
    assert 1 < overlap.seen and 1 < client.throttle.peak <= consts.MAX_IN_FLIGHT


def test_iter_lists_reads_the_pages_after_page_1_together_without_a_probe(client, requests_mock, overlap):
    asked = []

    def reply(request, context):
        number = int(request.qs["page"][0])
        asked.append(number)
        return envelope({"current_page": number, "last_page": 9, "data": [{"n": number}]})

    requests_mock.get(f"{BASE_URL}/lists", json=reply)
    assert [item["n"] for _, items, _ in client.iter_lists(["lists"]) for item in items] == list(range(1, 10))
    # no probe: the second page read in a worker already had another beside it (with a probe it would go alone)
    assert overlap.seen > 1 and asked[0] == 1 and sorted(asked) == list(range(1, 10))


def test_iter_items_of_two_or_three_pages_keeps_the_order_of_its_requests(client, requests_mock):
    pages(requests_mock, 3)
    assert len(list(client.iter_items("lists"))) == 6
    assert [r.qs["page"] for r in requests_mock.request_history] == [["1"], ["2"], ["3"]]


def test_a_consumer_that_stops_early_stops_the_reads(client, requests_mock):
    pages(requests_mock, 50, items=100)
    reader = client.iter_items("lists")
    taken = [next(reader) for _ in range(150)]  # page 1 and half of page 2
    reader.close()
    assert taken[-1]["n"] == 2049
    made = len(requests_mock.request_history)
    assert made <= 2 + consts.MAX_IN_FLIGHT
    time.sleep(0.05)
    assert len(requests_mock.request_history) == made


def test_a_budget_that_runs_out_stops_before_the_page_beyond_it(client, requests_mock):
    pages(requests_mock, 10)

    def budget(number):
        if number > 4:
            raise RuntimeError("budget")

    got = []
    with pytest.raises(RuntimeError, match="budget"):
        for item in client.iter_items("lists", before_page=budget):
            got.append(item["n"])
    assert got == [page * 1000 + i for page in range(1, 5) for i in range(2)]
    assert sorted(int(r.qs["page"][0]) for r in requests_mock.request_history) == [1, 2, 3, 4]


def test_a_failed_page_is_raised_after_the_pages_before_it(client, requests_mock):
    def fail(number, context):
        if number == 7:
            context.status_code = 500
            return envelope(None, f"oops {API_KEY}", "INTERNAL_SERVER_ERROR", 500)
        return None

    pages(requests_mock, 20, fail=fail)
    got = []
    with pytest.raises(cc.ClickSendHTTPError) as err:
        for item in client.iter_items("lists"):
            got.append(item["n"] // 1000)
    assert sorted(set(got)) == [1, 2, 3, 4, 5, 6] and got == sorted(got)
    assert "GET lists" in str(err.value) and API_KEY not in str(err.value)  # masked, from a worker thread too


def test_the_page_cap_still_holds_when_pages_are_read_at_once(client, requests_mock):
    pages(requests_mock, 99)
    with pytest.raises(cc.ClickSendError, match="more than 5 pages"):
        list(client.iter_items("lists", max_pages=5))
    assert sorted(int(r.qs["page"][0]) for r in requests_mock.request_history) == [1, 2, 3, 4, 5]


def test_a_429_halves_the_requests_allowed_in_flight_for_the_rest_of_the_run(client, requests_mock):
    answered = []

    def fail(number, context):
        if number == 5 and number not in answered:
            answered.append(number)
            context.status_code = 429
            context.headers["Retry-After"] = "0"
            return envelope(None, "Too many requests.", "TOO_MANY_REQUESTS", 429)
        return None

    pages(requests_mock, 40, fail=fail)
    assert len(list(client.iter_items("lists"))) == 80  # page 5 retried, as a read is
    assert client.throttle.limit == consts.MAX_IN_FLIGHT // 2
    assert sum(1 for r in requests_mock.request_history if r.qs["page"] == ["5"]) == 2


def test_the_throttle_lets_no_more_than_its_limit_through_and_never_goes_below_one():
    throttle = cc._Throttle(8)
    throttle.slow_down()
    gauge = Gauge()
    meeting = threading.Barrier(4, timeout=30)  # trips only with four inside at once

    def attempt():
        with throttle, gauge:
            meeting.wait()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.limit == 4 and gauge.most == 4 and throttle.in_flight == 0 and not meeting.broken
    for _ in range(10):
        throttle.slow_down()
    assert throttle.limit == 1


def test_pages_really_overlap_against_the_simulator_and_never_more_than_eight(sim, monkeypatch):
    """Pages 1 and 2 go alone; the 24 after them meet at the simulator in groups of eight (a barrier that only eight
    requests at once can trip), over real HTTP."""
    listing = sim.add_list("big", contacts=[{"phone_number": f"+614{n:08d}"} for n in range(2600)])
    gauge = Gauge()
    process = sim._process
    meeting = threading.Barrier(consts.MAX_IN_FLIGHT, timeout=30)

    def meeting_process(method, path, query, *args, **kwargs):
        with gauge:
            if int(query.get("page", ["1"])[0]) > 2:
                meeting.wait()
        return process(method, path, query, *args, **kwargs)

    monkeypatch.setattr(sim, "_process", meeting_process)
    client = cc.ClickSendClient(sim.url, sim.username, sim.api_key, timeout=60, sleep=lambda seconds: None)
    try:
        contacts = list(client.iter_items(f"lists/{listing['list_id']}/contacts"))
    finally:
        client.close()
    assert [contact["phone_number"] for contact in contacts] == [f"+614{n:08d}" for n in range(2600)]
    assert gauge.most == consts.MAX_IN_FLIGHT and not meeting.broken


def test_one_session_with_a_pool_of_eight_connections():
    made = cc.ClickSendClient(BASE_URL, "user", API_KEY)
    adapter = made.session.get_adapter(BASE_URL)
    assert isinstance(adapter, cc._DeadlineAdapter)
    assert adapter._pool_connections == adapter._pool_maxsize == consts.MAX_IN_FLIGHT
    made.close()


def test_each_concurrent_attempt_has_its_own_deadline(sim):
    """Eight reads at once against a server slower than the timeout: each is cut at its own deadline (the watchdog shuts
    its thread's sockets, not another's), so all eight end after about one timeout, not eight."""
    client = cc.ClickSendClient(sim.url, sim.username, sim.api_key, timeout=1.0, sleep=lambda seconds: None)
    sim.latency = 30.0
    started = time.monotonic()
    outcomes = []

    def read(number):
        try:
            client.get("account")
        except cc.ClickSendConnectionError as err:
            outcomes.append(str(err))
        return number

    try:
        assert list(client.map_ordered(read, range(8))) == list(range(8))
    finally:
        sim.latency = 0.0
        client.close()
    assert len(outcomes) == 8 and all("did not answer GET account within 1 s" in text for text in outcomes)
    # the first alone (1 s), then seven at once (1 s): 2 s; one deadline after another would take 8 s, and the
    # server's answers 30 s. The bound leaves a loaded machine 4 s.
    assert time.monotonic() - started < 6.0


# --- several lists at once --------------------------------------------------------------------------------------


def lists_of(requests_mock, sizes, fail=None):
    """GET lists/{id}/contacts for each list id -> number of contacts (pages of 100)."""
    for list_id, size in sizes.items():

        def reply(request, context, list_id=list_id, size=size):
            number = int(request.qs["page"][0])
            if fail is not None and fail(list_id, number, context):
                return envelope(None, "Not found.", "NOT_FOUND", 404)
            last = max(1, -(-size // 100))
            chunk = list(range((number - 1) * 100, min(number * 100, size)))
            return envelope({"current_page": number, "last_page": last, "data": [{"list": list_id, "n": n} for n in chunk]})

        requests_mock.get(f"{BASE_URL}/lists/{list_id}/contacts", json=reply)


def test_iter_lists_gives_every_page_of_every_list_in_order(client, requests_mock):
    sizes = {1: 250, 2: 100, 3: 0, 4: 1001, 5: 30}
    lists_of(requests_mock, sizes)
    paths = [f"lists/{list_id}/contacts" for list_id in sizes]
    announced = []
    read = list(client.iter_lists(paths, before_page=announced.append))
    seen = [(path, [item["n"] for item in items]) for path, items, _ in read]
    expected = []
    for list_id, size in sizes.items():
        for page in range(max(1, -(-size // 100))):
            expected.append((f"lists/{list_id}/contacts", list(range(page * 100, min(page * 100 + 100, size)))))
    assert seen == expected
    finals = [path for path, _, final in read if final]
    assert finals == paths  # each list's last page, and only that one, is final
    asked = sorted((r.path, int(r.qs["page"][0])) for r in requests_mock.request_history)
    wanted = [(f"/v3/lists/{list_id}/contacts", page + 1) for list_id, size in sizes.items() for page in range(max(1, -(-size // 100)))]
    assert asked == sorted(wanted)
    assert sorted(announced) == sorted(number for _, number in asked)


def test_iter_lists_skips_a_list_its_on_error_says_to_skip_and_raises_others(client, requests_mock):
    def gone(list_id, page, context):
        if list_id != 2:
            return False
        context.status_code = 404
        return True

    lists_of(requests_mock, {1: 150, 2: 150, 3: 50}, fail=gone)
    skipped = []

    def on_error(path, err):
        skipped.append(path)
        return isinstance(err, cc.ClickSendHTTPError) and err.status == 404

    seen = [path for path, _, _ in client.iter_lists([f"lists/{n}/contacts" for n in (1, 2, 3)], on_error=on_error)]
    assert seen == ["lists/1/contacts", "lists/1/contacts", "lists/3/contacts"]
    assert skipped == ["lists/2/contacts"]
    with pytest.raises(cc.ClickSendHTTPError):
        list(client.iter_lists([f"lists/{n}/contacts" for n in (1, 2, 3)]))


def test_iter_lists_stops_reading_when_the_consumer_stops(client, requests_mock):
    lists_of(requests_mock, dict.fromkeys(range(1, 40), 1000))
    reader = client.iter_lists([f"lists/{n}/contacts" for n in range(1, 40)])
    first_path, _, _ = next(reader)
    reader.close()
    assert first_path == "lists/1/contacts"
    made = len(requests_mock.request_history)
    assert made == 1  # the first read goes alone, and its answer was all the consumer wanted
    time.sleep(0.05)
    assert len(requests_mock.request_history) == made


def pages_of(requests_mock, path, pages, last_page):
    """GET path: page N -> pages.get(N) items (none beyond), with last_page(N) as the answer's last_page."""

    def reply(request, context):
        number = int(request.qs["page"][0])
        items = pages.get(number, [])
        return envelope({"current_page": number, "last_page": last_page(number), "data": items})

    requests_mock.get(f"{BASE_URL}/{path}", json=reply)


def test_iter_items_ends_at_a_page_that_says_it_is_the_last_whatever_page_1_claimed(client, requests_mock):
    # page 1 claims 500 pages; page 2 is empty and says it is page 2 of 2
    pages_of(requests_mock, "x", {1: [{"a": n} for n in range(100)]}, lambda number: 500 if number == 1 else 2)
    assert len(list(client.iter_items("x"))) == 100
    assert len(requests_mock.request_history) <= 1 + 8  # page 1, then at most one window of reads already under way


def test_iter_lists_reads_on_when_the_last_page_planned_says_more_follow(client, requests_mock):
    # page 1 says 2 pages; page 2 (full) says 3: contacts were added meanwhile
    pages = {1: [{"n": n} for n in range(100)], 2: [{"n": n} for n in range(100, 200)], 3: [{"n": "new"}]}
    pages_of(requests_mock, "y", pages, lambda number: 2 if number == 1 else 3)
    read = list(client.iter_lists(["y"]))
    assert [item["n"] for _, items, _ in read for item in items] == [*range(200), "new"]
    assert [final for _, _, final in read] == [False, False, True]


def test_iter_lists_ends_a_list_at_an_empty_page(client, requests_mock):
    pages_of(requests_mock, "z", {1: [{"n": 1}] * 100}, lambda number: 5 if number == 1 else number)
    pages_of(requests_mock, "w", {1: [{"n": 2}]}, lambda number: 1)
    read = [(path, len(items), final) for path, items, final in client.iter_lists(["z", "w"])]
    assert read == [("z", 100, False), ("z", 0, True), ("w", 1, True)]


def test_with_a_page_budget_no_page_1_is_read_ahead_of_the_pages_it_counts(client, requests_mock):
    lists_of(requests_mock, {1: 100, 2: 300, 3: 100, 4: 100})
    announced = []
    list(client.iter_lists([f"lists/{n}/contacts" for n in (1, 2, 3, 4)], before_page=announced.append))
    # the budget is spent in the order of the pages: list 1's one, list 2's three, then lists 3 and 4 (no page 1 of
    # lists 3 and 4 read ahead of list 2's pages 2 and 3, which a search that runs out of budget would then miss)
    assert announced == [1, 1, 2, 3, 1, 1]

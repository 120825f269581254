"""ClickSend's paginated lists (clicksend_pages): every page at the largest size, page 1 first, the pages after it
several at once and their items in page order, caps and budgets, several lists at once, ends of lists, cursors."""

import threading
import time

import pytest

import clicksend_client as cc
import clicksend_consts as consts
import clicksend_pages as cp
from tests.conftest import API_KEY, BASE_URL, Gauge, envelope


@pytest.fixture
def client():
    made = cc.ClickSendClient(BASE_URL, "user", API_KEY, timeout=7, sleep=lambda seconds: None)
    yield made
    made.close()


def test_pagination_reads_every_page_at_the_largest_size(client, requests_mock):
    def page(request, context):
        number = int(request.qs["page"][0])
        return envelope({"current_page": number, "last_page": 3, "data": [{"n": number * 10 + i} for i in range(2)]})

    requests_mock.get(f"{BASE_URL}/lists", json=page)
    items = list(cp.iter_items(client, "lists", {"q": "x"}))
    assert [i["n"] for i in items] == [10, 11, 20, 21, 30, 31]
    assert [r.qs["page"] for r in requests_mock.request_history] == [["1"], ["2"], ["3"]]
    assert all(r.qs["limit"] == ["100"] and r.qs["q"] == ["x"] for r in requests_mock.request_history)


def test_pagination_without_last_page_follows_next_page_url_or_full_pages(client, requests_mock):
    def page(request, context):
        number = int(request.qs["page"][0])
        if number == 1:
            return envelope({"current_page": 1, "next_page_url": "https://elsewhere.example/v3/lists?page=2", "data": [{"n": 1}]})
        if number == 2:
            return envelope({"current_page": 2, "data": [{"n": 2}] * 100})
        return envelope({"current_page": 3, "data": [{"n": 3}]})

    requests_mock.get(f"{BASE_URL}/lists", json=page)
    assert len(list(cp.iter_items(client, "lists"))) == 102
    assert all(r.url.startswith(BASE_URL) for r in requests_mock.request_history)


def test_pagination_stops_at_the_cap_with_a_message(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists", json=envelope({"current_page": 1, "last_page": 99, "data": [{"n": 1}]}))
    with pytest.raises(cc.ClickSendError) as err:
        list(cp.iter_items(client, "lists", max_pages=2))
    assert "more than 2 pages" in str(err.value)


@pytest.mark.parametrize("empty", [[], None])
def test_an_empty_collection_answered_as_data_list_or_null_is_no_items(client, requests_mock, empty):
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=envelope(empty))
    assert list(cp.iter_items(client, "automations/sms/inbound")) == []


def test_a_bare_list_answer_is_one_final_page(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists/5/contacts", json=envelope([{"contact_id": 1}, {"contact_id": 2}]))
    assert list(cp.iter_items(client, "lists/5/contacts")) == [{"contact_id": 1}, {"contact_id": 2}]
    assert requests_mock.call_count == 1


def test_pagination_with_wrong_shape_is_an_error(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists", json=envelope("{}"))
    with pytest.raises(cc.ClickSendResponseError):
        list(cp.iter_items(client, "lists"))


def test_a_page_announced_but_never_asked_for_is_taken_back(client, requests_mock):
    serve_pages(requests_mock, 50)
    announced, taken_back = [], []
    reader = cp.iter_items(client, "lists", before_page=announced.append, not_asked=taken_back.append)
    next(reader)
    next(reader)
    next(reader)  # page 2: the pages after it are being read, several at once
    reader.close()
    asked = sorted(int(r.qs["page"][0]) for r in requests_mock.request_history)
    assert sorted(number for number in announced if number not in taken_back) == asked


def serve_pages(requests_mock, last, items=2, fail=None):
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
    serve_pages(requests_mock, 30)
    announced = []
    items = list(cp.iter_items(client, "lists", {"q": "x"}, before_page=announced.append))
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
    assert [item["n"] for _, items, _ in cp.iter_lists(client, ["lists"]) for item in items] == list(range(1, 10))
    # no probe: the second page read in a worker already had another beside it (with a probe it would go alone)
    assert overlap.seen > 1 and asked[0] == 1 and sorted(asked) == list(range(1, 10))


def test_iter_items_of_two_or_three_pages_keeps_the_order_of_its_requests(client, requests_mock):
    serve_pages(requests_mock, 3)
    assert len(list(cp.iter_items(client, "lists"))) == 6
    assert [r.qs["page"] for r in requests_mock.request_history] == [["1"], ["2"], ["3"]]


def test_a_consumer_that_stops_early_stops_the_reads(client, requests_mock):
    serve_pages(requests_mock, 50, items=100)
    reader = cp.iter_items(client, "lists")
    taken = [next(reader) for _ in range(150)]  # page 1 and half of page 2
    reader.close()
    assert taken[-1]["n"] == 2049
    made = len(requests_mock.request_history)
    assert made <= 2 + consts.MAX_IN_FLIGHT
    time.sleep(0.05)
    assert len(requests_mock.request_history) == made


def test_a_budget_that_runs_out_stops_before_the_page_beyond_it(client, requests_mock):
    serve_pages(requests_mock, 10)

    def budget(number):
        if number > 4:
            raise RuntimeError("budget")

    got = []
    with pytest.raises(RuntimeError, match="budget"):
        for item in cp.iter_items(client, "lists", before_page=budget):
            got.append(item["n"])
    assert got == [page * 1000 + i for page in range(1, 5) for i in range(2)]
    assert sorted(int(r.qs["page"][0]) for r in requests_mock.request_history) == [1, 2, 3, 4]


def test_a_failed_page_is_raised_after_the_pages_before_it(client, requests_mock):
    def fail(number, context):
        if number == 7:
            context.status_code = 500
            return envelope(None, f"oops {API_KEY}", "INTERNAL_SERVER_ERROR", 500)
        return None

    serve_pages(requests_mock, 20, fail=fail)
    got = []
    with pytest.raises(cc.ClickSendHTTPError) as err:
        for item in cp.iter_items(client, "lists"):
            got.append(item["n"] // 1000)
    assert sorted(set(got)) == [1, 2, 3, 4, 5, 6] and got == sorted(got)
    assert "GET lists" in str(err.value) and API_KEY not in str(err.value)  # masked, from a worker thread too


def test_the_page_cap_still_holds_when_pages_are_read_at_once(client, requests_mock):
    serve_pages(requests_mock, 99)
    with pytest.raises(cc.ClickSendError, match="more than 5 pages"):
        list(cp.iter_items(client, "lists", max_pages=5))
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

    serve_pages(requests_mock, 40, fail=fail)
    assert len(list(cp.iter_items(client, "lists"))) == 80  # page 5 retried, as a read is
    assert client.throttle.limit == consts.MAX_IN_FLIGHT // 2
    assert sum(1 for r in requests_mock.request_history if r.qs["page"] == ["5"]) == 2


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
        contacts = list(cp.iter_items(client, f"lists/{listing['list_id']}/contacts"))
    finally:
        client.close()
    assert [contact["phone_number"] for contact in contacts] == [f"+614{n:08d}" for n in range(2600)]
    assert gauge.most == consts.MAX_IN_FLIGHT and not meeting.broken


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
    read = list(cp.iter_lists(client, paths, before_page=announced.append))
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

    seen = [path for path, _, _ in cp.iter_lists(client, [f"lists/{n}/contacts" for n in (1, 2, 3)], on_error=on_error)]
    assert seen == ["lists/1/contacts", "lists/1/contacts", "lists/3/contacts"]
    assert skipped == ["lists/2/contacts"]
    with pytest.raises(cc.ClickSendHTTPError):
        list(cp.iter_lists(client, [f"lists/{n}/contacts" for n in (1, 2, 3)]))


def test_iter_lists_stops_reading_when_the_consumer_stops(client, requests_mock):
    lists_of(requests_mock, dict.fromkeys(range(1, 40), 1000))
    reader = cp.iter_lists(client, [f"lists/{n}/contacts" for n in range(1, 40)])
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
    assert len(list(cp.iter_items(client, "x"))) == 100
    assert len(requests_mock.request_history) <= 1 + 8  # page 1, then at most one window of reads already under way


def test_iter_lists_reads_on_when_the_last_page_planned_says_more_follow(client, requests_mock):
    # page 1 says 2 pages; page 2 (full) says 3: contacts were added meanwhile
    pages = {1: [{"n": n} for n in range(100)], 2: [{"n": n} for n in range(100, 200)], 3: [{"n": "new"}]}
    pages_of(requests_mock, "y", pages, lambda number: 2 if number == 1 else 3)
    read = list(cp.iter_lists(client, ["y"]))
    assert [item["n"] for _, items, _ in read for item in items] == [*range(200), "new"]
    assert [final for _, _, final in read] == [False, False, True]


def test_iter_lists_ends_a_list_at_an_empty_page(client, requests_mock):
    pages_of(requests_mock, "z", {1: [{"n": 1}] * 100}, lambda number: 5 if number == 1 else number)
    pages_of(requests_mock, "w", {1: [{"n": 2}]}, lambda number: 1)
    read = [(path, len(items), final) for path, items, final in cp.iter_lists(client, ["z", "w"])]
    assert read == [("z", 100, False), ("z", 0, True), ("w", 1, True)]


def test_with_a_page_budget_no_page_1_is_read_ahead_of_the_pages_it_counts(client, requests_mock):
    lists_of(requests_mock, {1: 100, 2: 300, 3: 100, 4: 100})
    announced = []
    list(cp.iter_lists(client, [f"lists/{n}/contacts" for n in (1, 2, 3, 4)], before_page=announced.append))
    # the budget is spent in the order of the pages: list 1's one, list 2's three, then lists 3 and 4 (no page 1 of
    # lists 3 and 4 read ahead of list 2's pages 2 and 3, which a search that runs out of budget would then miss)
    assert announced == [1, 1, 2, 3, 1, 1]

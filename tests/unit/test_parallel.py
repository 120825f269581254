"""The one concurrency helper (clicksend_parallel.Workers.map_ordered): results in order, at most MAX_IN_FLIGHT calls
at once, the first call alone, errors in order, lazy reading of the items, cancellation."""

import threading
import time

import pytest

import clicksend_consts as consts
import clicksend_errors as ce
from clicksend_parallel import Ready, Workers
from tests.conftest import Gauge


@pytest.fixture
def workers():
    made = Workers()
    yield made
    made.close()


def test_results_come_in_the_order_of_the_items_whatever_order_the_calls_end_in(workers):
    def slow_first(item):
        time.sleep(0.002 * (20 - item))  # the later items end first
        return item * 10

    assert list(workers.map_ordered(slow_first, range(20))) == [item * 10 for item in range(20)]


def test_at_most_eight_calls_run_at_once_and_the_first_goes_alone(workers):
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
    assert list(workers.map_ordered(work, items)) == list(items)
    assert first_alone == [1]
    assert gauge.most == consts.MAX_IN_FLIGHT == 8


def test_the_items_are_read_lazily_in_the_callers_thread_at_most_a_window_ahead(workers):
    pulled = []
    caller = threading.get_ident()

    def items():
        for item in range(100):
            assert threading.get_ident() == caller
            pulled.append(item)
            yield item

    results = workers.map_ordered(lambda item: item, items())
    assert next(results) == 0
    assert pulled == [0]  # the first call alone: nothing else read yet
    assert next(results) == 1
    assert len(pulled) <= 2 + consts.MAX_IN_FLIGHT
    results.close()


def test_ready_items_are_given_in_their_place_without_a_call(workers):
    called = []

    def work(item):
        called.append(item)
        return f"call {item}"

    items = [Ready("known 0"), 1, Ready("known 2"), 3]
    assert list(workers.map_ordered(work, items)) == ["known 0", "call 1", "known 2", "call 3"]
    assert sorted(called) == [1, 3]


def test_a_failing_call_raises_in_its_place_after_the_results_before_it_and_stops_the_rest(workers):
    pulled = []

    def items():
        for item in range(200):
            pulled.append(item)
            yield item

    def work(item):
        if item == 12:
            raise ce.ClickSendError("item 12 failed")
        time.sleep(0.001)
        return item

    got = []
    with pytest.raises(ce.ClickSendError, match="item 12 failed"):
        for result in workers.map_ordered(work, items()):
            got.append(result)
    assert got == list(range(12))
    assert len(pulled) <= 13 + consts.MAX_IN_FLIGHT  # the items are read no further than the window after the failure


def test_the_first_error_in_order_wins_and_nothing_started_is_still_running_when_it_is_raised(workers):
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
        list(workers.map_ordered(work, range(30)))
    assert gauge.now == 0


def test_an_error_of_the_items_comes_after_the_results_of_the_items_before_it(workers):
    def items():
        yield from range(5)
        raise RuntimeError("out of budget")

    got = []
    with pytest.raises(RuntimeError, match="out of budget"):
        for result in workers.map_ordered(lambda item: item, items()):
            got.append(result)
    assert got == [0, 1, 2, 3, 4]


def test_a_consumer_that_stops_cancels_what_has_not_started_and_waits_for_what_has(workers):
    gauge = Gauge()
    calls = []

    def work(item):
        calls.append(item)
        with gauge:
            time.sleep(0.01)
        return item

    results = workers.map_ordered(work, range(1000))
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


def test_each_item_whose_call_never_started_is_told_to_dropped(workers):
    calls, dropped = [], []
    workers._executor = FirstOnlyExecutor(3)
    results = workers.map_ordered(lambda item: calls.append(item) or item, range(1000), dropped=dropped.append)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    results.close()
    assert calls == [0, 1, 2]
    # the rest of the window: taken from the items, never called, each told once
    assert dropped and dropped == list(range(3, 3 + len(dropped))) and len(dropped) <= consts.MAX_IN_FLIGHT

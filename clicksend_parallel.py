# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The app's one concurrency helper: calls made in worker threads, their results given back in order.

Reads of many pages and the mark-read of many messages go through Workers.map_ordered: at most MAX_IN_FLIGHT calls
at once, results in the order asked for, the first failure stopping the rest, nothing it started outliving it.
Handlers never start threads themselves, and sends never go through it: the calls of a send go one after another.
Knows nothing of HTTP: the calls are the caller's (each request they make waits for a place in the transport's
throttle).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Callable, Optional

import clicksend_consts as consts


class Ready:
    """An item of map_ordered whose result is known already: yielded in its place, without a call."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


class _Slot:
    """One place in map_ordered's output: a call in a worker (with its item), a Ready value, or the error that ended
    the items."""

    __slots__ = ("error", "future", "item", "value")

    def __init__(self, future: Any = None, value: Any = None, error: Optional[BaseException] = None, item: Any = None):
        self.future, self.value, self.error, self.item = future, value, error, item

    def ready(self) -> bool:
        return self.future is None or self.future.done()

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value if self.future is None else self.future.result()


class Workers:
    """The worker threads of one run (made on first use) and map_ordered over them."""

    def __init__(self) -> None:
        self._executor: Any = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def map_ordered(
        self, fn: Callable[[Any], Any], items: Iterable, dropped: Optional[Callable[[Any], None]] = None, probe: bool = True
    ) -> Iterator:
        """Yield fn(item) for every item, in the order of `items`, with the calls made in worker threads: at most
        MAX_IN_FLIGHT requests in flight (the transport's throttle: fewer after a 429) and at most MAX_IN_FLIGHT results
        made but not yet taken, so memory stays flat however many items come.

        - `items` is read lazily, in the caller's thread, only as far as the window needs: a generator of items may
          do work per item (on poll saves each message there), and is read no further after a failure.
        - The first call goes alone (probe); once one call succeeded, the others fill the window. A failure that would
          hit every call (a refused key, a rate limit, a missing list) costs one request, and two items keep their
          order. probe=False: a request like these just succeeded (page 1 of the same list), so the window opens at once.
        - A Ready(value) item is yielded in its place, without a call.
        - A call that raises stops the reading of `items`: every result before it is yielded, then its exception is
          raised. An exception raised by `items` itself comes likewise after the results of the items before it.
        - However the generator ends (a consumer that stops iterating closes it), calls not started are cancelled
          (`dropped(item)` is told of each, in this thread: a page counter takes back a page never asked for) and
          those running are waited for: nothing it started outlives it.
        """
        source = iter(items)
        slots: deque = deque()
        window = 1 if probe else consts.MAX_IN_FLIGHT
        failed = threading.Event()
        ended = False

        def note(future: Any) -> None:
            if not future.cancelled() and future.exception() is not None:
                failed.set()

        try:
            while True:
                if not slots or not slots[0].ready():
                    while not ended and not failed.is_set() and len(slots) < window:
                        try:
                            item = next(source)
                        except StopIteration:
                            ended = True
                            break
                        except Exception as exc:  # the items' own failure, in its place
                            slots.append(_Slot(error=exc))
                            ended = True
                            break
                        if isinstance(item, Ready):
                            slots.append(_Slot(value=item.value))
                            if len(slots) == 1:
                                break  # the next result is known: give it before asking anything more
                            continue
                        future = self._pool().submit(fn, item)
                        future.add_done_callback(note)
                        slots.append(_Slot(future=future, item=item))
                if not slots:
                    return
                slot = slots.popleft()
                value = slot.result()
                if slot.future is not None:
                    window = consts.MAX_IN_FLIGHT
                yield value
        finally:
            running = []
            for slot in slots:
                if slot.future is None:
                    continue
                if not slot.future.cancel():
                    running.append(slot.future)
                elif dropped is not None:
                    dropped(slot.item)
            close = getattr(source, "close", None)
            if close is not None:
                close()
            for future in running:
                future.exception()  # waits; its outcome is dropped: the caller stopped before it, or a failure came first

    def _pool(self) -> Any:
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor  # only actions that read many pages need threads

            self._executor = ThreadPoolExecutor(max_workers=consts.MAX_IN_FLIGHT, thread_name_prefix="clicksend")
        return self._executor

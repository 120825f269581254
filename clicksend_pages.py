# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""ClickSend's paginated lists read through the client: every item of a list, of several lists, of a cursor service.

Page-numbered lists (iter_items, iter_lists) are read at ClickSend's largest page size; page 1 tells how many pages
follow, and those are read several at once through the client's map_ordered, their items given in page order. A
read is bounded by MAX_PAGES, and a caller may count or budget pages (before_page) or stop reading at any item: the
reads under way stop with it. Cursor services are read one page after another (own-numbers), or one page only where
ClickSend documents no cursor parameter (alpha-tags).
`client` is a clicksend_client.ClickSendClient (its get, request and map_ordered).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Callable, Optional
from urllib.parse import unquote

import clicksend_consts as consts
from clicksend_errors import ClickSendError, ClickSendResponseError
from clicksend_parallel import Ready


class _PageRead:
    """One page as read: its items, whether another page may follow, the last page number ClickSend gave (or None)."""

    __slots__ = ("items", "last", "more")

    def __init__(self, items: list, more: bool, last: Optional[int]):
        self.items, self.more, self.last = items, more, last


def page(client: Any, path: str, number: int, params: Optional[dict] = None) -> tuple:
    """One page of a paginated list endpoint, at ClickSend's largest page size: (its items, whether another page
    may follow). An empty collection (data [] or null) is ([], False); a bare list (GET lists/{id}/contacts, as
    ClickSend documents it) is the one and final page."""
    read = read_page(client, path, number, params)
    return read.items, read.more


def read_page(client: Any, path: str, number: int, params: Optional[dict]) -> _PageRead:
    data = client.get(path, dict(params or {}, page=number, limit=consts.PAGE_LIMIT))
    if data is None or data == []:
        return _PageRead([], False, None)
    if isinstance(data, list):
        return _PageRead(data, False, None)
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ClickSendResponseError(f"ClickSend answered GET {path} (page {number}) without a list of items")
    last = _as_int(data.get("last_page"), 0)
    return _PageRead(items, bool(items) and _has_next_page(data, number, len(items)), last if last > 0 else None)


def iter_items(
    client: Any,
    path: str,
    params: Optional[dict] = None,
    max_pages: int = consts.MAX_PAGES,
    before_page: Optional[Callable[[int], None]] = None,
    not_asked: Optional[Callable[[int], None]] = None,
) -> Iterator[dict]:
    """Yield every item of a paginated list endpoint, page by page in page order (see page). Page 1 is read
    first; when it gives last_page, the pages after it are read through map_ordered (several at once); without
    it (a bare list, or only a next_page_url) one after another. `before_page(number)` is called before each page
    is asked for, in page order: a caller counts pages with it, or raises to stop within a budget. A caller that
    stops iterating stops the reads (see map_ordered); `not_asked(number)` is then told of each page announced
    but never asked for."""
    if before_page is not None:
        before_page(1)
    read = read_page(client, path, 1, params)
    yield from read.items
    for items in _later_pages(client, path, params, 1, read, max_pages, before_page, not_asked):
        yield from items


def _later_pages(
    client: Any,
    path: str,
    params: Optional[dict],
    number: int,
    read: _PageRead,
    max_pages: int,
    before_page: Optional[Callable[[int], None]],
    not_asked: Optional[Callable[[int], None]] = None,
) -> Iterator[list]:
    """The items of each page after page `number`, whose answer was `read`."""
    while read.more:
        if number >= max_pages:
            raise ClickSendError(
                f"GET {path} has more than {max_pages} pages of {consts.PAGE_LIMIT}; the app stopped reading there to stay bounded"
            )
        if read.last is None or read.last <= number + 1:  # one page left, or no last page known: the next one alone
            number += 1
            if before_page is not None:
                before_page(number)
            read = read_page(client, path, number, params)
            yield read.items
            continue
        wanted = range(number + 1, min(read.last, max_pages) + 1)
        # the next page goes alone, then the others together: a caller that stops at a limit (list messages) reads
        # no page beyond the one that reached it when that is page 2
        reads = client.map_ordered(lambda at: (at, read_page(client, path, at, params)), _announced(wanted, before_page), not_asked)
        try:
            for number, read in reads:  # noqa: B007 (the last page read decides whether more follow)
                yield read.items
                if not read.more:  # an empty page, or one that says it is the last: the list ends here,
                    break  # whatever last_page said before (the reads still under way are stopped)
        finally:
            reads.close()  # a consumer that stopped stops the reads under way


def iter_lists(
    client: Any,
    paths: Iterable[str],
    max_pages: int = consts.MAX_PAGES,
    before_page: Optional[Callable[[int], None]] = None,
    on_error: Optional[Callable[[str, ClickSendError], bool]] = None,
    not_asked: Optional[Callable[[int], None]] = None,
) -> Iterator[tuple]:
    """(path, items, final) for every page of several paginated list endpoints (the contacts of several lists): paths
    in their order, the pages of each in page order, with at most MAX_IN_FLIGHT requests in flight across them all.
    `final` is True on the page that ends a path (its list was read to the end). A consumer that stops iterating
    (the contact is found) stops the reads.

    Page 1 of a path tells how many pages follow (last_page); those are read several at once. A page that says the
    list ends (empty, or the last) ends the path there; a path whose last page still says more follow (the list
    grew meanwhile, or ClickSend gave no last page) is read on page after page.

    `before_page(number)` is called before each page is asked for (with 1 for each path's first page), in order:
    with it (a page budget), page 1 of the paths ahead is read only once the pages of the path at hand are asked
    for, so the budget is spent in order; without it, page 1 of the paths ahead is read meanwhile.
    `on_error(path, error)` is called when a page of a path cannot be read: True skips the rest of that path (a
    list deleted meanwhile), False raises the error; without it every error is raised. `not_asked(number)` is told
    of each page announced to before_page but never asked for (the consumer stopped first)."""

    def first(path: str) -> tuple:
        try:
            return path, read_page(client, path, 1, None)
        except ClickSendError as err:
            return path, err

    def later(task: tuple) -> tuple:
        path, number, tail = task
        try:
            return path, number, read_page(client, path, number, None), tail
        except ClickSendError as err:
            return path, number, err, tail

    def plan() -> Iterator:
        announced = _announced_each(paths, before_page)
        # with a page budget, page 1 of a path is read only when the plan reaches it (in this thread, in order)
        firsts = (first(path) for path in announced) if before_page is not None else client.map_ordered(first, announced)
        try:
            for path, read in firsts:
                end = min(read.last, max_pages) if isinstance(read, _PageRead) and read.more and read.last else 1
                yield Ready((path, 1, read, end <= 1))
                for number in range(2, end + 1):
                    if before_page is not None:
                        before_page(number)
                    yield path, number, number == end
        finally:
            firsts.close()

    ended = None  # a path whose pages still to come are passed over (it ended early, or on_error skipped it)
    untold = None if not_asked is None else lambda task: not_asked(task[1])
    pages = client.map_ordered(later, plan(), untold, probe=False)  # page 1 of a list went first: no probe needed
    try:
        for path, number, answer, tail in pages:
            if path == ended:
                continue
            if isinstance(answer, ClickSendError):
                if on_error is not None and on_error(path, answer):
                    ended = path
                    continue
                raise answer
            if not answer.more:
                ended = path
                yield path, answer.items, True
            elif not tail:
                yield path, answer.items, False
            else:  # the last page planned says more follow: page after page from there
                ended = path
                try:
                    yield from _rest_of(client, path, number, answer, max_pages, before_page, not_asked)
                except ClickSendError as err:
                    if on_error is None or not on_error(path, err):
                        raise
    finally:
        pages.close()  # a consumer that stopped (the contact is found) stops the reads under way


def _rest_of(client: Any, path: str, number: int, read: _PageRead, max_pages: int, before_page: Any, not_asked: Any) -> Iterator:
    """(path, items, final) of page `number` (answered `read`) and of each page after it, read on page by page."""
    items = read.items
    for following in _later_pages(client, path, None, number, read, max_pages, before_page, not_asked):
        yield path, items, False
        items = following
    yield path, items, True


def iter_cursor(
    client: Any,
    path: str,
    key: str,
    page_size: int,
    max_pages: int = consts.MAX_PAGES,
    before_page: Optional[Callable[[int], None]] = None,
) -> Iterator[dict]:
    """Yield every item of one of ClickSend's cursor-paginated services (own-numbers), which answer
    `{key: [...], "_metadata": {"pagination": {"next": <link>}}}` without the envelope. The next page is asked
    for at the same path with the `offset` cursor taken from that link, whole (the link itself is never followed);
    no link, or an empty page, ends the list. `before_page` as in iter_items."""
    query: dict = {"page_size": page_size}
    seen: set = set()
    number = 1
    while True:
        if before_page is not None:
            before_page(number)
        items, data = _cursor_read(client, path, key, query, number)
        yield from items
        cursor = _next_cursor(data, path)
        if not items or cursor is None:
            return
        if cursor in seen:
            raise ClickSendResponseError(f"ClickSend answered GET {path} with a next-page cursor it gave before; the app stopped reading there")
        if number >= max_pages:
            raise ClickSendError(f"ClickSend's GET {path} has more than {max_pages} pages of {page_size}; the app stopped reading there")
        seen.add(cursor)
        query["offset"] = cursor
        number += 1


def cursor_page(client: Any, path: str, key: str, page_size: int) -> tuple:
    """The first (and only readable) page of a cursor-paginated service that documents no `offset` (alpha-tags):
    (its items, whether its answer links a next page the app has no documented way to ask for)."""
    items, data = _cursor_read(client, path, key, {"page_size": page_size}, 1)
    meta = data.get("_metadata")
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    return items, bool(items) and isinstance(pagination, dict) and bool(pagination.get("next"))


def _cursor_read(client: Any, path: str, key: str, query: dict, number: int) -> tuple:
    data = client.request("GET", path, params=dict(query), enveloped=False)
    items = data.get(key)
    if not isinstance(items, list):
        raise ClickSendResponseError(f"ClickSend answered GET {path} (page {number}) without a list of {key}")
    return items, data


def _next_cursor(data: dict, path: str) -> Optional[str]:
    """The `offset` cursor of a cursor-paginated answer's next-page link; None on the last page. The cursor is read
    whole: ClickSend's own-numbers cursor is two ids joined by '#' (`offset=<uuid>#<uuid>&page_size=10`, written
    unencoded in its links), so the link is not split as a URL, where '#' would start a fragment. The app sends it
    back encoded (%23)."""
    meta = data.get("_metadata")
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    link = pagination.get("next") if isinstance(pagination, dict) else None
    if not link:
        return None
    query = str(link).split("?", 1)[1] if "?" in str(link) else ""
    cursors = [unquote(part[len("offset=") :]) for part in query.split("&") if part.startswith("offset=")]
    if not cursors or not cursors[0]:
        raise ClickSendResponseError(f"ClickSend answered GET {path} with a next-page link that has no offset cursor")
    return cursors[0]


def _has_next_page(data: dict, number: int, count: int) -> bool:
    """ClickSend gives last_page; without it, a next_page_url or a full page means there may be more."""
    last = _as_int(data.get("last_page"), 0)
    if last:
        return number < last
    return bool(data.get("next_page_url")) or count >= consts.PAGE_LIMIT


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _announced(pages: Iterable[int], before_page: Optional[Callable[[int], None]]) -> Iterator[int]:
    """The page numbers, each told to before_page as it is about to be asked for."""
    for number in pages:
        if before_page is not None:
            before_page(number)
        yield number


def _announced_each(paths: Iterable[str], before_page: Optional[Callable[[int], None]]) -> Iterator[str]:
    """The paths, the first page of each told to before_page as it is about to be asked for."""
    for path in paths:
        if before_page is not None:
            before_page(1)
        yield path

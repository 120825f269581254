# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Read actions operators reach for: list messages (SMS history), list senders, find contact (across every list).

Every page-numbered read goes through clicksend_pages.iter_items (find contact's reads of many lists through
clicksend_pages.iter_lists), the senders through clicksend_senders (cursor pages for own numbers and alpha tags); a
Pages counter passed as their before_page counts the requests (and bounds find contact's).
"""

from __future__ import annotations

import re
import time
from typing import Any, Callable, Optional

import clicksend_consts as consts
import clicksend_pages
import clicksend_params as checks
import clicksend_senders as senders_of
from clicksend_contacts import contact_pages, list_groups, phone_matcher
from clicksend_params import ActionFailed, ParameterError
from clicksend_text import plural


STATUS_WORD_RE = re.compile(r"^[A-Za-z][A-Za-z:_-]{0,39}$")  # Sent, Queued, WaitApproval, Queued:WaitSend...
STATUS_CODE_RE = re.compile(r"^\d{3}$")  # 200, 201, 300, 301, 302


class OutOfPages(Exception):
    """A read reached its page budget (raised before the request beyond it)."""


class Pages:
    """A before_page for the client's paginators: counts the pages asked for; with a budget, stops before going over it."""

    def __init__(self, budget: Optional[int] = None):
        self.read = 0
        self.budget = budget

    def __call__(self, number: int) -> None:
        if self.budget is not None and self.read >= self.budget:
            raise OutOfPages()
        self.read += 1

    def not_asked(self, _number: int) -> None:
        """A page counted but never asked for (the read stopped first): it is neither read nor spent."""
        self.read -= 1

    def text(self) -> str:
        return plural(self.read, "page")


def _as_int(value: Any) -> Optional[int]:
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError, OverflowError):
        return None


def _iso(stamp: Optional[int]) -> Optional[str]:
    """Unix seconds as an ISO-8601 UTC time (None when there is none or it is out of range)."""
    try:
        return None if stamp is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))
    except (OverflowError, OSError, ValueError):
        return None


# --- list messages ------------------------------------------------------------------------------------------------


def _history_filters(ctx, params) -> tuple:
    """The query of GET sms/history (newest first), the filters in words, and the test every row listed must pass,
    every parameter checked first. ClickSend's `q` takes the fields it documents (status word, to, from,
    subaccount_id, message_id): a status code is not one, so the app filters by it itself; and it checks every row
    against every filter, so a row ClickSend returns beyond what was asked is never listed."""
    date_from = checks.moment(params.string("date_from"), "date_from")
    date_to = checks.moment(params.string("date_to"), "date_to", end_of_day=True)
    if date_from is not None and date_to is not None and date_to < date_from:
        raise ParameterError("date_to", f"({_iso(date_to)}) is before date_from ({_iso(date_from)})")
    status = params.string("status")
    if status is not None and not (STATUS_WORD_RE.match(status) or STATUS_CODE_RE.match(status)):
        raise ParameterError(
            "status", f"{status[:40]!r} is neither a ClickSend status word (Sent, Queued, Scheduled, Failed...) nor a status code (201, 301...)"
        )
    raw_to = params.string("to")
    number = checks.phone_number(raw_to, ctx.account.default_country, "to") if raw_to else None
    same_number = phone_matcher(number, ctx.account.default_country) if number else None
    query: dict = {"order_by": "date:desc"}
    filters, words = [], []
    code = status if status is not None and STATUS_CODE_RE.match(status) else None
    word = status if status is not None and code is None else None
    if word is not None:
        filters.append(f"status:{word}")
        words.append(f"status {word}")
    if code is not None:
        words.append(f"status code {code}")
    if number is not None:
        filters.append(f"to:{number}")
        words.append(f"to {number}")
    if filters:
        query["q"] = ",".join(filters)  # ClickSend ANDs the filters
    if date_from is not None:
        query["date_from"] = date_from
        words.append(f"from {_iso(date_from)}")
    if date_to is not None:
        query["date_to"] = date_to
        words.append(f"until {_iso(date_to)}")

    def wanted(row: dict) -> bool:
        if str(row.get("direction") or "").strip().lower() == "in" or str(row.get("status") or "") == "Received":
            return False  # a reply ClickSend lists among the sent messages: not a sent message
        found = str(row.get("status") or "").casefold()
        if word is not None and word.casefold() not in (found, found.split(":")[0]):  # Queued matches Queued:WaitSend
            return False
        if code is not None and _as_int(row.get("status_code")) != int(code):
            return False
        if same_number is not None and not same_number({"phone_number": row.get("to")}):
            return False
        date = _as_int(row.get("date"))
        if date_from is not None and (date is None or date < date_from):
            return False
        return date_to is None or (date is not None and date <= date_to)

    return query, words, wanted


def _history_item(row: dict) -> dict:
    date = _as_int(row.get("date"))
    code, price = row.get("status_code"), row.get("message_price")
    return {
        "message_id": row.get("message_id"),
        "direction": row.get("direction"),
        "date": date,
        "date_iso": _iso(date),
        "to": row.get("to"),
        "from": row.get("from"),
        "body": row.get("body"),
        "status": row.get("status"),
        "status_code": None if code is None else str(code),
        "status_text": row.get("status_text"),
        "message_parts": _as_int(row.get("message_parts")),
        "message_price": None if price is None else str(price),
        "custom_string": row.get("custom_string"),
    }


def list_messages(ctx, params, result) -> str:
    limit = params.integer("limit", minimum=1, maximum=consts.LIST_MESSAGES_MAX_LIMIT, default=consts.LIST_MESSAGES_DEFAULT_LIMIT)
    query, words, wanted = _history_filters(ctx, params)
    ctx.progress(f"Reading ClickSend's SMS history, newest first, up to {plural(limit, 'message')}")
    pages = Pages(consts.LIST_MESSAGES_MAX_PAGES)
    rows: list = []
    more = stopped = False
    try:
        for row in clicksend_pages.iter_items(ctx.client, consts.EP_SMS_HISTORY, query, before_page=pages, not_asked=pages.not_asked):
            if isinstance(row, dict) and wanted(row):
                if len(rows) >= limit:
                    more = True  # one matching row beyond the limit: limit_reached says that more exist, never less
                    break
                rows.append(_history_item(row))
    except OutOfPages:
        stopped = True
    rows.sort(key=lambda item: item["date"] or 0, reverse=True)  # stable: newest first, whatever order ClickSend served
    for item in rows:
        result.add_data(item)
    total_price = round(sum(_price(item["message_price"]) for item in rows), 6)
    summary = result.update_summary({})
    summary.update(total_messages=len(rows), total_price=total_price, limit_reached=more, pages_read=pages.read)
    matching = f" ({', '.join(words)})" if words else ""
    text = f"Listed {plural(len(rows), 'message')} of ClickSend's SMS history{matching}, newest first; {pages.text()} read"
    if stopped:
        raise ActionFailed(text + consts.MSG_HISTORY_PAGES.format(pages=consts.LIST_MESSAGES_MAX_PAGES))
    if more:
        return text + f"; stopped at the limit of {limit}: older messages match too (raise limit or narrow the dates)"
    if not rows:
        text += "; ClickSend keeps about 4 months of SMS history, and MMS and voice messages are not in it"
    return text


def _price(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


# --- list senders -------------------------------------------------------------------------------------------------


def _default_sender(ctx) -> Optional[str]:
    if not ctx.settings.default_from:
        return None
    return checks.sender(ctx.settings.default_from, ctx.account.default_country, "default_from", "Asset field")


def list_senders(ctx, params, result) -> str:
    default = _default_sender(ctx)
    pages = Pages()
    senders: list = []
    left_out = {senders_of.OWN: 0, senders_of.ALPHA: 0}
    more_tags: list = []  # told when the one page of alpha tags the app can read links a next one
    ctx.progress("Reading the account's dedicated numbers, own numbers and alpha tags")
    senders.extend(senders_of.dedicated_numbers(ctx.client, before_page=pages, not_asked=pages.not_asked))
    for kind in (senders_of.OWN, senders_of.ALPHA):
        for item in senders_of.cursor_senders(ctx.client, kind, before_page=pages, told_more=lambda: more_tags.append(True)):
            if senders_of.approved(item):
                senders.append(item)
            else:
                left_out[kind] += 1  # waiting for approval or rejected: ClickSend would not send from it
    marked = None
    for sender in senders:
        sender["is_default"] = default is not None and senders_of.same_sender(sender["sender"], default)
        marked = marked or (sender if sender["is_default"] else None)
        result.add_data(sender)
    counts = {kind: sum(1 for s in senders if s["sender_type"] == kind) for kind in senders_of.KINDS}
    summary = result.update_summary({})
    summary.update(
        total_senders=len(senders),
        dedicated_numbers=counts[senders_of.DEDICATED],
        own_numbers=counts[senders_of.OWN],
        alpha_tags=counts[senders_of.ALPHA],
        default_from=default,
        pages_read=pages.read,
    )
    text = _senders_text(senders, counts, left_out, default, marked, pages)
    if more_tags:
        text += consts.MSG_MORE_ALPHA_TAGS.format(size=consts.ALPHA_TAGS_PAGE_SIZE)
    return text


def _senders_text(senders: list, counts: dict, left_out: dict, default: Optional[str], marked: Optional[dict], pages: Pages) -> str:
    if senders:
        parts = [plural(number, kind) for kind, number in counts.items() if number]
        kinds = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
        text = f"Found {plural(len(senders), 'sender')} the ClickSend account can use: {kinds}; {pages.text()} read"
    else:
        text = (
            f"The ClickSend account has no dedicated number, approved own number or approved alpha tag ({pages.text()} read): "
            "ClickSend sends from a shared number, where the country has one"
        )
    skipped = [plural(number, f"{kind} not approved") for kind, number in left_out.items() if number]
    if skipped:
        text += f"; left out {' and '.join(skipped)} (waiting for approval or rejected)"
    if default is None:
        return text + "; the asset has no default_from"
    if marked is not None:
        return text + f"; the asset's default_from {default} is among them (type {marked['sender_type']}, marked is_default)"
    return text + f"; the asset's default_from {default} is not among them, so ClickSend may refuse it or send from another number"


# --- find contact -------------------------------------------------------------------------------------------------


def _contact_matcher(ctx, params) -> tuple:
    """(matches(contact) -> bool, what in words) from phone_number and email; a contact matching either one is found."""
    raw_phone, raw_email = params.string("phone_number"), params.string("email")
    if raw_phone is None and raw_email is None:
        raise ParameterError("phone_number", "give a phone_number or an email (or both) to look for")
    tests: list = []
    words: list = []
    address = checks.email(raw_email)  # checked before the phone number, whose reading may need a request
    if raw_phone is not None:
        country = ctx.account.default_country
        number = checks.phone_number(raw_phone, country, "phone_number")
        tests.append(phone_matcher(number, country))
        words.append(f"phone number {number}")
    if address is not None:
        wanted = address.casefold()
        tests.append(lambda contact: str(contact.get("email") or "").strip().casefold() == wanted)
        words.append(f"e-mail {address}")
    return (lambda contact: any(test(contact) for test in tests)), " or ".join(words)


class _Search:
    """One find contact: the lists in order, their pages in order (several read at once by clicksend_pages.iter_lists), within
    the page budget, until the limit."""

    def __init__(self, ctx, result, matches: Callable[[dict], bool], limit: int):
        self.ctx, self.result, self.matches, self.limit = ctx, result, matches, limit
        self.pages = Pages(consts.FIND_CONTACT_MAX_PAGES)
        self.found = 0
        self.searched = 0  # lists read to their end, or to the limit
        self.vanished: list = []  # lists deleted between the listing and their reading

    def run(self, lists: list) -> None:
        for group in list_groups(lists):
            if self.found >= self.limit:
                return
            self._search(group)

    def _search(self, lists: list) -> None:
        def vanished(listing: dict) -> None:
            self.vanished.append(str(listing["list_id"]))
            self.searched += 1  # looked into: it is gone

        pages = contact_pages(self.ctx, lists, vanished, self.pages)
        try:
            for listing, contacts, final in pages:
                for contact in contacts:
                    if isinstance(contact, dict) and self.matches(contact):
                        list_id = contact.get("list_id", listing["list_id"])
                        self.result.add_data(dict(contact, list_id=list_id, list_name=listing.get("list_name")))
                        self.found += 1
                        if self.found >= self.limit:
                            self.searched += 1
                            return
                if final:
                    self.searched += 1  # read to its end
        finally:
            pages.close()  # at the limit, the reads still under way stop here


def find_contact(ctx, params, result) -> str:
    # limit first: reading a national phone number may ask ClickSend for the account's country
    limit = params.integer("limit", minimum=1, maximum=consts.FIND_CONTACT_MAX_LIMIT, default=consts.FIND_CONTACT_DEFAULT_LIMIT)
    matches, what = _contact_matcher(ctx, params)
    search = _Search(ctx, result, matches, limit)
    ctx.progress(f"Searching every contact list of the account, at most {consts.FIND_CONTACT_MAX_PAGES} pages")
    stopped = False
    lists: list = []  # filled as the pages come, so a search stopped while listing still says how many it saw
    try:
        for item in clicksend_pages.iter_items(ctx.client, consts.EP_LISTS, before_page=search.pages, not_asked=search.pages.not_asked):
            if isinstance(item, dict) and item.get("list_id") is not None:
                lists.append(item)
        search.run(lists)
    except OutOfPages:
        stopped = True
    summary = result.update_summary({})
    summary.update(total_matches=search.found, lists_searched=search.searched, lists_total=len(lists), pages_read=search.pages.read)
    text = (
        f"Found {plural(search.found, 'contact')} with {what} in the account's contact lists: searched {search.searched} of "
        f"{plural(len(lists), 'list')}, {search.pages.text()} read"
    )
    if search.vanished:
        lists_gone = f"list {search.vanished[0]} was" if len(search.vanished) == 1 else f"lists {', '.join(search.vanished)} were"
        text += f"; {lists_gone} deleted while the app searched"
    if stopped:
        raise ActionFailed(
            text + f"; the search stopped at {consts.FIND_CONTACT_MAX_PAGES} pages, the most one search reads, so the other lists "
            "were not searched (ClickSend offers no search across lists: search contact by phone or by email reads one list)"
        )
    if search.found >= limit:
        text += f"; stopped at the limit of {limit}"
    return text


HANDLERS = {
    "list_messages": list_messages,
    "list_senders": list_senders,
    "find_contact": find_contact,
}

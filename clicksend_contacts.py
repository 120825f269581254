# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""What several actions know of ClickSend's contacts: the lists in the order to search them, every page of several
lists' contacts read at once, and a number matched against the numbers stored with contacts.

Contacts live only inside lists: the actions that find a contact without its list (update and delete contact without
a list id, find contact) read the account's lists through these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Callable

import clicksend_consts as consts
import clicksend_pages
import clicksend_params as checks
import clicksend_phone
from clicksend_errors import ClickSendError, ClickSendHTTPError
from clicksend_params import ParameterError
from clicksend_urls import api_path


def is_not_found(err: ClickSendHTTPError) -> bool:
    return err.status == 404


def list_groups(lists: list) -> tuple:
    """The account's lists (objects with a list_id) in the order to search them: those that report contacts, then
    those that report none (read last, in case ClickSend's count lags behind)."""
    usable = [listing for listing in lists if isinstance(listing, dict) and listing.get("list_id") is not None]
    empty = [listing for listing in usable if str(listing.get("_contacts_count", "")) == "0"]
    return [listing for listing in usable if str(listing.get("_contacts_count", "")) != "0"], empty


def contact_pages(ctx, lists: list, vanished: Callable[[dict], None], pages: Any = None) -> Iterator[tuple]:
    """(list object, contacts, final) for every page of these lists' contacts: lists in order, pages in page order,
    several read at once (clicksend_pages.iter_lists). `final` marks a list's last page. A list deleted since it was listed
    (404) is told to vanished(list) and passed over. `pages`, a page counter with a budget (find contact's Pages), is
    called before each page is asked for and told of those never asked for. Stopping the iteration stops the reads."""
    by_path = {api_path(consts.EP_LIST_CONTACTS, list_id=listing["list_id"]): listing for listing in lists}

    def gone(path: str, err: ClickSendError) -> bool:
        if isinstance(err, ClickSendHTTPError) and is_not_found(err):
            vanished(by_path[path])
            return True
        return False

    not_asked = None if pages is None else pages.not_asked
    reads = clicksend_pages.iter_lists(ctx.client, by_path, before_page=pages, on_error=gone, not_asked=not_asked)
    try:
        for path, contacts, final in reads:
            yield by_path[path], contacts, final
    finally:
        reads.close()  # a consumer that stopped (the contact is found) stops the reads under way


def normalised_phone(value: Any, default_country) -> str:
    """A stored number in E.164 when it parses, else as stored (trimmed)."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        return checks.phone_number(text, default_country, "phone_number")
    except ParameterError:
        return text


def phone_matcher(number: str, default_country):
    """Match stored numbers against an E.164 number; parse only those whose digits could be it (parsing costs ~50 us)."""
    national = str(clicksend_phone.util().parse(number).national_number)

    def matches(contact: dict) -> bool:
        stored = str(contact.get("phone_number") or "").strip()
        if stored == number:
            return True
        if national not in re.sub(r"\D", "", stored):
            return False
        return normalised_phone(stored, default_country) == number

    return matches

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The account's senders, as list senders and test connectivity see them: dedicated numbers (GET numbers, page
numbers), own numbers and alpha tags (GET own-numbers and GET alpha-tags, cursor pagination), each as one item of
list senders' shape; and whether replies to a sender can come back to ClickSend, where on poll reads them.

Replies: recipients cannot answer an alpha tag, and replies to an own number go to that phone. Only a dedicated
number (or short code) receives replies at ClickSend, and ClickSend lists them to the app only while an enabled
inbound POLL rule captures that number ("*" or the number itself)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Callable, Optional

import clicksend_consts as consts
import clicksend_pages
import clicksend_params as checks
from clicksend_api import SEARCH_WORDS, rule_scope
from clicksend_params import ParameterError


DEDICATED = "dedicated number"
OWN = "own number"
ALPHA = "alpha tag"
KINDS = (DEDICATED, OWN, ALPHA)
# kind -> (path, the answer's list key, the name of the page-size constant, the item's field holding the sender)
CURSOR_SERVICES = {
    OWN: (consts.EP_OWN_NUMBERS, "own_numbers", "OWN_NUMBERS_PAGE_SIZE", "phone_number"),
    ALPHA: (consts.EP_ALPHA_TAGS, "alpha_tags", "ALPHA_TAGS_PAGE_SIZE", "alpha_tag"),
}


def as_sender(raw: Any) -> str:
    """A sender as the app sends it: a number with '+' in E.164, anything else (short code, alpha tag) as it is."""
    text = str(raw or "").strip()
    if text.startswith("+"):
        try:
            return checks.phone_number(text, "", "from")
        except ParameterError:
            return text
    return text


def sender_item(value: Any, kind: str, country: Any, status: Any, number_type: Any = None) -> dict:
    """One sender in list senders' shape."""
    sender = as_sender(value)
    return {
        "sender": sender,
        "sender_type": kind,
        "phone_number": sender if sender.startswith("+") else None,
        "country": str(country or "") or None,
        "status": None if status is None else str(status),
        "number_type": number_type,
        "is_default": False,
    }


def _dedicated(item: dict) -> dict:
    status = item.get("status")
    status = (status.get("name") or status.get("label")) if isinstance(status, dict) else status
    return sender_item(item.get("dedicated_number"), DEDICATED, str(item.get("country") or "").upper(), status, item.get("number_type"))


def _alpha_countries(item: dict) -> str:
    countries = [str(code).upper() for code in item.get("countries") or [] if code]
    return ", ".join(countries) if countries else "all"


def approved(item: dict) -> bool:
    """Whether ClickSend would send from this sender: dedicated numbers always, own numbers and alpha tags once approved."""
    return item["sender_type"] == DEDICATED or str(item.get("status") or "").upper() == consts.SENDER_APPROVED


def dedicated_numbers(client: Any, before_page: Optional[Callable] = None, not_asked: Optional[Callable] = None) -> Iterator[dict]:
    for item in clicksend_pages.iter_items(client, consts.EP_NUMBERS, before_page=before_page, not_asked=not_asked):
        if isinstance(item, dict) and item.get("dedicated_number"):
            yield _dedicated(item)


def cursor_senders(client: Any, kind: str, before_page: Optional[Callable] = None, told_more: Optional[Callable] = None) -> Iterator[dict]:
    """Every own number, or the alpha tags of the one page the alpha-tags service can be read by (it documents no
    cursor), approved or not (see approved). `told_more()` is called when that page links a next one the app has no
    documented way to ask for."""
    path, key, size, field = CURSOR_SERVICES[kind]
    if kind == ALPHA:
        if before_page is not None:
            before_page(1)
        items, more = clicksend_pages.cursor_page(client, path, key, getattr(consts, size))
        if more and told_more is not None:
            told_more()
    else:
        items = clicksend_pages.iter_cursor(client, path, key, getattr(consts, size), before_page=before_page)
    for item in items:
        if isinstance(item, dict) and item.get(field):
            country = str(item.get("country") or "").upper() if kind == OWN else _alpha_countries(item)
            yield sender_item(item[field], kind, country, item.get("status"))


def same_sender(one: str, other: str) -> bool:
    """Alpha tags compare without regard to case; numbers and short codes by their digits (ClickSend may leave out '+')."""
    if re.search(r"[A-Za-z]", one) or re.search(r"[A-Za-z]", other):
        return one.casefold() == other.casefold()
    return bool(checks.digits(one)) and checks.digits(one) == checks.digits(other)


def find_sender(client: Any, sender: str) -> Optional[dict]:
    """The account's sender that is `sender` (as checks.sender gives it), approved or not; None when the account has
    none. Only the services that can hold it are read: alpha tags for a name, dedicated numbers then own numbers for
    a number, dedicated numbers for a short code."""
    if re.search(r"[A-Za-z]", sender):
        kinds = (ALPHA,)
    elif sender.startswith("+"):
        kinds = (DEDICATED, OWN)
    else:
        kinds = (DEDICATED,)
    for kind in kinds:
        found = dedicated_numbers(client) if kind == DEDICATED else cursor_senders(client, kind)
        for item in found:
            if same_sender(item["sender"], sender):
                return item
    return None


# --- can replies come back? -------------------------------------------------------------------------------------


def _rule_number(rule: dict) -> str:
    return str(rule.get("dedicated_number") or "*").strip()


def rule_captures(rule: dict, number: str) -> bool:
    """Whether an inbound POLL rule captures messages to `number` (a rule for all numbers, or for that number)."""
    rule_number = _rule_number(rule)
    return rule_number in ("*", "") or checks.digits(rule_number) == checks.digits(number)


def _every_message(rule: dict) -> bool:
    return SEARCH_WORDS.get(str(rule.get("message_search_type", "0")).strip()) is None or not rule.get("message_search_term")


def reply_check(sender: str, found: Optional[dict], rules: Optional[list]) -> str:
    """Whether replies to the asset's default_from can reach the app, in one sentence (a warning starts "WARNING:").
    `found` is find_sender's answer; `rules` the enabled inbound POLL rules, None when they could not be read."""
    if found is None:
        return consts.MSG_SENDER_NOT_THE_ACCOUNTS.format(sender=sender)
    kind = found["sender_type"]
    if not approved(found):
        return consts.MSG_SENDER_NOT_APPROVED.format(sender=sender, kind=kind, status=found.get("status") or "no status")
    if kind == ALPHA:
        return consts.MSG_SENDER_ALPHA_TAG.format(sender=sender)
    if kind == OWN:
        return consts.MSG_SENDER_OWN_NUMBER.format(sender=sender)
    if rules is None:
        return consts.MSG_SENDER_RULES_UNKNOWN.format(sender=sender)
    capturing = [rule for rule in rules if rule_captures(rule, sender)]
    if any(_every_message(rule) for rule in capturing):
        return consts.MSG_SENDER_REPLIES_READY.format(sender=sender)
    if capturing:
        scopes = "; ".join(sorted({rule_scope(rule) for rule in capturing}))
        return consts.MSG_SENDER_REPLIES_SOME.format(sender=sender, scopes=scopes)
    return consts.MSG_SENDER_REPLIES_NONE.format(sender=sender)

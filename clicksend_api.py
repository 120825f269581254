# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""What several actions need to know of ClickSend's answers: the account's facts (country, part limit, currency), the
automation rules, SMS history rows. No SOAR imports: callers pass the client and, for the cache, a state file."""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from typing import Any, NamedTuple, Optional

import clicksend_consts as consts
import clicksend_pages
from clicksend_errors import ClickSendResponseError
from clicksend_params import ActionFailed, ParameterError


ACCOUNT_CACHE_KEY = "account"  # state key: facts of the account the asset last read (see AccountFacts)


class AccountFacts(NamedTuple):
    username: str
    default_country: Optional[str]  # the account's default_country_sms: how ClickSend reads national numbers
    sms_part_limit: Optional[int]  # setting_sms_message_char_limit: the parts beyond which ClickSend truncates
    currency: Optional[str] = None  # _currency.currency_name_short: what prices are in (MMS answers may not say)


def currency_of(data: dict) -> str:
    """The short currency name of an answer: `_currency` today, `currency` in older answers."""
    block = data.get("_currency") or data.get("currency") or {}
    return str(block.get("currency_name_short", "")) if isinstance(block, dict) else ""


def read_account(client) -> dict:
    """GET account: the account object (which holds the API key: callers keep only what they need)."""
    account = client.get(consts.EP_ACCOUNT)
    if not isinstance(account, dict):
        raise ClickSendResponseError("ClickSend answered GET account without an account object")
    return client.redact_data(account)  # what is kept of it (the state file's cache, results) never holds the key


def facts_of(account: dict) -> AccountFacts:
    country = str(account.get("default_country_sms") or "").strip().upper() or None
    try:
        limit: Optional[int] = int(account.get("setting_sms_message_char_limit"))
    except (TypeError, ValueError):
        limit = None
    return AccountFacts(str(account.get("username") or ""), country, limit, currency_of(account) or None)


def remember(state_file, facts: AccountFacts) -> None:
    """Keep the facts in the state file, so later actions need no extra request. A cache: a state file that cannot be
    written costs a request next time, never the action."""
    record = dict(facts._asdict(), read_at=int(time.time()))
    try:
        state_file.update(lambda state: state.__setitem__(ACCOUNT_CACHE_KEY, record))
    except ActionFailed:
        pass


def cached_facts(state: dict) -> Optional[AccountFacts]:
    record = state.get(ACCOUNT_CACHE_KEY)
    if not isinstance(record, dict):
        return None
    username, country, limit, currency = (record.get(name) for name in AccountFacts._fields)
    if not isinstance(country, (str, type(None))) or not isinstance(limit, (int, type(None))) or isinstance(limit, bool):
        return None  # not what the app wrote: read the account again
    return AccountFacts(str(username or ""), country, limit, currency if isinstance(currency, str) else None)


def number_of(value: Any) -> Optional[float]:
    """A number ClickSend gives as a number or a numeric string ("1.00", "0.0792"): an int when it is whole, else a
    float; None when it is missing, not a number, or not finite (a data path declared numeric holds a number or null)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def numbers_in(item: dict, keys: tuple) -> dict:
    """`item` with each of `keys` it holds read by number_of (the same dict, changed in place)."""
    for key in keys:
        if key in item:
            item[key] = number_of(item[key])
    return item


def unix_seconds(value: Any) -> Optional[int]:
    """A time ClickSend gives as Unix seconds (an int, or a numeric string), or None."""
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


def received_at(message: dict) -> Optional[int]:
    """When an inbound SMS arrived: `timestamp`, or `timestamp_send` as some answers name it."""
    for key in ("timestamp", "timestamp_send"):
        stamp = unix_seconds(message.get(key))
        if stamp is not None:
            return stamp
    return None


def iso_utc(stamp: Optional[int]) -> Optional[str]:
    """Unix seconds as ISO-8601 in UTC (2026-12-01T09:30:00Z), or None."""
    if stamp is None:
        return None
    try:
        return datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def history_rows(data: Any) -> list:
    """The rows of one sms/history answer: a page object with `data`, or (as one documented example shows) a bare list."""
    rows = data.get("data") if isinstance(data, dict) else data
    if rows is None:
        return []  # an empty answer: no rows
    if not isinstance(rows, list):
        raise ClickSendResponseError("ClickSend answered GET sms/history without a list of messages")
    return [row for row in rows if isinstance(row, dict)]


def sent_message(client, message_id: str) -> Optional[dict]:
    """The SMS history row of one message (GET sms/history?q=message_id:<id>), or None when ClickSend has none."""
    rows = history_rows(client.get(consts.EP_SMS_HISTORY, {"q": f"message_id:{message_id}"}))
    return next((row for row in rows if str(row.get("message_id", "")).upper() == message_id.upper()), None)


# --- inbound automation rules ---------------------------------------------------------------------------------


def _enabled(rule: dict) -> bool:
    return str(rule.get("enabled", "1")).strip().lower() not in ("0", "false", "")


def poll_rules(client, path: str = consts.EP_INBOUND_RULES) -> list:
    """The enabled automation rules with action POLL (ClickSend lists inbound SMS, or receipts, only while one exists)."""
    return [
        rule
        for rule in clicksend_pages.iter_items(client, path)
        if isinstance(rule, dict) and str(rule.get("action", "")).upper() == "POLL" and _enabled(rule)
    ]


SEARCH_WORDS = {"1": "starting with", "2": "containing", "3": "not containing"}


def rule_scope(rule: dict) -> str:
    """Which inbound messages one POLL rule captures, in words: 'all numbers, every message' and the like."""
    number = str(rule.get("dedicated_number") or "*").strip()
    numbers = "all numbers" if number in ("*", "") else f"number {number}"
    kind = str(rule.get("message_search_type", "0")).strip()
    term = str(rule.get("message_search_term") or "")
    words = SEARCH_WORDS.get(kind)
    messages = f"messages {words} {term!r}" if words and term else "every message"
    return f"{numbers}, {messages}"


def covers_everything(rule: dict) -> bool:
    return str(rule.get("dedicated_number") or "*").strip() in ("*", "") and (
        SEARCH_WORDS.get(str(rule.get("message_search_type", "0")).strip()) is None or not rule.get("message_search_term")
    )


def describe_poll_rules(rules: list) -> str:
    """One sentence for test connectivity: whether inbound polling works, and for which numbers and messages."""
    if not rules:
        return consts.MSG_POLL_RULE_MISSING
    scopes = sorted({rule_scope(rule) for rule in rules})
    count = "1 POLL rule captures" if len(rules) == 1 else f"{len(rules)} POLL rules capture"
    text = f"Inbound polling is ready: {count} {'; '.join(scopes)}"
    if not any(covers_everything(rule) for rule in rules):
        text += " (replies to other numbers, or other messages, are not captured, so on poll never sees them)"
    return text


class Account:
    """The account's facts for one run: the state file's copy, else one GET account (then kept in the state file)."""

    def __init__(self, client, state_file, asset_country: Optional[str]):
        self._client = client
        self._state_file = state_file
        self._asset_country = asset_country
        self._facts: Optional[AccountFacts] = None

    def facts(self, refresh: bool = False) -> AccountFacts:
        if self._facts is None and not refresh:
            self._facts = cached_facts(self._state_file.read())
        if self._facts is None or refresh:
            self.learn(read_account(self._client))
        return self._facts

    def learn(self, account: dict) -> AccountFacts:
        """Take the facts of an account object just read (test connectivity and get account read it anyway)."""
        facts = facts_of(account)
        if facts != self._facts:
            remember(self._state_file, facts)
        self._facts = facts
        return facts

    def currency(self) -> str:
        """The account's currency code (AUD, USD...): the state file's copy, else read from the account (a copy made
        before the app kept the currency has none)."""
        currency = self.facts().currency
        if currency is None:
            currency = self.facts(refresh=True).currency
        return currency or ""

    def default_country(self) -> str:
        """The country numbers without '+' are read with: the asset's default_country, else the account's (as ClickSend does)."""
        if self._asset_country:
            return self._asset_country
        country = self.facts().default_country
        if not country or country not in consts.PHONE_REGIONS:
            raise ParameterError(
                "default_country",
                f"is not set, and the ClickSend account names no usable default SMS country ({country!r}): set default_country "
                "(e.g. US or AU) or write numbers with '+' and the country code",
                "Asset field",
            )
        return country


# --- delivery-receipt automation rules ------------------------------------------------------------------------


def receipt_poll_rules(client) -> list:
    """The enabled delivery-receipt rules with action POLL (ClickSend lists receipts only while one exists)."""
    return poll_rules(client, consts.EP_RECEIPT_RULES)


def receipt_rule_covers_everything(rule: dict) -> bool:
    """match_type 0 is 'all reports'."""
    return str(rule.get("match_type", 0)).strip() in ("0", "")


def describe_receipt_rules(rules: list) -> str:
    """One sentence for test connectivity: whether on poll reads delivery receipts."""
    if not rules:
        return consts.MSG_RECEIPT_RULE_MISSING[0].upper() + consts.MSG_RECEIPT_RULE_MISSING[1:]
    count = "1 POLL rule" if len(rules) == 1 else f"{len(rules)} POLL rules"
    text = f"Delivery receipt polling is ready ({count})"
    if not any(receipt_rule_covers_everything(rule) for rule in rules):
        text += "; no rule captures every receipt, so some are never polled"
    return text


def rule_enabled(rule: dict) -> bool:
    """Whether an automation rule is enabled (ClickSend sends 1/0, sometimes as text)."""
    return _enabled(rule)

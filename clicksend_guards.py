# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Guard rails for automated sending: where a send may go, how many people it may reach and what it may cost.

A playbook that loops, or reads the wrong field, can text thousands of people or spend an account's balance in
seconds. Three asset fields (checked in clicksend_params.settings_from_config) stop that:

- allowed_destinations: E.164 prefixes (+61, +1415) and ISO country codes (AU). Every recipient of a send or price
  action must match one; a contact list is read by the app to check each of its numbers (and then sent to as those
  very numbers, so nobody added to the list in between gets a message).
- max_recipients_per_action (default 10 000): numbers plus list contacts of one send.
- max_cost_per_action: a send is priced first, as the same calls at the matching price endpoint, and refused when
  the total is higher. Not set: no price request.

Delivery (clicksend_delivery) asks a Guard while it plans, always before the first send or price call. No SOAR imports.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import clicksend_consts as consts
from clicksend_api import currency_of
from clicksend_params import ActionFailed, region_of
from clicksend_text import listed, plural


# the price endpoint of each send endpoint: a send is priced through the one that takes the same body
PRICE_OF = {consts.EP_SMS_SEND: consts.EP_SMS_PRICE, consts.EP_MMS_SEND: consts.EP_MMS_PRICE, consts.EP_VOICE_SEND: consts.EP_VOICE_PRICE}


def amount(value: float) -> str:
    """0.1584 -> '0.1584', 5.0 -> '5': an amount as ClickSend's prices show it, without float noise."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def allows(entries: tuple, number: str) -> bool:
    """Whether an E.164 number matches one of the allowed destinations: starts with a prefix, or is of a country
    (the number's own country as libphonenumber assigns it: +1 415 is US, +1 416 is CA)."""
    if any(number.startswith(entry) for entry in entries if entry.startswith("+")):
        return True
    countries = [entry for entry in entries if not entry.startswith("+")]
    return bool(countries) and region_of(number) in countries


def _named(numbers: list) -> str:
    return listed(numbers)


class Guard:
    """The asset's guard rails for one send or price action (a price action: the allow-list only)."""

    def __init__(self, settings: Any, endpoint: str):
        # getattr: a settings object without the guard fields (an older test double) means no guards but the default cap
        self.destinations: tuple = tuple(getattr(settings, "allowed_destinations", ()) or ())
        self.price_endpoint: Optional[str] = PRICE_OF.get(endpoint)
        sending = self.price_endpoint is not None
        self.max_cost: Optional[float] = getattr(settings, "max_cost_per_action", None) if sending else None
        self.max_recipients: Optional[int] = (
            getattr(settings, "max_recipients_per_action", consts.DEFAULT_MAX_RECIPIENTS_PER_ACTION) if sending else None
        )
        self.outcome = "nothing was sent to ClickSend" if sending else "ClickSend was asked for no price"
        self.given = 0  # numbers in `to`

    @property
    def reads_lists(self) -> bool:
        """True when a contact list must be read by the app and sent to as the numbers it checked: for the allow-list,
        for the spend cap (priced on exactly what is sent), and when the recipient cap is within reach of a list's
        size (ClickSend's count may lag behind the list, which ClickSend expands only when it sends)."""
        near_cap = self.max_recipients is not None and self.max_recipients < self.given + consts.SEND_BATCH_SIZE
        return bool(self.destinations) or self.max_cost is not None or near_cap

    # the three points of a plan

    def numbers(self, numbers: list, cut: bool = False) -> None:
        """The numbers of `to`, before any request (`cut`: `to` holds more, read only past the recipient cap)."""
        self.given = len(numbers)
        self._destinations(numbers)
        if cut and self.max_recipients is not None:
            most = plural(self.max_recipients, "number")
            self._count(len(numbers), f"'to' holds more than {most}; the app stopped reading it there", cut=True)
        self._count(len(numbers), f"{plural(len(numbers), 'number')} in 'to'")

    def list_size(self, list_id: int, size: Optional[int], given: int) -> None:
        """A contact list's size as ClickSend reports it (None: unknown, so counted once the app has read it)."""
        if size is not None:
            self._count(given + size, self._with_list(given, f"{plural(size, 'contact')} of list {list_id}"))

    def members(self, list_id: int, members: list, given: int) -> None:
        """The numbers the app read from a contact list (those not already in `to`)."""
        self._destinations(members, list_id)
        noun = "other number" if given else "number"  # other: not already in `to`
        self._count(given + len(members), self._with_list(given, f"{plural(len(members), noun)} of list {list_id}"))

    def cost(self, quote: dict) -> str:
        """Refuse a send whose price (Delivery.price of its own plan) is above max_cost_per_action; else a note for
        the action's message. The higher of ClickSend's total_price and the sum of the message prices counts, and an
        answer that does not price every message refuses the send: a missing price never lets a send through."""
        messages = [item for item in quote.get("messages") or [] if isinstance(item, dict)]
        prices = [_price_of(item) for item in messages]
        if not messages or None in prices:
            raise ActionFailed(
                f"ClickSend's price answer did not give the price of every message, so the send could not be held to the asset's "
                f"max_cost_per_action; {self.outcome}"
            )
        total = max(_number(quote.get("total_price")) or 0.0, round(sum(prices), 6))
        currency = currency_of(quote)
        unit = f" {currency}" if currency else ""
        cap = f"the asset's max_cost_per_action of {amount(self.max_cost)}{unit}"
        if total > self.max_cost:
            raise ActionFailed(f"Refused: ClickSend prices this send at {amount(total)}{unit}, more than {cap}; {self.outcome}")
        return f"priced first at {amount(total)}{unit}, within {cap}"

    # checks

    def _destinations(self, numbers: list, list_id: Optional[int] = None) -> None:
        if not self.destinations:
            return
        outside = [number for number in numbers if not allows(self.destinations, number)]
        if not outside:
            return
        rule = f"the asset's allowed_destinations ({', '.join(self.destinations)})"
        if list_id is None:
            text = f"{_named(outside)} {'is' if len(outside) == 1 else 'are'} outside {rule}"
        else:
            text = f"contact list {list_id} holds {plural(len(outside), 'number')} outside {rule}: {_named(outside)}"
        raise ActionFailed(f"Refused: {text}; {self.outcome}")

    def _count(self, total: int, detail: str, cut: bool = False) -> None:
        if self.max_recipients is not None and total > self.max_recipients:
            many = f"more than {plural(self.max_recipients, 'recipient')}" if cut else plural(total, "recipient")
            raise ActionFailed(
                f"Refused: this send would reach {many} ({detail}), more than the asset's max_recipients_per_action "
                f"of {self.max_recipients}; {self.outcome}"
            )

    @staticmethod
    def _with_list(given: int, listed: str) -> str:
        return f"{plural(given, 'number')} in 'to' and {listed}" if given else listed


def describe(settings: Any, currency: str = "") -> str:
    """The guard rails in one sentence, for test connectivity."""
    entries = tuple(getattr(settings, "allowed_destinations", ()) or ())
    cap = getattr(settings, "max_cost_per_action", None)
    most = getattr(settings, "max_recipients_per_action", consts.DEFAULT_MAX_RECIPIENTS_PER_ACTION)
    where = f"only to {', '.join(entries)}" if entries else "to any destination (allowed_destinations is empty)"
    unit = f" {currency}" if currency else " (the account's currency)"
    spend = (
        f"each send is priced first and refused above {amount(cap)}{unit}" if cap is not None else "no spend cap (max_cost_per_action is empty)"
    )
    return f"Guard rails: sends and prices go {where}; {spend}; a send reaches at most {plural(most, 'recipient')} (max_recipients_per_action)"


def _price_of(message: dict) -> Optional[float]:
    """A priced message's cost. A price given always counts; a message without one costs nothing only when ClickSend
    says, by a status other than SUCCESS, that it would not be sent (an invalid recipient is never billed)."""
    price = _number(message.get("message_price"))
    if price is None and message.get("status") not in (None, consts.STATUS_QUEUED):
        return 0.0
    return price


def _number(value: Any) -> Optional[float]:
    """A price as a number; None when it is missing, not a number, or not finite."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None

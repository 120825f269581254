# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Guard rails for automated sending: where a send may go, how many people it may reach and what it may cost.

A playbook that loops, or reads the wrong field, can text thousands of people or spend an account's balance in
seconds. Three asset fields (checked in clicksend_params.settings_from_config) stop that:

- allowed_destinations: E.164 prefixes (+61, +1415) and ISO country codes (AU). Every recipient of a send or price
  action must match one, the numbers of a contact list too (the app reads every list it sends to).
- max_recipients_per_action (default 10 000): the distinct numbers one send reaches, `to` and list together.
- max_cost_per_action: a send is priced first, as the same calls at the matching price endpoint, and refused unless
  ClickSend's answer prices each planned recipient, one for one, at a finite price of at least 0, and the total is
  within the cap. Not set: no price request.

A refusal raises Refused, whose `summary` (refused_by, and for the spend cap price, limit and currency) the action's
summary takes, so a playbook can branch on it. Delivery (clicksend_delivery) asks a Guard while it plans, always
before the first send or price call. No SOAR imports.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Optional

import clicksend_consts as consts
from clicksend_api import currency_of
from clicksend_errors import ClickSendError
from clicksend_params import ActionFailed, digits, region_of
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


class Refused(ActionFailed):
    """A guard rail refused the action; `summary` says which (refused_by) and, for the spend cap, the price, the limit
    and the currency: the connector's error boundary puts it in the failed result's summary."""

    def __init__(self, text: str, by: str, **details: Any):
        super().__init__(text)
        self.summary = dict(refused_by=by, **details)


class Guard:
    """The asset's guard rails for one send or price action (a price action: the allow-list only)."""

    def __init__(self, settings: Any, endpoint: str, account_currency: Optional[Callable[[], str]] = None):
        # getattr: a settings object without the guard fields (an older test double) means no guards but the default cap
        self.destinations: tuple = tuple(getattr(settings, "allowed_destinations", ()) or ())
        self.price_endpoint: Optional[str] = PRICE_OF.get(endpoint)
        sending = self.price_endpoint is not None
        self.max_cost: Optional[float] = getattr(settings, "max_cost_per_action", None) if sending else None
        self.max_recipients: Optional[int] = (
            getattr(settings, "max_recipients_per_action", consts.DEFAULT_MAX_RECIPIENTS_PER_ACTION) if sending else None
        )
        self.outcome = "nothing was sent to ClickSend" if sending else "ClickSend was asked for no price"
        self._account_currency = account_currency or (lambda: "")

    # the points of a plan

    def numbers(self, numbers: list, cut: bool = False) -> None:
        """The numbers of `to`, before any request (`cut`: `to` holds more, read only past the recipient cap)."""
        self._destinations(numbers)
        if cut and self.max_recipients is not None:
            most = plural(self.max_recipients, "number")
            self._count(len(numbers), f"'to' holds more than {most}; the app stopped reading it there", cut=True)
        self._count(len(numbers), f"{plural(len(numbers), 'number')} in 'to'")

    def members(self, list_id: int, members: list, given: int, cut: bool = False) -> None:
        """The distinct numbers the app read from a contact list that are not already in `to` (`cut`: the list holds
        more, read only until the send was past the recipient cap)."""
        self._destinations(members, list_id)
        noun = "other number" if given else "number"  # other: not already in `to`
        of_list = plural(len(members), noun) + f" of list {list_id}" + (" and more" if cut else "")
        # cut: the list held a number beyond the cap, so the send is past it, one number more at least
        self._count(given + len(members) + cut, f"{plural(given, 'number')} in 'to' and {of_list}" if given else of_list, cut=cut)

    def cost(self, quote: dict, planned: list) -> str:
        """Refuse a send unless ClickSend's price answer (Delivery.price of its own plan) prices each planned number
        one for one, at a finite price of at least 0, and the total is within max_cost_per_action; else a note for the
        action's message. The higher of ClickSend's total_price and the sum of the message prices counts."""
        currency = currency_of(quote) or self._currency()
        unit = f" {currency}" if currency else ""
        cap = f"the asset's max_cost_per_action of {amount(self.max_cost)}{unit}"
        prices = _one_for_one(quote.get("messages"), planned)
        if isinstance(prices, str):
            raise Refused(
                f"Refused: ClickSend's price answer {prices}, so the send could not be held to {cap}; {self.outcome}",
                "max_cost_per_action",
                price=None,
                limit=self.max_cost,
                currency=currency,
            )
        total = round(max(_number(quote.get("total_price")) or 0.0, sum(prices)), 6)
        if total > self.max_cost:
            raise Refused(
                f"Refused: ClickSend prices this send at {amount(total)}{unit}, more than {cap}; {self.outcome}",
                "max_cost_per_action",
                price=total,
                limit=self.max_cost,
                currency=currency,
            )
        return f"priced first at {amount(total)}{unit}, within {cap}"

    # checks

    def _currency(self) -> str:
        try:
            return self._account_currency()
        except (ActionFailed, ClickSendError):
            return ""

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
        raise Refused(f"Refused: {text}; {self.outcome}", "allowed_destinations")

    def _count(self, total: int, detail: str, cut: bool = False) -> None:
        if self.max_recipients is not None and total > self.max_recipients:
            many = f"more than {plural(self.max_recipients, 'recipient')}" if cut else plural(total, "recipient")
            raise Refused(
                f"Refused: this send would reach {many} ({detail}), more than the asset's max_recipients_per_action "
                f"of {self.max_recipients}; {self.outcome}",
                "max_recipients_per_action",
            )


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


def _one_for_one(messages: Any, planned: list) -> Any:
    """The price of each planned number, in plan order, when the price answer prices each one exactly once (matched by
    its digits) at a finite price of at least 0; else what is wrong with the answer, in words. A message without a
    price costs nothing only when ClickSend rejects it with a code that certainly stops it at the send too
    (consts.UNBILLED_REJECTIONS): any other missing price leaves the send's cost unknown."""
    if not isinstance(messages, list) or not all(isinstance(item, dict) for item in messages):
        return "gave no list of priced messages"
    wanted = {digits(number): number for number in planned}
    prices: dict = {}
    for item in messages:
        key = digits(item.get("to"))
        if key not in wanted:
            return f"priced {item.get('to') or 'a message'} that the send does not plan"
        if key in prices:
            return f"priced {wanted[key]} more than once"
        price = _number(item.get("message_price"))
        if price is None and item.get("message_price") in (None, "") and str(item.get("status")) in consts.UNBILLED_REJECTIONS:
            price = 0.0  # ClickSend rejects it, so it is never sent nor billed
        if price is None or price < 0:
            return f"gave {wanted[key]} no usable price ({item.get('message_price')!r}, status {item.get('status')})"
        prices[key] = price
    missing = [number for key, number in wanted.items() if key not in prices]
    if missing:
        return f"priced {len(prices)} of the {len(planned)} recipients (not {_named(missing)})"
    return [prices[digits(number)] for number in planned]


def _number(value: Any) -> Optional[float]:
    """A price as a number; None when it is missing, not a number, or not finite."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None

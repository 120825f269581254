# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Sending: who gets a message, how the recipients go out in calls of at most 1000, and what ClickSend said of each.

Each distinct number gets at most one message per send. Numbers in `to` are de-duplicated; a contact list is read by
the app, whatever its size and whatever the guard rails, and its numbers go out like numbers given in `to`,
de-duplicated with them and with each other. (Sent as a `list_id`, ClickSend would expand the list itself: a number
both in `to` and in the list, or twice in the list, would get two messages, and a contact added meanwhile one nobody
checked.) ClickSend takes at most 1000 recipients per call; the calls go one after another; a call is never repeated
once it may have reached ClickSend; a recipient ClickSend's answer does not mention has an unknown outcome and is
named.

What the result keeps: up to COMPACT_SEND_THRESHOLD recipients, ClickSend's answer to each call whole (the data paths
of 1.0.x). A bigger send keeps, per call, the answer's envelope and totals and the messages ClickSend did not queue
(whole, with their status). Either way each data item's `data.queued` lists every message ClickSend queued: `to`,
`message_id`, and `list_id` and `contact_id` of a number the app read from the list. The summary holds every queued
message_id and the first one alone. A message object is built only when its call goes, and of ClickSend's answers
only that much stays in memory, so a send to 100 000 recipients stays small.
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from typing import Any, Callable, NamedTuple, Optional

import clicksend_consts as consts
import clicksend_pages
import clicksend_params as checks
from clicksend_api import currency_of, number_of, numbers_in
from clicksend_errors import NOTHING_SENT, ClickSendError, ClickSendHTTPError, ClickSendResponseError
from clicksend_guards import Guard
from clicksend_params import ActionFailed, ParameterError
from clicksend_text import listed, none_of, of_total, plural
from clicksend_urls import api_path


MAX_LISTED = consts.MAX_LISTED
PRICE_TOTALS = ("total_price", "total_count", "queued_count", "blocked_count")  # summed over the calls of a price


class Targets(NamedTuple):
    numbers: list  # unique E.164 numbers from `to`
    skipped: list  # (as given, reason) for invalid numbers left out under invalid_numbers=skip
    list_id: Optional[int]
    cut: bool = False  # more numbers than the asset's recipient cap: `to` was read only that far


class Send(NamedTuple):
    endpoint: str
    noun: str  # "message", "MMS message", "voice message"
    fields: dict  # what every message object carries (body, from, schedule, custom_string...)
    top_level: Optional[dict] = None  # keys beside `messages` (media_file for MMS)
    per_recipient: Optional[Callable[[Optional[str]], dict]] = None  # extra fields per number (None: a list object)


# --- who ---------------------------------------------------------------------------------------------------------


def targets_of(ctx, params, with_skip: bool = True, capped: bool = True) -> Targets:
    """The recipients of a send or price action: `to` (E.164, de-duplicated) and `contact_list_id`. `capped`: a send,
    whose `to` is read only up to the first number beyond the asset's max_recipients_per_action (refused later)."""
    skip = with_skip and invalid_numbers_mode(params) == "skip"
    most = getattr(ctx.settings, "max_recipients_per_action", None) if capped else None
    found = checks.recipients(params.string("to"), ctx.account.default_country, "to", skip_invalid=skip, most=most)
    list_id = params.integer("contact_list_id", minimum=1)
    if not found.numbers and list_id is None:
        if found.skipped:
            raise ActionFailed(f"None of the numbers in 'to' can be used, so nothing was sent: {skipped_text(found.skipped)}")
        raise ParameterError("to", "give at least one recipient in 'to' or a 'contact_list_id'")
    return Targets(found.numbers, found.skipped, list_id, found.cut)


def invalid_numbers_mode(params) -> str:
    mode = (params.string("invalid_numbers") or "fail").lower()
    if mode not in ("fail", "skip"):
        raise ParameterError("invalid_numbers", f"must be fail or skip, not {mode[:20]!r}")
    return mode


def skipped_text(skipped: list) -> str:
    return listed([reason for _given, reason in skipped])  # each reason names its number


def skipped_sentence(skipped: list) -> str:
    return f"skipped {plural(len(skipped), 'invalid number')}: {skipped_text(skipped)}"


def list_size(ctx, list_id: int) -> Optional[int]:
    """The list's `_contacts_count` (None when ClickSend does not say); an unknown list fails naming it."""
    try:
        listing = ctx.client.get(api_path(consts.EP_LIST, list_id=list_id))
    except ClickSendHTTPError as err:
        if err.status == 404:
            raise ActionFailed(f"Contact list {list_id} does not exist at ClickSend (HTTP 404), so nothing was sent") from None
        raise
    try:
        size = int(listing.get("_contacts_count")) if isinstance(listing, dict) else None
    except (TypeError, ValueError):
        return None
    return size if size is not None and size >= 0 else None  # a count the app cannot trust: the app reads the list


class Members(NamedTuple):
    numbers: list  # the list's distinct usable numbers not already known (E.164), in list order
    unusable: int  # contacts without a usable phone number
    cut: bool  # reading stopped once more than `most` numbers were known: the list holds more


def list_numbers(ctx, list_id: int, known: dict, contacts: dict, most: Optional[int] = None) -> Members:
    """Read a contact list: its numbers not already in `known` (E.164), each once. `known` gains them; `contacts` maps
    the digits of every number of the list (those in `known` before too) to (list_id, contact_id) of its first
    contact. With `most` (the recipient cap), reading stops at the first number beyond it."""
    numbers: list = []
    unusable = 0
    ctx.progress(f"Reading the contacts of list {list_id}: each distinct number gets one message")
    for contact in clicksend_pages.iter_items(ctx.client, api_path(consts.EP_LIST_CONTACTS, list_id=list_id)):
        raw = contact.get("phone_number") if isinstance(contact, dict) else None
        try:
            number = checks.phone_number(raw, ctx.account.default_country, "phone_number") if raw else None
        except ParameterError:
            number = None
        if number is None:
            unusable += 1
            continue
        key = checks.digits(number)
        if key not in contacts:
            contact_id = contact.get("contact_id")
            contacts[key] = (str(list_id), None if contact_id is None else str(contact_id))
        if number not in known:
            if most is not None and len(known) >= most:
                return Members(numbers, unusable, True)
            known[number] = None
            numbers.append(number)
    return Members(numbers, unusable, False)


# --- how -----------------------------------------------------------------------------------------------------------


class Outcomes:
    """What ClickSend said of the messages of a send, kept small: counts, the queued message ids, the first rejections."""

    def __init__(self):
        self.total = 0
        self.queued = 0
        self.message_ids: list = []
        self.rejected = 0
        self.rejected_shown: list = []  # the first MAX_LISTED messages ClickSend did not queue

    def add(self, messages: list) -> None:
        for item in messages:
            self.total += 1
            if _queued(item):
                self.queued += 1
                if item.get("message_id"):
                    self.message_ids.append(str(item.get("message_id")))
            else:
                self.rejected += 1
                if len(self.rejected_shown) < MAX_LISTED:
                    self.rejected_shown.append(item)


def _batches(numbers: list) -> list:
    """The numbers in calls of at most SEND_BATCH_SIZE, in order."""
    size = consts.SEND_BATCH_SIZE
    return [numbers[start : start + size] for start in range(0, len(numbers), size)]


class Delivery:
    """One send action's calls and what ClickSend answered; `run()` returns the action's message."""

    def __init__(self, ctx, result, send: Send, targets: Targets):
        self.ctx, self.result, self.send, self.targets = ctx, result, send, targets
        self.notes: list = []
        self.outcomes = Outcomes()
        self._per_recipient = send.per_recipient  # the fields a message to one number adds (voice: its country)
        self.compact = False  # more than COMPACT_SEND_THRESHOLD recipients: a compact result (see the module's docstring)
        self.contacts: dict = {}  # digits of a number -> (list_id, contact_id), for the numbers the app read from the list
        self.unanswered: list = []  # numbers ClickSend's answer did not mention
        self.unknown_count = 0  # recipients among them, and those of calls whose outcome is unknown
        self.total_price = 0.0
        self.currency = ""
        self.last_msg = ""
        self.failure = ""
        self.failed_index = 0
        self.guard = Guard(ctx.settings, send.endpoint, lambda: account_currency(ctx))  # asked before the first send or price call

    # planning

    def _message(self, number: str) -> dict:
        """The message object of one number, made when its call goes (not kept: a send may have 100 000)."""
        extra = self._per_recipient(number) if self._per_recipient else {}
        return dict(self.send.fields, **extra, to=number)

    def _body(self, batch: list) -> dict:
        return dict(self.send.top_level or {}, messages=[self._message(number) for number in batch])

    def plan(self) -> list:
        """Every distinct number the send goes to, in order: `to`, then the list's other numbers. A guard rail that
        refuses raises Refused (clicksend_guards)."""
        numbers = list(self.targets.numbers)
        list_id = self.targets.list_id
        self.guard.numbers(numbers, self.targets.cut)
        if list_id is None:
            return numbers
        if list_size(self.ctx, list_id) == 0:
            if not numbers:
                raise ActionFailed(f"Contact list {list_id} has no contacts, so there was nobody to send to; nothing was sent")
            self.notes.append(f"contact list {list_id} has no contacts")
            return numbers
        known = dict.fromkeys(numbers)
        members = list_numbers(self.ctx, list_id, known, self.contacts, self.guard.max_recipients)
        self.guard.members(list_id, members.numbers, len(numbers), members.cut)
        if members.unusable:
            self.notes.append(f"{plural(members.unusable, 'contact')} of list {list_id} had no usable phone number")
        if not members.numbers and not numbers:
            raise ActionFailed(f"Contact list {list_id} has no contact with a usable phone number; nothing was sent")
        shared = sum(1 for number in numbers if checks.digits(number) in self.contacts)
        also = f", {plural(shared, 'number')} of it also in 'to'" if shared else ""
        self.notes.append(f"list {list_id} was read by the app ({plural(len(members.numbers) + shared, 'number')}{also}; one message each)")
        return numbers + members.numbers

    # sending

    def run(self) -> str:
        pending = _batches(self.plan())
        self._choose_shape(pending)
        if self.guard.max_cost is not None:  # the asset's spend cap: the same calls priced first (nothing is sent)
            if self.send.per_recipient:  # worked out once for the price and the send (a voice call's country)
                self._per_recipient = functools.lru_cache(maxsize=None)(self.send.per_recipient)
            self.ctx.progress("Pricing the send first (asset field max_cost_per_action)")
            quote = self.price(pending, self.guard.price_endpoint)
            self.notes.append(self.guard.cost(quote, [number for batch in pending for number in batch]))
        for index, batch in enumerate(pending, 1):
            self.ctx.progress(f"Sending batch {index} of {len(pending)} ({plural(len(batch), 'recipient')})")
            try:
                envelope = self._post(self._body(batch))
                messages = _answered_messages(envelope, self.send.endpoint)
            except ClickSendError as err:
                self._batch_failed(index, pending, err)
                break
            self._account(batch, messages)
            data = numbers_in(envelope["data"], PRICE_TOTALS)  # numeric data paths hold numbers
            data["queued"] = [self._queued_entry(item) for item in messages if _queued(item)]
            self.result.add_data(_compact(envelope) if self.compact else envelope)
            self.total_price += _number(data.get("total_price"))
            self.currency = self.currency or currency_of(data)
            self.last_msg = str(envelope.get("response_msg") or "")
        return self._report()

    def _choose_shape(self, pending: list) -> None:
        """A compact result for more than COMPACT_SEND_THRESHOLD recipients."""
        self.compact = sum(len(batch) for batch in pending) > consts.COMPACT_SEND_THRESHOLD

    def price(self, pending: Optional[list] = None, endpoint: Optional[str] = None) -> dict:
        """Ask ClickSend the price of every call of the plan (nothing is sent): its answers merged into one. A send's
        spend cap passes its own calls (`pending`) and its price endpoint."""
        pending = _batches(self.plan()) if pending is None else pending
        endpoint = endpoint or self.send.endpoint
        merged: dict = {"messages": []}
        for batch in pending:
            data = self.ctx.client.post(endpoint, self._body(batch), idempotent=True)
            priced = data.get("messages") if isinstance(data, dict) else None
            if not isinstance(priced, list) or not all(isinstance(item, dict) for item in priced):
                raise ClickSendResponseError(f"ClickSend answered POST {endpoint} without a list of priced messages")
            for item in priced:
                numbers_in(item, ("message_parts",))
                self._fill_list_fields(item)
            merged["messages"].extend(priced)
            for key in PRICE_TOTALS:
                merged[key] = merged.get(key, 0) + _number(data.get(key, len(priced) if key == "total_count" else 0))
            merged.update({key: value for key, value in data.items() if key not in merged})
        merged["total_price"] = round(merged.get("total_price", 0.0), 6)
        for key in PRICE_TOTALS[1:]:
            merged[key] = int(merged.get(key, 0))
        return merged

    def _post(self, body: dict) -> dict:
        """One send call. A 4xx answer that still lists the messages (ClickSend may answer an all-rejected send that way)
        is an answer like any other: each message carries its own status."""
        try:
            return self.ctx.client.request("POST", self.send.endpoint, json_body=body)
        except ClickSendHTTPError as err:
            answered = err.data.get("messages") if isinstance(err.data, dict) else None
            if 400 <= err.status < 500 and isinstance(answered, list) and answered:
                return {"http_code": err.status, "response_code": err.response_code, "response_msg": err.response_msg, "data": err.data}
            raise

    def _batch_failed(self, index: int, pending: list, err: ClickSendError) -> None:
        """Record a failed call: the calls after it do not go. Fails the action at once when nothing ClickSend answered
        so far was a message ClickSend named, saying what is known of the calls before it."""
        if len(pending) == 1:
            raise err
        noun = self.send.noun
        size = len(pending[index - 1])
        fate = "has an unknown outcome" if err.outcome_unknown else "was not sent"
        if err.outcome_unknown:
            self.unknown_count += size
        reason = str(err)[: -len(NOTHING_SENT)] if str(err).endswith(NOTHING_SENT) else str(err)  # "was not sent" says it
        text = f"batch {index} of {len(pending)} ({plural(size, 'recipient')}) {fate}: {reason}"
        later = sum(len(batch) for batch in pending[index:])
        self.failure = text + (f"; the {plural(later, noun)} after it {'was' if later == 1 else 'were'} not sent" if later else "")
        self.failed_index = index
        if not self.outcomes.total:
            summary = self.result.update_summary({})
            summary.update(failed_batch=index, unknown_count=self.unknown_count)
            raise ActionFailed(self.failure[0].upper() + self.failure[1:] + self._tail(failure=False)) from None

    def _account(self, batch: list, messages: list) -> None:
        """Count the answer, and name every number of the call that ClickSend's answer does not mention."""
        for item in messages:
            _uniform(item)
            self._fill_list_fields(item)
        self.outcomes.add(messages)
        mentioned = {checks.digits(item.get("to")) for item in messages}
        for number in batch:
            if checks.digits(number) not in mentioned:
                self.unanswered.append(number)
                self.unknown_count += 1

    def _fill_list_fields(self, item: dict) -> None:
        """list_id and contact_id of a number the app read from the list, where ClickSend's answer has the field
        without a value (ClickSend fills them itself only for a list it expands; voice messages have no contact_id)."""
        known = self.contacts.get(checks.digits(item.get("to")))
        for key, value in zip(("list_id", "contact_id"), known or ()):
            if key in item and item[key] in (None, ""):
                item[key] = value

    def _queued_entry(self, item: dict) -> dict:
        """One queued recipient for data.queued: its number and message id, and the list and contact the app read it from."""
        entry = {"to": item.get("to"), "message_id": item.get("message_id")}
        known = self.contacts.get(checks.digits(item.get("to")))
        if known is not None:
            entry.update(list_id=known[0], contact_id=known[1])
        return entry

    # reporting

    def _report(self) -> str:
        noun = self.send.noun
        outcomes = self.outcomes
        summary = self.result.update_summary({})
        summary.update(
            total_recipients=outcomes.total,
            queued_count=outcomes.queued,
            rejected_count=outcomes.rejected,
            total_price=round(self.total_price, 6),
            currency=self.currency or quietly(account_currency, self.ctx),
            message_id=outcomes.message_ids[0] if outcomes.message_ids else None,
            message_ids=outcomes.message_ids,
            response_message=self.last_msg,
            unknown_count=self.unknown_count,
            skipped_numbers=[given for given, _ in self.targets.skipped],
        )
        if self.failed_index:
            summary["failed_batch"] = self.failed_index
        if not outcomes.total:
            raise ActionFailed(
                f"ClickSend's answer listed none of the {noun}s sent, so their outcome is unknown: check ClickSend's history before trying again"
                + self._tail()
            )
        tail = self._tail()
        rejected = rejections_text(outcomes.rejected_shown, outcomes.rejected)
        if not outcomes.queued:
            raise ActionFailed(f"ClickSend {none_of(outcomes.total, noun)}: {rejected}" + tail)
        text = f"Queued {of_total(outcomes.queued, outcomes.total, noun)}"
        when = self.send.fields.get("schedule")
        if when:
            text += f" to go out at {datetime.fromtimestamp(when, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        if outcomes.rejected:
            text += f"; ClickSend rejected {outcomes.rejected}: {rejected}"
        return text + tail

    def _tail(self, failure: bool = True) -> str:
        parts = []
        if self.unanswered:
            shown = listed(self.unanswered)
            parts.append(f"ClickSend's answer did not mention {shown}, so their outcome is unknown: check ClickSend's history before resending")
        if self.targets.skipped:
            parts.append(skipped_sentence(self.targets.skipped))
        parts.extend(self.notes)
        if failure and self.failure:
            parts.append(self.failure)
        return "".join(f"; {part}" for part in parts)


def deliver(ctx, result, send: Send, targets: Targets) -> str:
    return Delivery(ctx, result, send, targets).run()


def account_currency(ctx) -> str:
    """The account's currency (from the account the app keeps in the state file): for answers without `_currency`,
    as ClickSend's MMS answers are documented."""
    return ctx.account.currency()


def quietly(read: Callable, ctx) -> str:
    """A fact for the summary that must never fail a send already made: "" when it cannot be read."""
    try:
        return read(ctx)
    except (ActionFailed, ClickSendError):
        return ""


def _answered_messages(envelope: dict, endpoint: str) -> list:
    data = envelope.get("data")
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, list) or not all(isinstance(item, dict) for item in messages):
        raise ClickSendResponseError(
            f"ClickSend answered POST {endpoint} without a list of messages; the messages may have been sent, so the outcome is unknown: "
            "check ClickSend's history before trying again",
            outcome_unknown=True,
        )
    return messages


def _uniform(message: dict) -> None:
    """ClickSend types a few fields differently for SMS, MMS and voice: give them one type in every send's result
    (contact_id a string, date and schedule Unix seconds, message_parts a number), so playbooks read them alike; null
    stays null, and a value that is not a finite number becomes null."""
    if message.get("contact_id") not in (None, ""):
        message["contact_id"] = str(message["contact_id"])
    numbers_in(message, ("message_parts",))
    for key in ("date", "schedule"):
        if key in message:
            try:
                message[key] = int(float(message[key]))
            except (TypeError, ValueError, OverflowError):
                message[key] = None


def rejections_text(rejected: list, count: Optional[int] = None) -> str:
    """The first MAX_LISTED rejected messages named with ClickSend's reason; `count` of them in all (default: all given)."""
    shown = [f"{item.get('to') or 'list ' + str(item.get('list_id'))} ({item.get('status')})" for item in rejected[:MAX_LISTED]]
    return listed(shown, len(rejected) if count is None else count)


def _queued(message: dict) -> bool:
    return str(message.get("status")) == consts.STATUS_QUEUED


def _compact(envelope: dict) -> dict:
    """A send call's answer as a big send keeps it: the envelope and totals, the messages not queued (whole), and
    data.queued (filled by Delivery.run)."""
    data = envelope["data"]  # a dict holding a list of message dicts: _answered_messages checked it
    kept = {key: value for key, value in data.items() if key != "messages"}
    kept["messages"] = [item for item in data["messages"] if not _queued(item)]
    return dict({key: value for key, value in envelope.items() if key != "data"}, data=kept)


def _number(value: Any) -> float:
    """A total to add up: 0 when it is missing, not a number or not finite."""
    return float(number_of(value) or 0)

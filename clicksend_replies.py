# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""What counts as the reply to one sent SMS (wait for reply), and which senders can get replies at all.

ClickSend files a reply under the latest message sent to the replying number (original_message_id), and
GET sms/inbound/{original_message_id} answers the first reply filed under a message, read or not. A reply counts for a
message only when:
- ClickSend filed it under that very message (its original_message_id is the message's id);
- it comes from the number the message was sent to (a copy of the message's text or marker answered from another
  phone counts for nothing);
- it is dated at or after the send.
A message is superseded once a later message went to the same number from the same sender (SMS history, looked up at
the first check and then every REPLY_SUPERSEDED_EVERY seconds): the answer to either can only be filed under the later
one, so waiting for the earlier one could only ever attribute another question's answer to it. Messages of the same
second count as later (ClickSend's order within a second is not known): the safe side is to ask again, never to take
an answer to another question. A later message that was never sent (Scheduled, Cancelled) supersedes nothing.

Senders that get no replies through ClickSend: an alpha tag (recipients cannot answer one) and an own number (the
customer's own phone, GET own-numbers): its replies go to that phone, never to ClickSend.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import clicksend_consts as consts
import clicksend_pages
import clicksend_senders
from clicksend_api import received_at, unix_seconds
from clicksend_errors import ClickSendError, ClickSendHTTPError
from clicksend_params import digits, is_alpha_tag
from clicksend_urls import api_path


def own_numbers(client) -> set:
    """The digits of every own number of the account, approved or not (clicksend_senders reads GET own-numbers)."""
    return {digits(item["sender"]) for item in clicksend_senders.cursor_senders(client, clicksend_senders.OWN)} - {""}


class OwnNumbers:
    """Whether a sender is one of the account's own numbers; the list is read once, when the first phone number is asked
    about. A list that cannot be read is said in the debug log, and its senders are taken for dedicated numbers."""

    def __init__(self, client, log: Callable[[str], None]):
        self.client = client
        self.log = log
        self.numbers: Optional[set] = None

    def __contains__(self, sender: Any) -> bool:
        text = str(sender or "").strip()
        if not text.startswith("+") or is_alpha_tag(text):
            return False
        if self.numbers is None:
            try:
                self.numbers = own_numbers(self.client)
            except ClickSendError as err:
                self.log(f"own numbers could not be read ({type(err).__name__}); senders are taken for dedicated numbers")
                self.numbers = set()
        return digits(text) in self.numbers


def _never_sent(row: dict) -> bool:
    status = str(row.get("status") or "").strip().casefold()
    return status.startswith(("scheduled", "cancelled"))


def _same_sender(first: Any, second: Any) -> bool:
    """Whether two history `from` values are one sender; an unknown sender matches any (the safe side)."""
    a, b = digits(first) or str(first or "").strip().casefold(), digits(second) or str(second or "").strip().casefold()
    return not a or not b or a == b


class Question:
    """One sent SMS a wait asks about: its history row, and whether a reply to it (or a later message) has come."""

    def __init__(self, ctx, message_id: str, row: dict, now: Callable[[], float]):
        self.ctx = ctx
        self.message_id = message_id
        self.row = row
        self.to = str(row.get("to") or "").strip()
        self.sent_at = unix_seconds(row.get("date"))
        self._now = now
        self._looked_at: Optional[float] = None
        self.ignored: list = []  # replies filed under the message that do not count (why, in words)

    def reply(self) -> Optional[dict]:
        """The reply that counts for this message, or None."""
        try:
            data = self.ctx.client.get(api_path(consts.EP_SMS_REPLY, message_id=self.message_id))
        except ClickSendHTTPError as err:
            if err.status == 404:
                return None  # no reply yet
            raise
        if isinstance(data, list):
            data = next((item for item in data if isinstance(item, dict)), None)
        if not isinstance(data, dict) or not str(data.get("message_id") or "").strip():
            return None
        why = self._why_not(data)
        if why:
            if why not in self.ignored:
                self.ignored.append(why)
                self.ctx.debug(f"wait: reply {str(data.get('message_id'))[:64]} to {self.message_id} does not count: {why}")
            return None
        return data

    def _why_not(self, reply: dict) -> str:
        filed_under = str(reply.get("original_message_id") or "").strip()
        if filed_under and filed_under.upper() != self.message_id.upper():
            return f"ClickSend filed it under message {filed_under[:64]}"
        if not digits(reply.get("from")) or digits(reply.get("from")) != digits(self.to):
            return "it comes from another number than the one the message went to"  # for the debug log: no numbers
        received = received_at(reply)
        if received is not None and self.sent_at is not None and received < self.sent_at:
            return "it is dated before the message was sent"
        return ""

    def superseded_by(self) -> Optional[dict]:
        """The latest later message to the same number from the same sender (its history row), or None; SMS history is
        asked at the first call and then at most every REPLY_SUPERSEDED_EVERY seconds."""
        if not self.to or self.sent_at is None:
            return None
        if self._looked_at is not None and self._now() - self._looked_at < consts.REPLY_SUPERSEDED_EVERY:
            return None
        self._looked_at = self._now()
        # date_from one second early: whether ClickSend's date_from is inclusive is not documented
        rows, _more = clicksend_pages.page(
            self.ctx.client, consts.EP_SMS_HISTORY, 1, {"q": f"to:{self.to}", "date_from": self.sent_at - 1, "order_by": "date:desc"}
        )
        for row in rows:
            if not isinstance(row, dict):
                continue
            row_id = str(row.get("message_id") or "").strip()
            date = unix_seconds(row.get("date"))
            if (
                row_id
                and row_id.upper() != self.message_id.upper()
                and str(row.get("direction") or "out").strip().lower() != "in"
                and digits(row.get("to")) == digits(self.to)
                and date is not None
                and date >= self.sent_at
                and not _never_sent(row)
                and _same_sender(row.get("from"), self.row.get("from"))
            ):
                return row  # newest first: the message a reply would now be filed under
        return None

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Delivery receipts in on poll: each receipt becomes a "Delivery receipt" artifact of the container that sent the message.

On poll reads receipts only while an enabled delivery-receipt automation rule with action POLL exists (ClickSend lists
none otherwise). The container is found through the reply-thread marker the app put in the message's custom_string
(clicksend_marker: only this asset's own markers, verified with the number the message went to, which a receipt does
not carry: it is looked up in SMS history, several at once). A receipt of a message not sent from a container (or
whose container was deleted, or sent by another asset or SOAR instance sharing the ClickSend account) is counted, not
turned into a container. A receipt artifact never runs the container's playbooks again (run_automation false).

ClickSend's receipts are account-wide and marking them read is too: PUT sms/receipts-read marks read every receipt
"sent before" date_before. Whether ClickSend compares the receipt's `timestamp` or the message's `timestamp_send` is not
documented, so the cut-off is placed to be safe under both readings (timestamp_send is never after timestamp). One poll:
1. takes the asset's receipts lock (`<state file>.receipts.lock`); a poll that finds it taken (another poll of this asset
   is reading receipts) leaves the receipts to that poll and says so;
2. notes the time R, then reads the whole unread listing, page by page (at most MAX_PAGES), whatever its order, noting
   each page's `total`;
3. saves the receipts whose messages were sent first (by timestamp_send, then timestamp), at most RECEIPTS_SAVE_MAX new
   artifacts a poll (one found saved takes no place, so a backlog always moves on); a receipt is "done" when its
   artifact is saved (or found saved), when it was counted (no container), or when it has no usable message id;
4. picks date_before as the smallest of: each receipt not done (failed, or left for the next poll): its timestamp_send
   and timestamp; R - RECEIPT_SETTLE_SECONDS + 1 (a receipt that arrives while the poll runs carries a timestamp after
   R; the margin covers clock skew); and one past the newest done receipt. Every receipt of the listing older than it,
   by either stamp, is done;
5. before the PUT, asks the listing's total again: receipts that arrived meanwhile are read, and their stamps lower the
   cut-off (so the window in which a receipt for a message sent before the cut-off can arrive unseen is one request
   long; docs/clicksend-api-notes.md §8);
6. marks nothing when that cannot be made safe: a listing that shrank while it was read (another poll or client marked
   receipts read: what was passed over is unknown), more than MAX_PAGES pages, a receipt not done without both stamps,
   or one that grew while an unordered listing was read. The first two fail the poll loudly.
A crash at any point leaves the unsaved ones unread, and the next poll saves them (the platform keeps one artifact per
receipt: the artifact's source_data_identifier is the same on every run).
"""

from __future__ import annotations

import re
import time
from typing import Optional

import clicksend_consts as consts
from clicksend_api import iso_utc, receipt_poll_rules, sent_message, unix_seconds
from clicksend_errors import ClickSendError, ClickSendResponseError
from clicksend_marker import MARKER_RE, known_secret, verified_container
from clicksend_state import LockBusy
from clicksend_text import plural


MESSAGE_ID_RE = re.compile(consts.MESSAGE_ID_PATTERN)
CEF_FIELDS = consts.RECEIPT_CEF_FIELDS

_now = time.time  # wall clock (receipt timestamps are Unix seconds); tests replace it


class SaveFailed(Exception):
    """One message or receipt could not be saved in SOAR; it stays unread at ClickSend for the next poll."""


def save_artifact(ctx, artifact: dict) -> bool:
    """Save one artifact; True when the platform says it has it already. Raises SaveFailed when it is not saved.

    How the platform answers a duplicate artifact is not documented: success with "already exists", or a failed status
    with a duplicate's wording and the existing artifact's id (as its REST layer does). Both count as saved, so a
    message saved by an earlier poll that could not mark it read is marked read now instead of failing every poll."""
    status, text, artifact_id = ctx.save_artifact(artifact)
    said = str(text).lower()
    duplicate = any(word in said for word in consts.DUPLICATE_ARTIFACT_WORDS) and (bool(status) or artifact_id is not None)
    if not status and not duplicate:
        raise SaveFailed(f"the platform did not save its artifact in container {artifact['container_id']} ({text})")
    return duplicate


def receipt_artifact(receipt: dict, container_id: int) -> dict:
    """The artifact of one receipt: the same dict on every run, so the platform sees a re-run as a duplicate."""
    message_id = str(receipt["message_id"]).strip()
    cef: dict = {}
    for key in CEF_FIELDS:
        value = receipt.get(key)
        if value is not None and value != "":
            cef[key] = str(value)
    code = cef.get("status_code", "")
    cef["delivered"] = code == consts.DELIVERED_CODE
    cef["is_final"] = code in consts.FINAL_STATUS_CODES
    for key, name in (("timestamp", "receipt_time"), ("timestamp_send", "sent_time")):
        when = iso_utc(unix_seconds(receipt.get(key)))
        if when:
            cef[name] = when
    return {
        "name": consts.RECEIPT_ARTIFACT_NAME,
        "label": consts.RECEIPT_ARTIFACT_LABEL,
        "type": consts.RECEIPT_ARTIFACT_TYPE,
        "container_id": container_id,
        "source_data_identifier": f"receipt:{message_id}:{code}:{unix_seconds(receipt.get('timestamp'))}",
        "cef": cef,
        "cef_types": {key: list(types) for key, types in consts.RECEIPT_CEF_TYPES.items() if key in cef},
        "data": dict(receipt),
        "run_automation": False,  # a receipt never runs the container's playbooks again (a bulk send would run them N times)
    }


def _low(stamps: tuple) -> Optional[int]:
    known = [stamp for stamp in stamps if stamp is not None]
    return min(known) if known else None


def mark_read_before(done: list, not_done: list, read_at: float) -> Optional[int]:
    """The date_before that marks read only receipts that are done, whether ClickSend compares timestamp_send or
    timestamp (see the module docstring), or None for no mark-read. `done` and `not_done` hold (timestamp_send,
    timestamp) pairs, either of which may be None."""
    if any(None in pair for pair in not_done):
        return None  # a receipt that must stay unread, but cannot be placed before or after a cut-off
    dated = [pair for pair in done if _low(pair) is not None]
    if not dated:
        return None
    bounds = [max(max(stamp for stamp in pair if stamp is not None) for pair in dated) + 1]
    bounds.extend(min(pair) for pair in not_done)
    # never past the poll's own clock less the settling margin: a receipt stamped in the future (a clock far off, or a
    # hostile answer) must not move the cut-off over receipts that are still to come
    bounds.append(int(read_at) - consts.RECEIPT_SETTLE_SECONDS + 1)
    cutoff = min(bounds)
    return cutoff if cutoff > min(_low(pair) for pair in dated) else None


class _Listing:
    """The unread receipts as one poll read them: every page, each page's total, whether it was read to its end."""

    def __init__(self, receipts: list, totals: list, complete: bool):
        self.receipts, self.totals, self.complete = receipts, totals, complete

    @property
    def shrank(self) -> bool:
        known = [total for total in self.totals if total is not None]
        return any(later < first for first, later in zip(known, known[1:]))

    @property
    def grew(self) -> bool:
        known = [total for total in self.totals if total is not None]
        return any(later > first for first, later in zip(known, known[1:]))

    @property
    def ordered(self) -> bool:
        """Whether the listing came in time order (either way): receipts arriving meanwhile then move nothing past."""
        stamps = [unix_seconds(receipt.get("timestamp")) for receipt in self.receipts]
        if None in stamps:
            return False
        pairs = list(zip(stamps, stamps[1:]))
        return all(a <= b for a, b in pairs) or all(a >= b for a, b in pairs)


def _key(receipt: dict) -> tuple:
    return (str(receipt.get("message_id") or "").strip().upper(), str(receipt.get("status_code")), unix_seconds(receipt.get("timestamp")))


def _stamps(receipt: dict) -> tuple:
    return unix_seconds(receipt.get("timestamp_send")), unix_seconds(receipt.get("timestamp"))


class ReceiptPoll:
    """One poll's delivery receipts: read, saved into their containers, then marked read up to a safe cut-off."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.secret = known_secret(ctx.state_file.read_strict())
        self.asset_id = str(ctx.get_asset_id())
        self.counts = {"added": 0, "duplicate": 0, "unthreaded": 0, "failed": 0}
        self.failed: list = []
        self.problem = ""  # fails the poll (after its SMS were ingested)
        self.note = ""  # said in the poll's message, without failing it
        self.more = False
        self.marked_before: Optional[int] = None
        self.containers: dict = {}  # container id -> whether it exists (one look-up per run)
        self.recipients: dict = {}  # message id (upper case) -> the number it went to, or an error, from SMS history

    # --- reading ---------------------------------------------------------------------------------------------

    def _scan(self) -> _Listing:
        """Every page of the unread listing (at most MAX_PAGES), with each page's total."""
        receipts: list = []
        totals: list = []
        number = 1
        while True:
            data = self.ctx.client.get(consts.EP_SMS_RECEIPTS, {"page": number, "limit": consts.PAGE_LIMIT})
            items = data.get("data") if isinstance(data, dict) else ([] if data in (None, []) else data)
            if not isinstance(items, list):
                raise ClickSendResponseError(f"ClickSend answered GET {consts.EP_SMS_RECEIPTS} (page {number}) without a list of items")
            receipts.extend(item for item in items if isinstance(item, dict))
            totals.append(unix_seconds(data.get("total")) if isinstance(data, dict) else None)
            if not isinstance(data, dict):
                return _Listing(receipts, totals, True)  # a bare list: the one and final page
            last = unix_seconds(data.get("last_page"))
            if not items or (last is not None and number >= last) or (last is None and len(items) < consts.PAGE_LIMIT):
                return _Listing(receipts, totals, True)
            if number >= consts.MAX_PAGES:
                return _Listing(receipts, totals, False)
            number += 1

    # --- saving ----------------------------------------------------------------------------------------------

    def _recipient(self, message_id: str) -> Optional[str]:
        """The number a message went to (SMS history); SaveFailed when history cannot say."""
        found = self.recipients.get(message_id.upper())
        if isinstance(found, Exception):
            raise SaveFailed(f"its message could not be looked up in SMS history ({found})")
        return found

    def _look_up_recipients(self, receipts: list) -> None:
        """The recipients of the receipts that carry a marker, from SMS history, several at once."""
        wanted = list(dict.fromkeys(
            str(receipt.get("message_id")).strip().upper()
            for receipt in receipts
            if self.secret and re.match(MARKER_RE, str(receipt.get("custom_string") or "").strip())
            and MESSAGE_ID_RE.match(str(receipt.get("message_id") or "").strip())
        ))

        def look_up(message_id: str) -> tuple:
            try:
                row = sent_message(self.ctx.client, message_id)
            except ClickSendError as err:
                return message_id, err
            return message_id, str(row.get("to") or "") if row else None

        for message_id, found in self.ctx.client.map_ordered(look_up, wanted):
            self.recipients[message_id] = found

    def _container_of(self, receipt: dict) -> Optional[int]:
        if not re.match(MARKER_RE, str(receipt.get("custom_string") or "").strip()) or not self.secret:
            return None
        recipient = self._recipient(str(receipt.get("message_id")).strip())
        container_id = verified_container(receipt.get("custom_string"), self.secret, self.asset_id, recipient)
        if container_id is None:
            return None
        if container_id not in self.containers:
            exists, _info, code = self.ctx.get_container_info(container_id)
            if not exists and (unix_seconds(code) or 0) >= 500:  # a status code: int, or digits
                raise SaveFailed(f"the platform could not say whether container {container_id} exists (status {code})")
            self.containers[container_id] = bool(exists)
        return container_id if self.containers[container_id] else None

    def _save_one(self, receipt: dict) -> Optional[str]:
        """Save one receipt and count it; its outcome, or None when it could not be saved."""
        message_id = str(receipt.get("message_id") or "").strip()
        try:
            outcome = self._save(receipt) if MESSAGE_ID_RE.match(message_id) else "unthreaded"
        except SaveFailed as err:
            self.counts["failed"] += 1
            self.failed.append(f"{message_id}: {err}")
            return None
        except Exception as err:  # a defect met on this one receipt: its failure, not the poll's
            self.ctx.debug(f"receipts: unexpected {type(err).__name__} while saving {message_id[:64]}")
            self.counts["failed"] += 1
            self.failed.append(f"{message_id[:64]}: {consts.MSG_INBOUND_UNEXPECTED.format(error_type=type(err).__name__)}")
            return None
        self.counts[outcome] += 1
        return outcome

    def _save(self, receipt: dict) -> str:
        """Save one receipt; returns "added", "duplicate" or "unthreaded"; raises SaveFailed."""
        container_id = self._container_of(receipt)
        if container_id is None:
            return "unthreaded"
        receipt = self.ctx.client.redact_data(receipt)  # the API key masked wherever the receipt holds it, as in results
        return "duplicate" if save_artifact(self.ctx, receipt_artifact(receipt, container_id)) else "added"

    def run(self) -> None:
        try:
            with self.ctx.state_file.lock("receipts", wait=False):
                self._run()
        except LockBusy:
            self.note = consts.MSG_RECEIPTS_BUSY

    def _run(self) -> None:
        read_at = _now()
        listing = self._scan()
        unique: dict = {}
        for receipt in listing.receipts:
            unique.setdefault(_key(receipt), receipt)
        ordered = sorted(unique.values(), key=lambda receipt: tuple((stamp is None, stamp or 0) for stamp in _stamps(receipt)))
        done: list = []
        not_done: list = []
        added = 0
        chunk = consts.PAGE_LIMIT  # recipients are looked up a chunk at a time, only for receipts this poll gets to
        for start in range(0, len(ordered), chunk):
            part = ordered[start : start + chunk]
            if added >= consts.RECEIPTS_SAVE_MAX:  # the rest wait for the next poll (found saved ones cost no place)
                not_done.extend(_stamps(receipt) for receipt in part)
                self.more = True
                continue
            self._look_up_recipients(part)
            for receipt in part:
                if added >= consts.RECEIPTS_SAVE_MAX:
                    not_done.append(_stamps(receipt))
                    self.more = True
                    continue
                outcome = self._save_one(receipt)
                if outcome is None:
                    not_done.append(_stamps(receipt))
                    continue
                added += outcome == "added"
                done.append(_stamps(receipt))
        self.more = self.more or not listing.complete
        if not listing.complete:
            self.problem = consts.MSG_RECEIPTS_TOO_MANY.format(pages=consts.MAX_PAGES, count=consts.MAX_PAGES * consts.PAGE_LIMIT)
            return
        if listing.shrank:
            self.problem = consts.MSG_RECEIPTS_CHANGED
            return
        if listing.grew and not listing.ordered:
            self.note = "receipts arrived while the poll read an unordered listing, so marking them read waits for the next poll"
            return
        self._mark(done, not_done, read_at, unique, listing.totals[-1])

    def _mark(self, done: list, not_done: list, read_at: float, seen: dict, total: Optional[int]) -> None:
        cutoff = mark_read_before(done, not_done, read_at)
        if cutoff is None:
            return
        data = self.ctx.client.get(consts.EP_SMS_RECEIPTS, {"page": 1, "limit": consts.PAGE_LIMIT})
        now_total = unix_seconds(data.get("total")) if isinstance(data, dict) else None
        if now_total is None or total is None or now_total > total:
            # receipts arrived since the listing was read (or the total is not known): their stamps bound the cut-off
            again = self._scan()
            if not again.complete:
                return
            arrived = [_stamps(receipt) for receipt in again.receipts if _key(receipt) not in seen]
            cutoff = mark_read_before(done, not_done + arrived, read_at)
            if cutoff is None:
                return
        try:
            self.ctx.client.put(consts.EP_SMS_RECEIPTS_READ, {"date_before": cutoff})
        except ClickSendError as err:
            self.problem = f"marking delivery receipts read failed ({err}); they are saved, and the next poll marks them read"
            return
        self.marked_before = cutoff

    # --- reporting -------------------------------------------------------------------------------------------

    def summary(self) -> dict:
        return {
            "receipts_added": self.counts["added"],
            "receipts_already_ingested": self.counts["duplicate"],
            "receipts_without_container": self.counts["unthreaded"],
            "receipts_failed": self.counts["failed"],
        }

    def sentence(self) -> str:
        counts = self.counts
        total = counts["added"] + counts["duplicate"] + counts["unthreaded"]
        if self.note and not total and not counts["failed"]:
            return self.note
        if not total and not counts["failed"]:
            return "no delivery receipts"
        text = (
            f"{plural(total, 'delivery receipt')} ({counts['added']} added to their message's container, "
            f"{counts['duplicate']} already in SOAR, {counts['unthreaded']} for messages not sent from a container of this asset)"
        )
        if self.more:
            text += " with more waiting"
        return f"{text}; {self.note}" if self.note else text

    def problems(self) -> list:
        found = []
        if self.failed:
            found.append(
                f"{plural(len(self.failed), 'delivery receipt')} could not be saved (first: {self.failed[0]}); "
                "they and the receipts after them stay unread for the next poll"
            )
        if self.problem:
            found.append(self.problem)
        return found


def poll_receipts(ctx) -> Optional[ReceiptPoll]:
    """On poll's receipts: None when no enabled delivery-receipt POLL rule exists (nothing read, nothing said)."""
    try:
        if not receipt_poll_rules(ctx.client):
            return None
    except ClickSendError as err:
        # the receipts wait unread at ClickSend, so a poll that ingested its SMS still succeeds and says so
        poll = ReceiptPoll(ctx)
        poll.note = f"delivery receipt rules could not be checked ({err})"
        return poll
    ctx.progress("Reading delivery receipts from ClickSend")
    poll = ReceiptPoll(ctx)
    try:
        poll.run()
    except ClickSendError as err:
        poll.problem = f"reading delivery receipts failed ({err}); every receipt not marked read is read again by the next poll"
    return poll

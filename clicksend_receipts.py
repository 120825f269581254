# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Delivery receipts in on poll: each receipt becomes a "Delivery receipt" artifact of the container that sent the message.

On poll reads receipts only while an enabled delivery-receipt automation rule with action POLL exists (ClickSend lists
none otherwise). The container is found through the reply-thread marker the app put in the message's custom_string
(clicksend_marker: only this asset's own markers count). A receipt of a message not sent from a container (or whose
container was deleted, or sent by another asset or SOAR instance sharing the ClickSend account) is counted, not turned
into a container. ClickSend's receipts are account-wide and marking them read is too: poll receipts with one asset per
ClickSend account.

Marking read without losing a receipt. ClickSend lists unread receipts (GET sms/receipts) but marks them read only
wholesale: PUT sms/receipts-read with date_before marks read every receipt whose `timestamp` is before that time. So
one poll:
1. notes the time R before it reads, then reads the unread receipts (at most RECEIPTS_MAX_PAGES pages);
2. saves them oldest first; a receipt is "done" when its artifact is saved (or found saved), when it was counted
   (no container), or when it has no usable message id (nothing to save);
3. picks date_before as the smallest of:
   - the timestamp of the oldest receipt that is not done (it, and every receipt of its second, stays unread);
   - when the listing was not read to its end: the timestamp of the last receipt read, provided the listing came oldest
     first (those not read are then no older; when it did not, nothing is marked read);
   - the newest done receipt's timestamp T, or T + 1 once T is RECEIPT_SETTLE_SECONDS before R. A receipt that arrives
     while the poll runs carries the time it arrived, which is after R and so at least T; it can carry T itself only
     if T is the current second, so T + 1 is safe only for a second long past (the margin covers clock skew between
     SOAR and ClickSend). Until then the newest second's receipts stay unread, are read again by the next poll and
     found saved (no duplicate);
   - and never more than R - RECEIPT_SETTLE_SECONDS + 1, so a receipt stamped in the future cannot carry the cut-off
     past receipts still to come;
4. sends PUT sms/receipts-read with that date_before only after every save, and only when some done receipt is older
   than it. A receipt without a timestamp that is not done stops all marking (ClickSend's cut-off cannot be placed
   around it).
Every receipt older than date_before is therefore saved; nothing unsaved is ever marked read. A crash at any point
leaves the unsaved ones unread, and the next poll saves them (the platform keeps one artifact per receipt: the
artifact's source_data_identifier is the same on every run). A receipt that cannot be saved holds back the marking of
every later receipt until it is saved, and the poll fails saying so.
"""

from __future__ import annotations

import re
import time
from typing import Optional

import clicksend_consts as consts
import clicksend_pages
from clicksend_api import iso_utc, receipt_poll_rules, unix_seconds
from clicksend_errors import ClickSendError
from clicksend_marker import known_secret, verified_container
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
        "run_automation": True,
    }


def mark_read_before(
    done: list, not_done: list, not_done_undated: bool, complete: bool, listing_sorted: bool, last_read: Optional[int], read_at: float
) -> Optional[int]:
    """The date_before that marks read only receipts that are done (see the module docstring), or None for no mark-read.
    `done` and `not_done` are the timestamps (int) of the receipts read, dated ones only."""
    if not done or not_done_undated:
        return None
    newest = max(done)
    bounds = [newest + 1 if newest + consts.RECEIPT_SETTLE_SECONDS <= read_at else newest]
    if not_done:
        bounds.append(min(not_done))
    if not complete:
        if not listing_sorted or last_read is None:
            return None
        bounds.append(last_read)
    # never past the poll's own clock less the settling margin: a receipt stamped in the future (a clock far off, or a
    # hostile answer) must not move the cut-off over receipts that are still to come
    bounds.append(int(read_at) - consts.RECEIPT_SETTLE_SECONDS + 1)
    cutoff = min(bounds)
    return cutoff if cutoff > min(done) else None


class ReceiptPoll:
    """One poll's delivery receipts: read, saved into their containers, then marked read up to a safe cut-off."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.secret = known_secret(ctx.state_file.read())
        self.asset_id = str(ctx.get_asset_id())
        self.counts = {"added": 0, "duplicate": 0, "unthreaded": 0, "failed": 0}
        self.failed: list = []
        self.problem = ""  # fails the poll (after its SMS were ingested)
        self.note = ""  # said in the poll's message, without failing it
        self.more = False
        self.marked_before: Optional[int] = None
        self.containers: dict = {}  # container id -> whether it exists (one look-up per run)

    # --- reading ---------------------------------------------------------------------------------------------

    def _read(self) -> tuple:
        """(receipts read in listing order, whether the listing was read to its end)."""
        read: list = []
        number, more = 1, True
        while more and number <= consts.RECEIPTS_MAX_PAGES:
            items, more = clicksend_pages.page(self.ctx.client, consts.EP_SMS_RECEIPTS, number)
            read.extend(item for item in items if isinstance(item, dict))
            number += 1
        return read, not more

    # --- saving ----------------------------------------------------------------------------------------------

    def _container_of(self, receipt: dict) -> Optional[int]:
        container_id = verified_container(receipt.get("custom_string"), self.secret, self.asset_id)
        if container_id is None:
            return None
        if container_id not in self.containers:
            exists, _info, code = self.ctx.get_container_info(container_id)
            if not exists and (unix_seconds(code) or 0) >= 500:  # a status code: int, or digits
                raise SaveFailed(f"the platform could not say whether container {container_id} exists (status {code})")
            self.containers[container_id] = bool(exists)
        return container_id if self.containers[container_id] else None

    def _save(self, receipt: dict) -> str:
        """Save one receipt; returns "added", "duplicate" or "unthreaded"; raises SaveFailed."""
        container_id = self._container_of(receipt)
        if container_id is None:
            return "unthreaded"
        receipt = self.ctx.client.redact_data(receipt)  # the API key masked wherever the receipt holds it, as in results
        return "duplicate" if save_artifact(self.ctx, receipt_artifact(receipt, container_id)) else "added"

    def run(self) -> None:
        read_at = _now()
        receipts, complete = self._read()
        self.more = not complete
        stamps = [unix_seconds(receipt.get("timestamp")) for receipt in receipts]
        listing_sorted = None not in stamps and all(a <= b for a, b in zip(stamps, stamps[1:]))
        done: list = []
        not_done: list = []
        undated_failure = False
        seen: set = set()
        for receipt, stamp in sorted(zip(receipts, stamps), key=lambda pair: (pair[1] is not None, pair[1] or 0)):
            message_id = str(receipt.get("message_id") or "").strip()
            key = (message_id.upper(), str(receipt.get("status_code")), stamp)
            if key in seen:
                continue
            seen.add(key)
            try:
                outcome = self._save(receipt) if MESSAGE_ID_RE.match(message_id) else "unthreaded"
            except SaveFailed as err:
                self.counts["failed"] += 1
                self.failed.append(f"{message_id}: {err}")
                if stamp is None:
                    undated_failure = True
                else:
                    not_done.append(stamp)
                continue
            self.counts[outcome] += 1
            if stamp is not None:
                done.append(stamp)
        last_read = stamps[-1] if stamps else None
        self.marked_before = mark_read_before(done, not_done, undated_failure, complete, listing_sorted, last_read, read_at)
        if self.marked_before is None:
            return
        try:
            self.ctx.client.put(consts.EP_SMS_RECEIPTS_READ, {"date_before": self.marked_before})
        except ClickSendError as err:
            self.marked_before = None
            self.problem = f"marking delivery receipts read failed ({err}); they are saved, and the next poll marks them read"

    # --- reporting -------------------------------------------------------------------------------------------

    def summary(self) -> dict:
        return {
            "receipts_added": self.counts["added"],
            "receipts_already_ingested": self.counts["duplicate"],
            "receipts_without_container": self.counts["unthreaded"],
            "receipts_failed": self.counts["failed"],
        }

    def sentence(self) -> str:
        if self.note:
            return self.note
        counts = self.counts
        total = counts["added"] + counts["duplicate"] + counts["unthreaded"]
        if not total and not counts["failed"]:
            return "no delivery receipts"
        text = (
            f"{plural(total, 'delivery receipt')} ({counts['added']} added to their message's container, "
            f"{counts['duplicate']} already in SOAR, {counts['unthreaded']} for messages not sent from a container of this asset)"
        )
        if self.more:
            text += " with more waiting"
        return text

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

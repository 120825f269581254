# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Inbound SMS: on poll (one container per message, replies threaded into their container) and list inbound messages.

Crash safety of on poll: a message is marked read at ClickSend (PUT sms/inbound-read/{id}) only after its container or
artifact is saved, and everything saved is keyed by ClickSend's message_id (source_data_identifier of the container and
of the artifact, whose content is the same on every run). A failure at any point leaves the message unread; the next
poll saves it again (the platform finds the duplicate and keeps one) and then marks it read. Nothing the app remembers
is trusted over the platform: a container deleted meanwhile is simply saved again.

Ingestion goes page by page (memory stays flat however long the backlog): ClickSend lists unread messages, and a
message marked read leaves the list, so after a page was worked through the same page number is read again. Within a
page the messages are saved one by one, oldest first, in this thread; each one's mark-read goes out as soon as it is
saved, several at once (client.map_ordered, at most MAX_IN_FLIGHT in flight), while the next ones are saved. The first
mark-read that fails stops the saving; the poll then reports, as before, once the mark-reads under way have ended.
"""

from __future__ import annotations

import re
from typing import Any, Optional

import clicksend_consts as consts
import clicksend_indicators
import clicksend_pages
from clicksend_api import iso_utc as _iso_utc
from clicksend_api import numbers_in, poll_rules, sent_message
from clicksend_api import received_at as _timestamp
from clicksend_errors import ClickSendError
from clicksend_marker import known_secret, legacy_container, verified_container
from clicksend_params import ActionFailed
from clicksend_receipts import SaveFailed, poll_receipts, save_artifact
from clicksend_text import plural
from clicksend_urls import api_path


MESSAGE_ID_RE = re.compile(consts.MESSAGE_ID_PATTERN)
CEF_FIELDS = consts.INBOUND_CEF_FIELDS


# --- reading ClickSend ----------------------------------------------------------------------------------------


def require_poll_rule(ctx) -> None:
    """ClickSend lists inbound SMS only while an enabled POLL rule exists: say so instead of ingesting nothing."""
    if not poll_rules(ctx.client):
        raise ActionFailed(consts.MSG_POLL_RULE_MISSING)


def _oldest_first(message: dict) -> tuple:
    stamp = _timestamp(message)
    return (0, stamp) if stamp is not None else (1, 0)


class UnreadPages:
    """ClickSend's unread inbound list, read one page at a time while the caller marks messages read.

    Marking a message read takes it (and its copies, one per POLL rule) off the list, so the pages after it move
    forward: a page some of whose messages were marked read is read again; a page none of whose new messages left the
    list (they failed, or the caller only lists) is passed. Each message_id is handed out once per run."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.page = 1
        self.seen: set = set()
        self.skipped: set = set()  # what tells apart each listed item without a usable id (pages are read more than once)
        self.rest_on_page = False  # the last batch left new messages of its page for a later batch
        self.last_page = False  # the page last read said no page follows it
        self.at_end = False

    def next(self, most: int) -> list:
        """Up to `most` messages not handed out before, oldest first within the page; [] at the end of the list."""
        while not self.at_end:
            items, more = clicksend_pages.page(self.ctx.client, consts.EP_SMS_INBOUND, self.page)
            self.last_page = not more or self.page >= consts.MAX_PAGES
            fresh: dict = {}
            for item in items:
                message_id = str(item.get("message_id") or "").strip() if isinstance(item, dict) else ""
                if not MESSAGE_ID_RE.match(message_id):  # no id, or one that could not be put in a URL path safely
                    self.skipped.add(_identity(item, message_id))
                elif message_id not in self.seen and message_id not in fresh:
                    fresh[message_id] = item
            if fresh:
                batch = sorted(fresh.values(), key=_oldest_first)[:most]
                self.rest_on_page = len(fresh) > len(batch)
                self.seen.update(str(item["message_id"]).strip() for item in batch)
                return batch
            self._pass_page()
        return []

    def worked(self, left_the_list: int) -> None:
        """Say how many of the last batch were marked read: none means the page is unchanged, so move on (unless the
        batch was cut short, and new messages of this page are still to come)."""
        if not left_the_list and not self.rest_on_page:
            self._pass_page()

    def unusable(self) -> str:
        """"; N listed messages ..." when the listing held messages without a usable id, else "": they cannot be marked
        read (nor safely named in a URL path), so they stay unread at ClickSend and never reach SOAR."""
        if not self.skipped:
            return ""
        count = len(self.skipped)
        self.ctx.debug(f"inbound: passed over {count} listed items without a usable message_id")
        return "; " + consts.MSG_INBOUND_UNUSABLE_ID.format(count=plural(count, "listed message"))

    def _pass_page(self) -> None:
        """Nothing on the page just read is new any more: the next page, or the end when it was the last."""
        if self.last_page:
            self.at_end = True
        else:
            self.page += 1


def _identity(item: Any, message_id: str) -> str:
    """What tells a listed item without a usable id apart from the others: its id when it has one, else a few fields."""
    if message_id:
        return message_id
    if not isinstance(item, dict):
        return repr(type(item))
    return repr(tuple(str(item.get(field))[:200] for field in ("timestamp", "from", "to", "body")))


def mark_read(ctx, message_id: str) -> None:
    ctx.client.put(api_path(consts.EP_SMS_INBOUND_READ, message_id=message_id))


class MarkFailed(Exception):
    """The mark-read of one message failed (ClickSend's error in `error`)."""

    def __init__(self, message_id: str, error: ClickSendError):
        super().__init__(str(error))
        self.message_id = message_id
        self.error = error


def mark_all_read(ctx, entries, marked: list) -> None:
    """Mark read the messages of `entries` (tuples whose first field is the message_id), several at once through
    client.map_ordered; `entries` is read lazily, so a generator may save each message just before it is handed out.
    Each tuple marked read is appended to `marked` (in whatever order ClickSend answered). The first failure stops
    the rest (those already under way finish) and is raised as MarkFailed once nothing is in flight."""

    def mark(entry: tuple) -> None:
        try:
            mark_read(ctx, entry[0])
        except ClickSendError as err:
            raise MarkFailed(entry[0], err) from None
        marked.append(entry)

    for _ in ctx.client.map_ordered(mark, entries):
        pass


# --- list inbound messages ------------------------------------------------------------------------------------


def list_inbound_messages(ctx, params, result) -> str:
    limit = params.integer("limit", minimum=1, maximum=consts.LIST_INBOUND_MAX_LIMIT, default=consts.LIST_INBOUND_DEFAULT_LIMIT)
    mark = params.boolean("mark_read", default=False)
    require_poll_rule(ctx)
    pages = UnreadPages(ctx)
    listed: list = []
    while len(listed) < limit:
        batch = pages.next(limit - len(listed))
        if not batch:
            break
        listed.extend(batch)
        pages.worked(0)  # listing takes nothing off the list
    more = " (more unread messages are waiting)" if pages.next(1) else ""
    more += pages.unusable()
    for message in listed:
        item = dict(message, received_time=_iso_utc(_timestamp(message)), **clicksend_indicators.message_fields(ctx, message))
        result.add_data(numbers_in(item, ("timestamp",)))  # a numeric data path: ClickSend may send a numeric string
    summary = result.update_summary({"total_messages": len(listed), "marked_read": 0})
    if not listed:
        return "No unread inbound messages" + more
    if not mark:
        return f"Listed {plural(len(listed), 'unread inbound message')}; left unread{more}"
    marked: list = []
    try:
        mark_all_read(ctx, ((str(message["message_id"]).strip(),) for message in listed), marked)
    except MarkFailed as failure:
        summary["marked_read"] = len(marked)
        raise ActionFailed(
            f"Listed {plural(len(listed), 'unread inbound message')} but marking them read stopped after {len(marked)}: {failure.error}"
        ) from None
    summary["marked_read"] = len(marked)
    return f"Listed {plural(len(listed), 'unread inbound message')} and marked {'it' if len(listed) == 1 else 'them'} read{more}"


# --- on poll --------------------------------------------------------------------------------------------------


def inbound_artifact(message: dict, name: str) -> dict:
    """The artifact of one inbound SMS: the same dict on every run, so the platform sees a re-run as a duplicate."""
    cef: dict = {}
    for key in CEF_FIELDS:
        value = message.get(key)
        if value is not None and (value != "" or key == "body"):
            cef[key] = str(value)
    received = _iso_utc(_timestamp(message))
    if received:
        cef["received_time"] = received
    return {
        "name": name,
        "label": consts.INBOUND_ARTIFACT_LABEL,
        "type": consts.INBOUND_ARTIFACT_TYPE,
        "source_data_identifier": str(message["message_id"]).strip(),
        "cef": cef,
        "cef_types": {key: list(types) for key, types in consts.INBOUND_CEF_TYPES.items() if key in cef},
        "data": dict(message),
    }


def _container_label(ctx) -> Optional[str]:
    ingest = ctx.get_config().get("ingest")
    label = ingest.get("container_label") if isinstance(ingest, dict) else None
    return str(label) if label else None


class Ingest:
    """Saves inbound messages in SOAR: a reply that leads back to a container as one more artifact, others as containers."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.label = _container_label(ctx)
        # no secret yet: no marker of this asset exists, none verifies; a file that cannot be read fails the poll here,
        # before anything is marked read (its secret would thread every reply)
        self.secret = known_secret(ctx.state_file.read_strict())
        self.asset_id = str(ctx.get_asset_id())
        self.sent_markers: dict = {}  # outbound message_id -> its custom_string in SMS history (one lookup per run)
        self.counts = {"new": 0, "threaded": 0, "duplicate": 0}
        self.rerun = bool(getattr(ctx.settings, "reply_triggers_playbooks", False))

    def save(self, message: dict) -> str:
        """Save one message; returns "new", "threaded" or "duplicate"; raises SaveFailed. What is saved has the API key
        masked wherever the message holds it, as results have."""
        message = self.ctx.client.redact_data(message)
        sender = str(message.get("from") or "unknown sender")
        indicators = clicksend_indicators.message_artifacts(self.ctx, message)  # URLs, domains... in the body, saved first
        target = self._reply_target(message)
        if target is not None:
            for extra in indicators:
                self._save_artifact(dict(extra, container_id=target), "threaded")
            # an existing container's playbooks run again only when the asset asks (reply_triggers_playbooks)
            artifact = dict(inbound_artifact(message, f"Reply from {sender}"), container_id=target, run_automation=self.rerun)
            return self._save_artifact(artifact, "threaded")
        artifact = inbound_artifact(message, f"SMS from {sender}")
        container = {
            "name": f"SMS from {sender}",
            "description": consts.INBOUND_CONTAINER_DESCRIPTION,
            "source_data_identifier": artifact["source_data_identifier"],
            "data": dict(message),
            "artifacts": [*indicators, artifact],
        }
        if self.label:
            container["label"] = self.label
        status, text, container_id = self.ctx.save_container(container)
        duplicate = consts.DUPLICATE_CONTAINER_WORDS in str(text).lower() and container_id is not None
        if not status and not duplicate:
            raise SaveFailed(f"the platform did not save its container ({text})")
        if duplicate:
            # saved by an earlier run that stopped before the mark-read: make sure its artifact is there too (deduplicated)
            for each in [*indicators, artifact]:
                self._save_artifact(dict(each, container_id=container_id), "duplicate")
            return "duplicate"
        return "new"

    def _save_artifact(self, artifact: dict, outcome: str) -> str:
        return "duplicate" if save_artifact(self.ctx, artifact) else outcome

    def _reply_target(self, message: dict) -> Optional[int]:
        """The container a reply belongs to: the marker in its custom_string, or in the custom_string of the sent message,
        verified with the number the reply comes from (a marker is bound to the number its message went to)."""
        sender = message.get("from")
        container_id = self._verified(message.get("custom_string"), sender)
        original = str(message.get("original_message_id") or "").strip()
        if container_id is None and original and MESSAGE_ID_RE.match(original) and self.secret:
            container_id = self._verified(self._sent_custom_string(original), sender)
        if container_id is None:
            return None
        exists, _info, code = self.ctx.get_container_info(container_id)
        if exists:
            return container_id
        if _as_status(code) >= 500:
            raise SaveFailed(f"the platform could not say whether container {container_id} exists (status {code})")
        self.ctx.debug(f"inbound: container {container_id} of a reply no longer exists; opening a new container")
        return None

    def _verified(self, custom_string: Any, sender: Any) -> Optional[int]:
        """A container only from a marker this asset made for a message to `sender`; a forged, foreign, copied or
        earlier version's marker threads nothing."""
        container_id = verified_container(custom_string, self.secret, self.asset_id, sender)
        if container_id is None and legacy_container(custom_string, self.secret, self.asset_id) is not None:
            self.ctx.debug("inbound: a reply carries a thread marker from before 2.2.0, which is not trusted; it opens a new container")
        return container_id

    def _sent_custom_string(self, message_id: str) -> Optional[str]:
        key = message_id.upper()
        if key not in self.sent_markers:
            try:
                row = sent_message(self.ctx.client, message_id)
            except ClickSendError as err:
                raise SaveFailed(f"its original message could not be looked up in SMS history ({err})") from None
            self.sent_markers[key] = row.get("custom_string") if row else None
        return self.sent_markers[key]


def _as_status(code: Any) -> int:
    try:
        return int(code)
    except (TypeError, ValueError):
        return 0


def on_poll(ctx, params, result) -> str:
    # start_time, end_time and artifact_count are ignored: ClickSend keeps the unread set, and each SMS is one artifact
    if ctx.is_poll_now():
        limit = params.integer("container_count", minimum=1, default=ctx.settings.max_messages_per_poll)
    else:
        limit = ctx.settings.max_messages_per_poll  # a scheduled poll's container_count is the platform's, never used
    require_poll_rule(ctx)
    ctx.progress(f"Ingesting up to {limit} unread inbound SMS from ClickSend, page by page")
    pages = UnreadPages(ctx)
    ingest = Ingest(ctx)
    failed: list = []
    stopped = ""
    done = 0
    while not stopped and done + len(failed) < limit:
        try:
            batch = pages.next(limit - done - len(failed))
        except ClickSendError as err:
            if not done and not failed:
                raise  # nothing happened yet: the read's own error says it all
            stopped = f"reading the unread list again failed ({err})"
            break
        if not batch:
            break
        marked: list = []
        try:
            mark_all_read(ctx, _saved(ingest, batch, failed), marked)
        except MarkFailed as failure:
            stopped = (
                f"marking {failure.message_id} read failed ({failure.error}); it is saved in SOAR, so the next poll finds it saved "
                "and marks it read"
            )
        for _message_id, outcome in marked:
            ingest.counts[outcome] += 1
        done += len(marked)
        pages.worked(len(marked))
    more = bool(_quietly(pages.next, 1)) if not stopped and done + len(failed) >= limit else False
    unusable = pages.unusable()
    receipts = poll_receipts(ctx) if not stopped else None  # delivery receipts, while a receipt POLL rule exists
    counts = ingest.counts
    summary = result.update_summary({})
    summary.update(
        ingested=done,
        new_containers=counts["new"],
        threaded_replies=counts["threaded"],
        already_ingested=counts["duplicate"],
        failed=len(failed),
        more_waiting=more,
    )
    if receipts is not None:
        summary.update(receipts.summary())
    return _poll_message(done, counts, failed, stopped, more, receipts, unusable)


def _saved(ingest: Ingest, batch: list, failed: list):
    """(message_id, outcome) of each message of the batch once it is saved, oldest first, one by one: the platform calls
    stay in this thread and in order, and a message is handed out to be marked read only after it is saved."""
    for message in batch:
        message_id = str(message["message_id"]).strip()
        try:
            outcome = ingest.save(message)  # saved again even if an earlier run saved it: the platform keeps one
        except SaveFailed as err:
            failed.append(f"{message_id}: {err}")
            continue  # skipped, not lost: it stays unread and the next poll retries it
        except Exception as err:  # a defect met on this one message (its indicators, say): its failure, not the poll's
            ingest.ctx.debug(f"inbound: unexpected {type(err).__name__} while saving {message_id}")
            failed.append(f"{message_id}: {consts.MSG_INBOUND_UNEXPECTED.format(error_type=type(err).__name__)}")
            continue
        yield message_id, outcome


def _quietly(read, *args):
    """A look-ahead read whose failure only means "not known": the poll's own work is done and reported."""
    try:
        return read(*args)
    except ClickSendError:
        return None


def _poll_message(done: int, counts: dict, failed: list, stopped: str, more: bool, receipts=None, unusable: str = "") -> str:
    also = (f"; {receipts.sentence()}" if receipts is not None else "") + unusable
    if not done and not failed and not stopped and not (receipts and receipts.problems()):
        return "No unread inbound SMS at ClickSend" + also
    text = (
        f"Ingested {done} unread inbound SMS ({plural(counts['new'], 'new container')}, "
        f"{counts['threaded']} added to their reply thread's container, {counts['duplicate']} already in SOAR)"
    )
    problems = []
    if failed:
        problems.append(f"{len(failed)} could not be saved (first: {failed[0]})")
    if stopped:
        problems.append(f"the poll stopped because {stopped}")
    if receipts is not None:
        problems.extend(receipts.problems())
    if problems:
        raise ActionFailed(f"{text}{also}; {'; '.join(problems)}; {consts.MSG_INBOUND_RETRY}")
    if more:
        text += "; more unread messages are waiting for the next poll"
    return text + also


HANDLERS = {
    "list_inbound_messages": list_inbound_messages,
    "on_poll": on_poll,
}

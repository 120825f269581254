# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Two-way SMS for playbooks: wait for reply, wait for delivery, configure polling.

Waiting. A wait checks ClickSend at once, then after each pause of REPLY_CHECK_PAUSES / DELIVERY_CHECK_PAUSES (the
last one repeated: every 15 s for a reply, every 30 s for a delivery status), and ends at the first reply (a final
status) or when timeout_minutes (1-60) have passed since the action started; the last check is made at that moment.
No check starts after that, so the action ends within timeout_minutes plus one check (its requests each bounded by the
asset's timeout), which is what the platform's time limit for an action run must allow; a cancelled run stops at its next
check; a wait of 60 minutes makes at most 242 checks for a reply, 123 for a delivery status. A check that fails after
the first is noted and the wait goes on; consts.WAIT_FAILED_CHECKS failures in a row end it. No reply (no final status) in
time is a success with summary.replied (is_final) false, so a playbook can branch on it.

Replies. GET sms/inbound/{message_id} answers the first reply to a sent message whether it was read or not: the wait
finds a reply that on poll ingested (and marked read) first, and it marks nothing read itself, so on poll ingests every
reply exactly once whichever runs first. A reply is also tied to the message through the thread marker: when the
message was sent from a container, ClickSend may file the answer under a later message of the same container to the
same number (it ties a reply to the conversation's latest message); such a reply counts when it carries the same
marker in custom_string, comes from the number asked, and came after the message was sent.

Neither wait writes the state file (the asset's marker secret is only read), so waits and on poll on one asset can
run at once without undoing each other's state.
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any, Callable, Optional

import clicksend_consts as consts
import clicksend_pages
from clicksend_api import (
    covers_everything,
    iso_utc,
    receipt_rule_covers_everything,
    received_at,
    rule_enabled,
    rule_scope,
    sent_message,
    unix_seconds,
)
from clicksend_errors import ClickSendError, ClickSendHTTPError
from clicksend_marker import known_secret, verified_container
from clicksend_params import ActionFailed, ParameterError, digits, is_alpha_tag, message_id_param
from clicksend_status import status_item
from clicksend_text import plural
from clicksend_urls import api_path


# the clock and the pause of every wait: tests replace these two
_now = time.monotonic
_sleep = time.sleep


# --- waiting ------------------------------------------------------------------------------------------------------


def _minutes(params) -> int:
    return params.integer("timeout_minutes", minimum=1, maximum=consts.WAIT_MAX_MINUTES, default=consts.WAIT_DEFAULT_MINUTES)


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


class WaitCancelled(ActionFailed):
    """The run was cancelled while it waited: never reported as "nothing came", which a playbook would branch on."""


class Wait:
    """Checks at once, then after each pause, until a check finds something or the time is up."""

    def __init__(self, ctx, minutes: int, pauses: tuple, started: Optional[float] = None, seconds: Optional[float] = None):
        """A wait of `minutes` from `started` (default: now); `seconds`, when given, ends it sooner."""
        self.ctx = ctx
        self.minutes = minutes
        self.pauses = pauses
        self.started = _now() if started is None else started
        self.deadline = self.started + (minutes * 60 if seconds is None else min(seconds, minutes * 60))
        self.checks = 0
        self.failed_checks = 0  # checks that failed (after the first), in all
        self.cancelled = False

    def waited(self) -> int:
        return round(_now() - self.started)

    def _is_cancelled(self) -> bool:
        try:
            self.cancelled = bool(self.ctx.is_action_cancelled())
        except Exception:  # a platform without the call: never cancelled
            self.cancelled = False
        return self.cancelled

    def _pause(self) -> bool:
        """Sleep until the next check; False once the time is up or the run was cancelled."""
        remaining = self.deadline - _now()
        if remaining <= 0 or self._is_cancelled():
            return False
        _sleep(min(self.pauses[min(self.checks, len(self.pauses)) - 1], remaining))
        return not self._is_cancelled()

    def until(self, check: Callable[[], Any], paused: bool = False) -> Any:
        """The first result of check() that is not None, or None when the time is up; WaitCancelled when the run is
        cancelled. The first check's errors fail the action (a bad id, an unusable asset); later ones are tolerated up
        to consts.WAIT_FAILED_CHECKS in a row. `paused`: a first check was made already (it found the message), so
        this one waits its pause first."""
        in_a_row = 0
        if paused:
            self.checks = 1
            if not self._next():
                return None
        while True:
            self.checks += 1
            try:
                found = check()
            except ClickSendError as err:
                if self.checks == 1:
                    raise
                in_a_row += 1
                self.failed_checks += 1
                self.ctx.debug(f"wait: check {self.checks} failed ({type(err).__name__})")
                if in_a_row >= consts.WAIT_FAILED_CHECKS:
                    after = _duration(self.waited())
                    raise ClickSendError(f"{err} (the wait stopped after {in_a_row} failed checks in a row, {after} in)") from None
                found = None
            else:
                in_a_row = 0
            if found is not None:
                return found
            if not self._next():
                return None

    def _next(self) -> bool:
        """Pause before the next check: False once the time is up; WaitCancelled when the run was cancelled."""
        if not self._pause():
            if self.cancelled:
                raise WaitCancelled(consts.MSG_WAIT_CANCELLED.format(waited=_duration(self.waited())))
            return False
        if self.checks % 4 == 0:
            self.ctx.progress(f"Still waiting ({_duration(self.waited())} of {self.minutes} min)")
        return True

    def ended(self) -> str:
        """How the wait ended without a find, in words to follow "No reply" or "no final status"."""
        checks = plural(self.checks, "check")
        if self.failed_checks:
            checks += f", {self.failed_checks} of them failed"
        return f" within {plural(self.minutes, 'minute')} (waited {_duration(self.waited())}, {checks})"


# --- wait for reply -----------------------------------------------------------------------------------------------


def _strip_punctuation(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]


def first_word(body: Any) -> str:
    """The first word of a reply with the punctuation around it removed ('Yes!' -> 'Yes'; '- no.' -> 'no')."""
    for word in str(body or "").split():
        word = _strip_punctuation(word)
        if word:
            return word
    return ""


def expected_answers(raw: Optional[str]) -> list:
    """Comma-separated one-word answers, in order, each once (case-insensitive)."""
    answers: dict = {}
    for piece in str(raw or "").split(","):
        answer = _strip_punctuation(piece.strip())
        if not answer:
            continue
        if any(char.isspace() for char in answer):
            raise ParameterError("expected_answers", f"{answer[:40]!r} is more than one word; a reply is matched on its first word")
        if len(answer) > consts.EXPECTED_ANSWER_MAX_LENGTH:
            raise ParameterError("expected_answers", f"{answer[:40]!r}... is longer than {consts.EXPECTED_ANSWER_MAX_LENGTH} characters")
        answers.setdefault(answer.casefold(), answer)
    if len(answers) > consts.EXPECTED_ANSWERS_MAX:
        raise ParameterError("expected_answers", f"gives {len(answers)} answers; at most {consts.EXPECTED_ANSWERS_MAX} are allowed")
    return list(answers.values())


def matching_answer(body: Any, answers: list) -> str:
    """The expected answer the reply's first word is (case-insensitive), or ''."""
    word = first_word(body).casefold()
    return next((answer for answer in answers if answer.casefold() == word), "") if word else ""




class Replies:
    """The reply to one sent message: by original_message_id, or through its thread marker (see the module docstring)."""

    def __init__(self, ctx, message_id: str, sent: dict):
        self.ctx = ctx
        self.message_id = message_id
        self.sent = sent
        self.sent_at = unix_seconds(sent.get("date"))
        marker = str(sent.get("custom_string") or "").strip()
        secret = known_secret(ctx.state_file.read())  # read only: a wait writes no state
        self.marker = marker if verified_container(marker, secret, str(ctx.get_asset_id())) is not None else ""
        self.siblings: list = []
        self.siblings_read_at: Optional[float] = None

    def _first_reply(self, message_id: str) -> Optional[dict]:
        try:
            data = self.ctx.client.get(api_path(consts.EP_SMS_REPLY, message_id=message_id))
        except ClickSendHTTPError as err:
            if err.status == 404:
                return None  # no reply yet
            raise
        if isinstance(data, list):
            data = next((item for item in data if isinstance(item, dict)), None)
        if not isinstance(data, dict) or not str(data.get("message_id") or "").strip():
            return None
        original = str(data.get("original_message_id") or "").strip()
        return data if not original or original.upper() == message_id.upper() else None

    def _later_messages(self) -> list:
        """Up to REPLY_SIBLINGS_MAX later messages of the same container to the same number (history, newest first),
        looked up again every REPLY_SIBLINGS_EVERY seconds."""
        if not self.marker or not self.sent.get("to") or self.sent_at is None:
            return []
        if self.siblings_read_at is not None and _now() - self.siblings_read_at < consts.REPLY_SIBLINGS_EVERY:
            return self.siblings
        self.siblings_read_at = _now()
        rows, _more = clicksend_pages.page(
            self.ctx.client, consts.EP_SMS_HISTORY, 1, {"q": f"to:{self.sent['to']}", "date_from": self.sent_at, "order_by": "date:desc"}
        )
        found = []
        for row in rows:
            if not isinstance(row, dict):
                continue
            row_id = str(row.get("message_id") or "").strip()
            if row_id and row_id.upper() != self.message_id.upper() and str(row.get("custom_string") or "").strip() == self.marker:
                found.append(row_id)
        self.siblings = found[: consts.REPLY_SIBLINGS_MAX]
        return self.siblings

    def _tied_by_marker(self, reply: dict) -> bool:
        received = received_at(reply)
        return (
            str(reply.get("custom_string") or "").strip() == self.marker
            and digits(reply.get("from")) == digits(self.sent.get("to"))
            and (received is None or self.sent_at is None or received >= self.sent_at)
        )

    def first(self) -> Optional[dict]:
        """One check: the reply, or None."""
        reply = self._first_reply(self.message_id)
        if reply is not None:
            return reply
        for sibling in self._later_messages():
            reply = self._first_reply(sibling)
            if reply is not None and self._tied_by_marker(reply):
                return reply
        return None


def _history_row(ctx, message_id: str, minutes: int) -> tuple:
    """(the message's SMS history row, the Wait that found it). A message sent moments ago may not be listed yet, so a
    miss is looked up again for HISTORY_LAG_SECONDS (within the wait's time) before the id counts as unknown."""
    lookup = Wait(ctx, minutes, consts.HISTORY_LAG_PAUSE, seconds=consts.HISTORY_LAG_SECONDS)
    row = lookup.until(lambda: sent_message(ctx.client, message_id))
    if row is None:
        looked = "" if lookup.checks == 1 else f" (looked {lookup.checks} times over {_duration(lookup.waited())})"
        raise ActionFailed(f"{consts.MSG_NOT_IN_HISTORY.format(message_id=message_id)}{looked}")
    return row, lookup


def _one_line(text: Any, limit: int = 80) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= limit else words[: limit - 3] + "..."


def wait_for_reply(ctx, params, result) -> str:
    message_id = message_id_param(params)
    minutes = _minutes(params)
    answers = expected_answers(params.string("expected_answers"))
    ctx.progress(f"Looking up message {message_id} in ClickSend's SMS history")
    sent, lookup = _history_row(ctx, message_id, minutes)
    if is_alpha_tag(sent.get("from")):
        raise ActionFailed(
            f"Message {message_id} was sent from the alpha tag {str(sent.get('from'))[:11]!r}, which recipients cannot reply to; "
            "send from a dedicated number (from, or the asset's default_from) to get replies through ClickSend"
        )
    replies = Replies(ctx, message_id, sent)
    wait = Wait(ctx, minutes, consts.REPLY_CHECK_PAUSES, started=lookup.started)  # the time counts from the action's start
    ctx.progress(f"Waiting up to {minutes} min for a reply to message {message_id}")
    reply = wait.until(replies.first)
    summary = result.update_summary({})
    if reply is None:
        summary.update(replied=False, answer="", waited_seconds=wait.waited())
        return f"No reply to message {message_id}{wait.ended()}"
    answer = matching_answer(reply.get("body"), answers)
    received = received_at(reply)
    result.add_data(
        {
            "message_id": str(reply.get("message_id")).strip(),
            "from": reply.get("from"),
            "to": reply.get("to"),
            "body": reply.get("body"),
            "original_message_id": reply.get("original_message_id"),
            "received_time": iso_utc(received),
        }
    )
    summary.update(replied=True, answer=answer, waited_seconds=wait.waited())
    text = f"Reply to message {message_id} from {reply.get('from')} after {_duration(wait.waited())}: {_one_line(reply.get('body'))!r}"
    filed_under = str(reply.get("original_message_id") or "").strip()
    if filed_under and filed_under.upper() != message_id.upper():
        # ClickSend ties a reply to the latest message sent to that number: say so, as it may answer that one instead
        text += f" (ClickSend filed it under the later message {filed_under[:40]} this container sent to the same number)"
    if answers:
        listed = ", ".join(answers)
        text += f"; it is the expected answer {answer}" if answer else f"; it is none of the expected answers ({_one_line(listed)})"
    return text


# --- wait for delivery --------------------------------------------------------------------------------------------


def wait_for_delivery(ctx, params, result) -> str:
    message_id = message_id_param(params)
    minutes = _minutes(params)
    last: dict = {}

    def check() -> Optional[dict]:
        row = sent_message(ctx.client, message_id)
        if row is None:
            return None  # a history read that missed a message found before says nothing new
        last.update(status_item(row))
        return last if last["is_final"] else None

    ctx.progress(f"Waiting up to {minutes} min for message {message_id} to reach a final delivery status")
    row, lookup = _history_row(ctx, message_id, minutes)
    last.update(status_item(row))
    wait = Wait(ctx, minutes, consts.DELIVERY_CHECK_PAUSES, started=lookup.started)  # the time counts from the start
    if not last["is_final"]:
        try:
            wait.until(check, paused=True)
        except WaitCancelled:
            result.add_data(dict(last))  # what the wait knew when it was cancelled
            text = consts.MSG_DELIVERY_WAIT_CANCELLED.format(waited=_duration(wait.waited()), status=last["status"], code=last["status_code"])
            raise ActionFailed(text) from None
    item = dict(last)
    result.add_data(item)
    delivered = item["status_code"] == consts.DELIVERED_CODE
    summary = result.update_summary({})
    summary.update(
        status=item["status"], status_code=item["status_code"], is_final=item["is_final"], delivered=delivered, waited_seconds=wait.waited()
    )
    detail = ": ".join(str(part) for part in (item["status_code"], str(item["status_text"] or "").rstrip(".")) if part)
    detail = f" ({_one_line(detail)})" if detail else ""
    if delivered:
        return f"Message {message_id} was delivered{detail} after {_duration(wait.waited())}"
    if item["is_final"]:
        return f"Message {message_id} failed for good: {item['status']}{detail}, after {_duration(wait.waited())}"
    return f"Message {message_id} is still {item['status']}{detail}: no final status{wait.ended()}; this status may still change"


# --- configure polling --------------------------------------------------------------------------------------------


class RuleKind:
    def __init__(self, name: str, path: str, item_path: str, id_keys: tuple, covers: Callable[[dict], bool], new_rule: dict):
        self.name = name
        self.path = path
        self.item_path = item_path
        self.id_keys = id_keys
        self.covers = covers
        self.new_rule = new_rule

    def rule_id(self, rule: dict) -> Optional[int]:
        for key in self.id_keys:
            try:
                return int(rule.get(key))
            except (TypeError, ValueError):
                continue
        return None

    def scope(self, rule: dict) -> str:
        return rule_scope(rule) if self.path == consts.EP_INBOUND_RULES else "every delivery receipt"


INBOUND = RuleKind(
    "inbound SMS",
    consts.EP_INBOUND_RULES,
    consts.EP_INBOUND_RULE,
    ("inbound_rule_id", "sms_inbound_rule_id", "id"),
    covers_everything,
    {
        "dedicated_number": "*",
        "rule_name": consts.INBOUND_RULE_NAME,
        "message_search_type": 0,
        "message_search_term": "",
        "action": "POLL",
        "action_address": "",
        "enabled": 1,
    },
)
RECEIPTS = RuleKind(
    "delivery receipts",
    consts.EP_RECEIPT_RULES,
    consts.EP_RECEIPT_RULE,
    ("receipt_rule_id", "id"),
    receipt_rule_covers_everything,
    {"rule_name": consts.RECEIPT_RULE_NAME, "match_type": 0, "action": "POLL", "action_address": "", "enabled": 1},
)


def _ensure_rule(ctx, kind: RuleKind) -> dict:
    """Find the POLL rule of this kind that captures everything; enable it if it is off; create it if there is none."""
    rules = clicksend_pages.iter_items(ctx.client, kind.path)
    polls = [rule for rule in rules if isinstance(rule, dict) and str(rule.get("action", "")).upper() == "POLL"]
    full = [rule for rule in polls if kind.covers(rule)]
    chosen = next((rule for rule in full if rule_enabled(rule)), None)
    outcome = "found"
    if chosen is None and full:
        chosen, outcome = full[0], "enabled"
        rule_id = kind.rule_id(chosen)
        if rule_id is None:
            raise ActionFailed(f"ClickSend lists a disabled {kind.name} POLL rule without an id, so the app cannot enable it")
        answer = ctx.client.put(api_path(kind.item_path, rule_id=rule_id), _every_field(kind, chosen))
        chosen = {**chosen, **(answer if isinstance(answer, dict) else {}), "enabled": 1}
    elif chosen is None:
        answer = ctx.client.post(kind.path, dict(kind.new_rule))
        chosen, outcome = {**kind.new_rule, **(answer if isinstance(answer, dict) else {})}, "created"
    others = len(polls) - 1 if outcome != "created" else len(polls)
    return {
        "rule_type": kind.name,
        "outcome": outcome,
        "rule_id": kind.rule_id(chosen),
        "rule_name": str(chosen.get("rule_name") or ""),
        "scope": kind.scope(chosen),
        "other_poll_rules": others,
    }


def _every_field(kind: RuleKind, rule: dict) -> dict:
    """The PUT body that enables a rule: every field, as ClickSend's API marks each one required, with the rule's own
    values (right whether its PUT merges or replaces). A null text (term, address) goes as "", a null number as the
    value the app read it as (0: any message, which is why the rule was chosen)."""
    body = {key: rule.get(key) for key in kind.new_rule}
    for key, default in kind.new_rule.items():
        if body[key] is None:
            body[key] = "" if isinstance(default, str) else default
    return dict(body, enabled=1)


def _rule_sentence(item: dict) -> str:
    what = f"{item['outcome']} rule {item['rule_id']} {item['rule_name']!r} ({item['scope']})"
    if item["other_poll_rules"]:
        count = item["other_poll_rules"]
        what += f" beside {count} other POLL rule{'' if count == 1 else 's'}"
    return f"{item['rule_type']} polling: {what}"


def configure_polling(ctx, params, result) -> str:
    ctx.progress("Checking ClickSend's inbound SMS and delivery receipt automation rules")
    items = [_ensure_rule(ctx, INBOUND)]
    try:
        items.append(_ensure_rule(ctx, RECEIPTS))
    except (ClickSendError, ActionFailed) as err:
        done = _rule_sentence(items[0])
        raise ActionFailed(f"{done[0].upper() + done[1:]}; but delivery receipt polling could not be set up: {err}") from None
    for item in items:
        result.add_data(item)
    summary = result.update_summary({})
    summary.update(
        inbound_rule=items[0]["outcome"],
        receipt_rule=items[1]["outcome"],
        rules_created=sum(item["outcome"] == "created" for item in items),
    )
    text = "; ".join(_rule_sentence(item) for item in items)
    return text[0].upper() + text[1:]


HANDLERS = {
    "wait_for_reply": wait_for_reply,
    "wait_for_delivery": wait_for_delivery,
    "configure_polling": configure_polling,
}

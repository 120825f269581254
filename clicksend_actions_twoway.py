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

Replies (clicksend_replies). GET sms/inbound/{message_id} answers the first reply filed under a sent message whether
it was read or not: the wait finds a reply that on poll ingested (and marked read) first, and it marks nothing read
itself, so on poll ingests every reply exactly once whichever runs first. A reply counts only for the message ClickSend
filed it under, from the number that message went to, dated after the send; a message superseded by a later one to the
same number from the same sender can get no reply of its own any more, so its wait ends at once (outcome superseded).
Several message ids (a question sent to several approvers) are watched together: the first expected answer to any of
them ends the wait; a reply that is no expected answer closes its own message only.

Neither wait reads or writes the state file, so waits and on poll on one asset can run at once without undoing each
other's state.
"""

from __future__ import annotations

import re
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
)
from clicksend_errors import ClickSendError
from clicksend_params import ActionFailed, ParameterError, is_alpha_tag, message_id_param
from clicksend_replies import OwnNumbers, Question
from clicksend_status import reading_note, status_item
from clicksend_text import plural
from clicksend_urls import api_path


MESSAGE_ID_RE = re.compile(consts.MESSAGE_ID_PATTERN)

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


def message_ids(params) -> list:
    """The message_id parameter: one id, or several comma-separated (each once, in order); checked before any request."""
    raw = params.string("message_id", required=True)
    found: dict = {}
    for piece in raw.split(","):
        message_id = piece.strip()
        if not message_id:
            continue
        if not MESSAGE_ID_RE.match(message_id):
            raise ParameterError("message_id", f"{message_id[:40]!r} is not a ClickSend message id (letters, digits and dashes)")
        found.setdefault(message_id.upper(), message_id)
    if not found:
        raise ParameterError("message_id", "gives no message id")
    if len(found) > consts.WAIT_REPLY_MAX_MESSAGES:
        raise ParameterError("message_id", f"gives {len(found)} message ids; at most {consts.WAIT_REPLY_MAX_MESSAGES} are allowed")
    return list(found.values())


def _history_row(ctx, message_id: str, minutes: int, started: Optional[float] = None) -> tuple:
    """(the message's SMS history row, the Wait that found it). A message sent moments ago may not be listed yet, so a
    miss is looked up again for HISTORY_LAG_SECONDS (within the wait's time) before the id counts as unknown."""
    lookup = Wait(ctx, minutes, consts.HISTORY_LAG_PAUSE, started=started, seconds=consts.HISTORY_LAG_SECONDS)
    row = lookup.until(lambda: sent_message(ctx.client, message_id))
    if row is None:
        looked = "" if lookup.checks == 1 else f" (looked {lookup.checks} times over {_duration(lookup.waited())})"
        raise ActionFailed(f"{consts.MSG_NOT_IN_HISTORY.format(message_id=message_id)}{looked}")
    return row, lookup


def _one_line(text: Any, limit: int = 80) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= limit else words[: limit - 3] + "..."


def _questions(ctx, ids: list, minutes: int) -> tuple:
    """(a Question per message id, the time the look-ups started); fails at once for a message nobody can answer."""
    started = _now()
    questions = []
    own = OwnNumbers(ctx.client, ctx.debug)
    for message_id in ids:
        ctx.progress(f"Looking up message {message_id} in ClickSend's SMS history")
        row, _lookup = _history_row(ctx, message_id, minutes, started)
        sender = row.get("from")
        if is_alpha_tag(sender):
            raise ActionFailed(consts.MSG_ALPHA_TAG_NO_REPLIES.format(message_id=message_id, sender=str(sender)[:11]))
        if sender in own:
            raise ActionFailed(consts.MSG_OWN_NUMBER_NO_REPLIES.format(message_id=message_id, sender=str(sender)[:20]))
        questions.append(Question(ctx, message_id, row, _now))
    return questions, started


class Answers:
    """One check of every question still open; the wait ends at the first expected answer (any reply when none is
    expected), or once every question has its reply or is superseded."""

    def __init__(self, questions: list, answers: list):
        self.questions = questions
        self.answers = answers
        self.open = list(questions)
        self.replies: list = []  # (question, reply) of each reply that counts, in the order found
        self.superseded: list = []  # (question, the later message's history row)
        self.decided: Optional[tuple] = None  # (question, reply, matched answer) of the expected answer

    def check(self) -> Optional[str]:
        for question in list(self.open):
            reply = question.reply()
            if reply is not None:
                self.open.remove(question)
                self.replies.append((question, reply))
                answer = matching_answer(reply.get("body"), self.answers)
                if answer or not self.answers:
                    self.decided = (question, reply, answer)
                    return consts.OUTCOME_ANSWERED
                continue
            later = question.superseded_by()
            if later is not None:
                self.open.remove(question)
                self.superseded.append((question, later))
        if self.open:
            return None
        return consts.OUTCOME_UNEXPECTED if self.replies else consts.OUTCOME_SUPERSEDED

    def outcome_at_the_end(self) -> str:
        return consts.OUTCOME_UNEXPECTED if self.replies else consts.OUTCOME_NO_REPLY


def _superseded_sentence(question, later: dict) -> str:
    return (
        f"message {question.message_id} was superseded by the later message {str(later.get('message_id'))[:64]} to "
        f"{question.to} from the same sender (ClickSend files a reply under the latest message sent to a number, so no "
        "reply can answer the earlier one any more: ask again if it still needs an answer)"
    )


def wait_for_reply(ctx, params, result) -> str:
    ids = message_ids(params)
    minutes = _minutes(params)
    answers = expected_answers(params.string("expected_answers"))
    questions, started = _questions(ctx, ids, minutes)
    wait = Wait(ctx, minutes, consts.REPLY_CHECK_PAUSES, started=started)  # the time counts from the action's start
    named = ids[0] if len(ids) == 1 else f"any of {len(ids)} messages"
    ctx.progress(f"Waiting up to {minutes} min for a reply to {'message ' if len(ids) == 1 else ''}{named}")
    check = Answers(questions, answers)
    outcome = wait.until(check.check) or check.outcome_at_the_end()
    for question, reply in check.replies:
        result.add_data(
            {
                "message_id": str(reply.get("message_id")).strip(),
                "from": reply.get("from"),
                "to": reply.get("to"),
                "body": reply.get("body"),
                "answer": matching_answer(reply.get("body"), answers),  # the expected answer it is, or "" (the widget shows it)
                "original_message_id": reply.get("original_message_id") or question.message_id,
                "received_time": iso_utc(received_at(reply)),
            }
        )
    if check.decided is not None:
        question, reply, answer = check.decided
    elif check.replies:
        (question, reply), answer = check.replies[0], ""
    else:
        question, reply, answer = None, None, ""
    superseded_by = str(check.superseded[0][1].get("message_id")) if check.superseded else ""
    summary = result.update_summary({})
    summary.update(
        outcome=outcome,
        replied=reply is not None,
        answer=answer,
        answered_by=str(reply.get("from") or "") if reply is not None else "",
        answered_message_id=question.message_id if question is not None else "",
        superseded_by=superseded_by if outcome == consts.OUTCOME_SUPERSEDED else "",
        waited_seconds=wait.waited(),
    )
    also = "".join(f"; {_superseded_sentence(q, later)}" for q, later in check.superseded)
    if outcome == consts.OUTCOME_SUPERSEDED:
        text = also[2:]
        return text[0].upper() + text[1:]
    if reply is None:
        return f"No reply to {'message' if len(ids) == 1 else 'messages'} {', '.join(ids)}{wait.ended()}{also}"
    text = f"Reply to message {question.message_id} from {reply.get('from')} after {_duration(wait.waited())}: {_one_line(reply.get('body'))!r}"
    if answers:
        listed = ", ".join(answers)
        text += f"; it is the expected answer {answer}" if answer else f"; it is none of the expected answers ({_one_line(listed)})"
    others = len(check.replies) - 1
    if others > 0:
        text += f"; {'1 other reply' if others == 1 else f'{others} other replies'} gave no expected answer"
    return text + also


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
    still = f"Message {message_id} is still {item['status']}{detail}: no final status{wait.ended()}"
    return f"{still}; this status may still change{reading_note(item)}"


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
        what += f" beside {plural(count, 'other POLL rule')}"
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

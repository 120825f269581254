# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Actions that check the asset and send messages: test connectivity, send message, send mms, send voice message, calculate price."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

import clicksend_consts as consts
import clicksend_params as checks
from clicksend_client import ClickSendError, ClickSendHTTPError, ClickSendResponseError
from clicksend_params import ActionFailed, ParameterError
from clicksend_text import sms_length


MAX_LISTED_REJECTIONS = 10


# --- test connectivity ----------------------------------------------------------------------------------------


def has_poll_rule(client) -> bool:
    """True when an enabled inbound SMS automation rule with action POLL exists (ClickSend lists inbound SMS only then)."""
    return any(
        str(rule.get("action", "")).upper() == "POLL" and str(rule.get("enabled", "1")) not in ("0", "False", "false")
        for rule in client.iter_items(consts.EP_INBOUND_RULES)
        if isinstance(rule, dict)
    )


def test_connectivity(ctx, params, result) -> str:
    settings = ctx.settings
    ctx.progress(f"Connecting to ClickSend at {settings.base_url}")
    try:
        account = ctx.client.get(consts.EP_ACCOUNT)
        if not isinstance(account, dict):
            raise ClickSendResponseError("ClickSend answered GET account without an account object")
        notes = [f"Connected to ClickSend as {account.get('username') or settings.username}"]
        if settings.test_to:
            notes.append(_check_test_number(ctx, settings.test_to))
        notes.append(_polling_note(ctx))
    except (ClickSendError, ParameterError, ActionFailed):
        ctx.progress(consts.MSG_TEST_FAILED)
        raise
    message = "; ".join(notes)
    ctx.progress(message)
    ctx.progress(consts.MSG_TEST_PASSED)
    return message


def _polling_note(ctx) -> str:
    """Whether inbound polling can work. The account is already proven reachable, so a failure here is a note, not a failure."""
    try:
        return consts.MSG_POLL_RULE_READY if has_poll_rule(ctx.client) else consts.MSG_POLL_RULE_MISSING
    except ClickSendError as err:
        return f"Inbound polling could not be checked ({err})"


def _check_test_number(ctx, raw: str) -> str:
    """Ask ClickSend for a price to the asset's `to` number: proves it is routable without sending anything."""
    number = checks.phone_number(raw, ctx.settings.default_country, "to", "Asset field")
    ctx.progress("Checking the asset's test number with a price estimate (nothing is sent)")
    data = ctx.client.post(
        consts.EP_SMS_PRICE,
        {"messages": [{"to": number, "body": "ClickSend app connectivity check", "source": consts.MESSAGE_SOURCE}]},
        idempotent=True,
    )
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, list) or not messages or not isinstance(messages[0], dict):
        raise ClickSendResponseError("ClickSend answered POST sms/price without a messages list")
    status = str(messages[0].get("status"))
    if status != consts.STATUS_QUEUED:
        raise ActionFailed(f"Asset field 'to': ClickSend would not send to {number}: {status}")
    currency = currency_of(data)
    return f"test number {number} is routable ({messages[0].get('message_price', '?')} {currency} per message, nothing was sent)".strip()


def currency_of(data: dict) -> str:
    """The short currency name of an answer: `_currency` today, `currency` in older answers."""
    block = data.get("_currency") or data.get("currency") or {}
    return str(block.get("currency_name_short", "")) if isinstance(block, dict) else ""


# --- sending --------------------------------------------------------------------------------------------------


def sender_fields(ctx, params) -> dict:
    """source, and `from` (the parameter, else the asset's default_from) when there is one."""
    fields: dict = {"source": consts.MESSAGE_SOURCE}
    sender = checks.sender(params.string("from"), ctx.settings.default_country) or ctx.settings.default_from
    if sender:
        fields["from"] = sender
    return fields


def common_fields(ctx, params, with_from: bool = True) -> dict:
    """Fields every message of one send carries: source, from, schedule, custom_string."""
    fields: dict = sender_fields(ctx, params) if with_from else {"source": consts.MESSAGE_SOURCE}
    when = checks.schedule(params.string("schedule"))
    if when is not None:
        fields["schedule"] = when
    custom = params.string("custom_string", strip=False)
    if custom is None and ctx.get_container_id():
        custom = consts.THREAD_MARKER.format(container_id=ctx.get_container_id())
    if custom is not None:
        fields["custom_string"] = custom
    return fields


def recipient_messages(ctx, params, fields: dict) -> list:
    """One message object per number in `to` (E.164, de-duplicated) and one with list_id for `contact_list_id`."""
    numbers = checks.recipients(params.string("to"), ctx.settings.default_country)
    list_id = params.integer("contact_list_id", minimum=1)
    if not numbers and list_id is None:
        raise ParameterError("to", "give at least one recipient in 'to' or a 'contact_list_id'")
    messages = [dict(fields, to=number) for number in numbers]
    if list_id is not None:
        messages.append(dict(fields, list_id=list_id))
    return messages


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


def _post_batch(ctx, endpoint: str, body: dict) -> dict:
    """One send call. A 4xx answer that still lists the messages (ClickSend may answer an all-rejected send that way)
    is an answer like any other: each message carries its own status."""
    try:
        return ctx.client.request("POST", endpoint, json_body=body)
    except ClickSendHTTPError as err:
        listed = err.data.get("messages") if isinstance(err.data, dict) else None
        if 400 <= err.status < 500 and isinstance(listed, list) and listed:
            return {"http_code": err.status, "response_code": err.response_code, "response_msg": err.response_msg, "data": err.data}
        raise


def _batch_failure(index: int, batches: list, err: ClickSendError, noun: str) -> str:
    size = len(batches[index - 1])
    fate = "has an unknown outcome" if err.outcome_unknown else "was not sent"
    text = f"batch {index} of {len(batches)} ({size} {noun} objects) {fate}: {err}"
    later = sum(len(batch) for batch in batches[index:])
    return text + (f"; the {later} {noun} objects after it were not sent" if later else "")


def deliver(ctx, result, endpoint: str, messages: list, top_level: Optional[dict] = None, noun: str = "message") -> str:
    """Send in batches of at most 1000, one after another; read each message's own status; never resend."""
    batches = [messages[start : start + consts.SEND_BATCH_SIZE] for start in range(0, len(messages), consts.SEND_BATCH_SIZE)]
    answered: list = []
    total_price = 0.0
    last_msg = ""
    failure = ""
    failed_index = 0
    for index, batch in enumerate(batches, 1):
        ctx.progress(f"Sending batch {index} of {len(batches)} ({len(batch)} {noun} objects)")
        try:
            envelope = _post_batch(ctx, endpoint, dict(top_level or {}, messages=batch))
            batch_answer = _answered_messages(envelope, endpoint)
        except ClickSendError as err:
            if len(batches) == 1:
                raise
            failed_index = index
            failure = _batch_failure(index, batches, err, noun)
            if not answered:
                raise ActionFailed(failure[0].upper() + failure[1:]) from None
            break
        result.add_data(envelope)
        answered.extend(batch_answer)
        total_price += _number(envelope["data"].get("total_price"))
        last_msg = str(envelope.get("response_msg") or "")
    queued = [item for item in answered if str(item.get("status")) == consts.STATUS_QUEUED]
    rejected = [item for item in answered if str(item.get("status")) != consts.STATUS_QUEUED]
    summary = result.update_summary({})
    summary.update(
        total_recipients=len(answered),
        queued_count=len(queued),
        rejected_count=len(rejected),
        total_price=round(total_price, 6),
        message_ids=[str(item.get("message_id")) for item in queued if item.get("message_id")],
        response_message=last_msg,
    )
    if failed_index:
        summary["failed_batch"] = failed_index
    if not answered:
        raise ActionFailed(
            f"ClickSend's answer listed none of the {noun}s sent, so their outcome is unknown: check ClickSend's history before trying again"
        )
    rejection_text = _rejections(rejected)
    if not queued:
        raise ActionFailed(f"ClickSend accepted none of the {len(answered)} {noun}s: {rejection_text}" + (f"; {failure}" if failure else ""))
    text = f"Queued {len(queued)} of {len(answered)} {noun}s"
    when = messages[0].get("schedule") if messages else None
    if when:
        text += f" to go out at {datetime.fromtimestamp(when, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}"
    if rejected:
        text += f"; ClickSend rejected {len(rejected)}: {rejection_text}"
    if failure:
        text += f"; {failure}"
    return text


def _rejections(rejected: list) -> str:
    shown = [f"{item.get('to') or 'list ' + str(item.get('list_id'))} ({item.get('status')})" for item in rejected[:MAX_LISTED_REJECTIONS]]
    if len(rejected) > MAX_LISTED_REJECTIONS:
        shown.append(f"and {len(rejected) - MAX_LISTED_REJECTIONS} more")
    return ", ".join(shown)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def send_message(ctx, params, result) -> str:
    body = checks.sms_text(params.string("message", required=True, strip=False))
    fields = common_fields(ctx, params)
    fields["body"] = body
    messages = recipient_messages(ctx, params, fields)
    return deliver(ctx, result, consts.EP_SMS_SEND, messages)


def send_mms(ctx, params, result) -> str:
    body = checks.text_within(params.string("message", required=True, strip=False), consts.MMS_MAX_GSM, consts.MMS_MAX_UNICODE, "an MMS body")
    media_file = checks.http_url(params.string("media_url", required=True), "media_url")
    subject = params.string("subject", max_length=consts.MMS_SUBJECT_MAX)
    if subject is None:
        subject = " ".join(body.split())[: consts.MMS_SUBJECT_MAX].rstrip()
    fields = common_fields(ctx, params)
    fields.update(subject=subject, body=body)
    messages = recipient_messages(ctx, params, fields)
    return deliver(ctx, result, consts.EP_MMS_SEND, messages, top_level={"media_file": media_file}, noun="MMS message")


def _voice_and_language(params) -> tuple:
    language = (params.string("language") or consts.DEFAULT_LANGUAGE).lower()
    voices = consts.VOICE_LANGUAGES.get(language)
    if voices is None:
        raise ParameterError(
            "language", f"{language!r} is not a language ClickSend's voice service offers; use one of {', '.join(consts.VOICE_LANGUAGES)}"
        )
    given = params.string("voice")
    # female unless the caller asks otherwise, or the language has only a male voice (pt-pt)
    voice = given.lower() if given else (consts.DEFAULT_VOICE if consts.DEFAULT_VOICE in voices else voices[0])
    if voice not in ("female", "male"):
        raise ParameterError("voice", f"must be female or male, not {given!r}")
    if voice not in voices:
        raise ParameterError("voice", f"ClickSend offers no {voice} voice for {language}; it offers {' and '.join(voices)} only")
    return voice, language


def send_voice_message(ctx, params, result) -> str:
    body = checks.text_within(
        params.string("message", required=True, strip=False), consts.VOICE_MAX_GSM, consts.VOICE_MAX_UNICODE, "a voice message (4 parts)"
    )
    voice, language = _voice_and_language(params)
    fields = common_fields(ctx, params, with_from=False)
    fields.update(
        body=body,
        voice=voice,
        lang=language,
        require_input=int(params.boolean("require_input")),
        machine_detection=int(params.boolean("machine_detection")),
    )
    messages = recipient_messages(ctx, params, fields)
    return deliver(ctx, result, consts.EP_VOICE_SEND, messages, noun="voice message")


def calculate_price(ctx, params, result) -> str:
    text = checks.sms_text(params.string("message", required=True, strip=False))
    fields = sender_fields(ctx, params)
    fields["body"] = text
    messages = recipient_messages(ctx, params, fields)
    ctx.progress(f"Asking ClickSend for the price of {len(messages)} message objects (nothing is sent)")
    data = ctx.client.post(consts.EP_SMS_PRICE, {"messages": messages}, idempotent=True)
    priced = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(priced, list) or not all(isinstance(item, dict) for item in priced):
        raise ClickSendResponseError("ClickSend answered POST sms/price without a list of priced messages")
    result.add_data(data)
    currency = currency_of(data)
    total_price = round(_number(data.get("total_price")), 6)
    summary = result.update_summary({})
    summary.update(
        total_price=total_price,
        total_count=int(_number(data.get("total_count", len(priced)))),
        currency=currency,
        message_parts=[int(_number(item.get("message_parts"))) for item in priced],
    )
    size = sms_length(text)
    own = f"the text is {size.length} {size.encoding} characters, {size.parts} part{'s' if size.parts != 1 else ''} per message"
    refused = [item for item in priced if str(item.get("status")) != consts.STATUS_QUEUED]
    if refused and len(refused) == len(priced):
        raise ActionFailed(f"ClickSend would accept none of the {len(priced)} messages: {_rejections(refused)}; {own}")
    text_out = f"ClickSend prices {len(priced)} message{'s' if len(priced) != 1 else ''} at {total_price} {currency} in total; {own}"
    if refused:
        text_out += f"; ClickSend would reject {len(refused)}: {_rejections(refused)}"
    return text_out + "; nothing was sent"


HANDLERS = {
    "test_connectivity": test_connectivity,
    "send_message": send_message,
    "send_mms": send_mms,
    "send_voice_message": send_voice_message,
    "calculate_price": calculate_price,
}

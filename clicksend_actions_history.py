# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Actions that look at sent messages and the account: get message status, cancel scheduled message, get account."""

from __future__ import annotations

from typing import Any, Optional

import clicksend_consts as consts
from clicksend_api import currency_of, read_account, sent_message
from clicksend_errors import ClickSendHTTPError
from clicksend_masking import DROP, rebuilt
from clicksend_params import ActionFailed, message_id_param
from clicksend_status import reading_note, status_item
from clicksend_urls import api_path


def get_message_status(ctx, params, result) -> str:
    message_id = message_id_param(params)
    ctx.progress(f"Looking up message {message_id} in ClickSend's SMS history")
    row = sent_message(ctx.client, message_id)
    if row is None:
        raise ActionFailed(consts.MSG_NOT_IN_HISTORY.format(message_id=message_id))
    item = status_item(row)
    result.add_data(item)
    summary = result.update_summary({})
    summary.update(
        status=item["status"], status_code=item["status_code"], is_final=item["is_final"], delivered=item["status_code"] == consts.DELIVERED_CODE
    )
    state = "is final" if item["is_final"] else "may still change"
    detail = ": ".join(str(part) for part in (item["status_code"], str(item["status_text"] or "").rstrip(".")) if part)
    text = f"Message {item['message_id']} is {item['status']}" + (f" ({detail})" if detail else "")
    return f"{text}; this status {state}{reading_note(item)}"


def cancel_scheduled_message(ctx, params, result) -> str:
    """PUT sms/{id}/cancel; an id ClickSend does not know as an SMS is tried as a voice message (PUT voice/{id}/cancel)."""
    message_id = message_id_param(params)
    ctx.progress(f"Cancelling scheduled message {message_id}")
    kind, envelope = "sms", None
    try:
        envelope = ctx.client.request("PUT", api_path(consts.EP_SMS_CANCEL, message_id=message_id))
    except ClickSendHTTPError as err:
        if err.status != 404:
            raise
    if envelope is None:
        kind = "voice"
        try:
            envelope = ctx.client.request("PUT", api_path(consts.EP_VOICE_CANCEL, message_id=message_id))
        except ClickSendHTTPError as err:
            if err.status != 404:
                raise
            raise ActionFailed(f"ClickSend knows no scheduled SMS or voice message with id {message_id} (HTTP 404 for both)") from None
    answer = str(envelope.get("response_msg") or "").strip()
    result.add_data(
        {"message_id": message_id, "message_type": kind, "response_code": envelope.get("response_code"), "response_msg": answer}
    )
    summary = result.update_summary({})
    summary.update(message_id=message_id, cancelled=True, message_type=kind)
    what = "SMS" if kind == "sms" else "voice message"
    return f"Cancelled scheduled {what} {message_id}" + (f": ClickSend says {answer.rstrip('.')}" if answer else "")


def without_credentials(value: Any) -> Any:
    """A copy with every key whose name contains key/password/secret/token removed, at any depth (without recursion:
    the depth is the server's choice)."""
    return rebuilt(value, _unless_credential)


def _unless_credential(name: Any) -> Any:
    return DROP if any(word in str(name).lower() for word in consts.CREDENTIAL_WORDS) else name


def get_account(ctx, params, result) -> str:
    ctx.progress("Reading the ClickSend account")
    account = read_account(ctx.client)
    ctx.account.learn(account)
    account = without_credentials(account)
    try:
        balance: Optional[float] = float(account.get("balance"))
    except (TypeError, ValueError):
        balance = None
    account["balance"] = balance  # a number, as the summary gives it (ClickSend sends a decimal string)
    result.add_data(account)
    currency = currency_of(account)
    summary = result.update_summary({})
    summary.update(balance=balance, currency=currency, username=account.get("username"))
    name = f" ({account['account_name']})" if account.get("account_name") else ""
    amount = f"{balance:.2f} {currency}".strip() if balance is not None else "an unknown amount"
    return f"ClickSend account {account.get('username')}{name} has a balance of {amount}"


HANDLERS = {
    "get_message_status": get_message_status,
    "cancel_scheduled_message": cancel_scheduled_message,
    "get_account": get_account,
}

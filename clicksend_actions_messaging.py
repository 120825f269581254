# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Actions that check the asset and send messages: test connectivity, send message, send mms, send voice message, calculate price."""

from __future__ import annotations

import secrets
from typing import Optional
from urllib.parse import urlsplit

import clicksend_consts as consts
import clicksend_params as checks
from clicksend_api import currency_of, describe_poll_rules, describe_receipt_rules, poll_rules, read_account, receipt_poll_rules
from clicksend_delivery import Delivery, Send, Targets, account_currency, deliver, quietly, rejections_text, skipped_sentence, targets_of
from clicksend_errors import ClickSendError, ClickSendResponseError
from clicksend_guards import describe as describe_guards
from clicksend_marker import asset_secret, looks_like_marker, make
from clicksend_params import ActionFailed, ParameterError, region_of
from clicksend_replies import OwnNumbers
from clicksend_senders import find_sender, reply_check
from clicksend_text import none_of, plural, sms_length


# --- test connectivity ----------------------------------------------------------------------------------------


def test_connectivity(ctx, params, result) -> str:
    """Read-only checks, each a note on its own progress line, warnings first (a warning starts with "WARNING:")."""
    settings = ctx.settings
    ctx.progress(f"Connecting to ClickSend at {settings.base_url}")
    try:
        account = read_account(ctx.client)
        facts = ctx.account.learn(account)
        notes = [f"Connected to ClickSend as {facts.username or settings.username}"]
        notes.extend(_country_and_limit_notes(ctx, facts))
        notes.append(describe_guards(settings, currency_of(account)))
        default_from = None
        if settings.default_from:
            default_from = checks.sender(settings.default_from, ctx.account.default_country, "default_from", "Asset field")
        if settings.test_to:
            notes.append(_check_test_number(ctx, settings.test_to))
        inbound_rules, polling = _polling_notes(ctx)
        if default_from:
            notes.append(_sender_note(ctx, default_from, inbound_rules))
        notes.extend(polling)
        if ctx.client.tls_warning:
            notes.append(f"WARNING: {ctx.client.tls_warning}")
        state_problem = ctx.state_file.problem()
        if state_problem:
            raise ActionFailed(f"{notes[0]}, but {state_problem[0].lower()}{state_problem[1:]}")
    except (ClickSendError, ParameterError, ActionFailed):
        ctx.progress(consts.MSG_TEST_FAILED)
        raise
    notes = [note for note in notes if note.startswith("WARNING")] + [note for note in notes if not note.startswith("WARNING")]
    for note in notes:
        ctx.progress(note)
    ctx.progress(consts.MSG_TEST_PASSED)
    return "; ".join(notes)


def _country_and_limit_notes(ctx, facts) -> list:
    notes = []
    if ctx.settings.default_country is None:
        country = facts.default_country or "none"
        notes.append(f"numbers without '+' are read as numbers of the account's default SMS country ({country})")
    allowed, account_limit = ctx.settings.sms_part_limit, facts.sms_part_limit
    if account_limit and allowed > account_limit:
        notes.append(
            f"WARNING: the asset allows SMS of up to {plural(allowed, 'part')} but this ClickSend account truncates beyond "
            f"{plural(account_limit, 'part')} (setting_sms_message_char_limit): set the asset's sms_part_limit to {account_limit}"
        )
    elif account_limit and allowed < account_limit:
        notes.append(
            f"the account allows {account_limit}-part SMS; the app refuses more than {plural(allowed, 'part')} (asset field sms_part_limit)"
        )
    return notes


def _polling_notes(ctx) -> tuple:
    """The enabled inbound POLL rules (None when unreadable), and whether inbound polling and delivery-receipt polling
    can work, what the rules capture. The account is already proven reachable, so a failure here is a note."""
    try:
        inbound_rules: Optional[list] = poll_rules(ctx.client)
        inbound = describe_poll_rules(inbound_rules)
    except ClickSendError as err:
        inbound_rules, inbound = None, f"Inbound polling could not be checked ({err})"
    try:
        receipts = describe_receipt_rules(receipt_poll_rules(ctx.client))
    except ClickSendError as err:
        receipts = f"Delivery receipt polling could not be checked ({err})"
    return inbound_rules, [inbound, receipts]


def _sender_note(ctx, sender: str, inbound_rules: Optional[list]) -> str:
    """Is the asset's default_from one of the account's senders, and can replies to it come back (see clicksend_senders)?"""
    ctx.progress(f"Checking that default_from {sender} is one of the account's senders")
    try:
        found = find_sender(ctx.client, sender)
    except ClickSendError as err:
        return consts.MSG_SENDER_UNCHECKED.format(sender=sender, error=err)
    return reply_check(sender, found, inbound_rules)


def _check_test_number(ctx, raw: str) -> str:
    """Ask ClickSend for a price to the asset's `to` number: proves it is routable without sending anything."""
    number = checks.phone_number(raw, ctx.account.default_country, "to", "Asset field")
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


# --- what every message of a send carries -----------------------------------------------------------------------


def sender_of(ctx, params) -> Optional[str]:
    """`from` (the parameter, else the asset's default_from): a short code, a number in E.164 or an alpha tag."""
    given = checks.sender(params.string("from"), ctx.account.default_country)
    if given:
        return given
    if ctx.settings.default_from:
        return checks.sender(ctx.settings.default_from, ctx.account.default_country, "default_from", "Asset field")
    return None


def custom_string_of(params) -> Optional[str]:
    """The caller's custom_string, never changed, but refused when it looks like a marker (a send from a container
    without one gets a reply-thread marker per recipient: see _deliver)."""
    custom = params.string("custom_string", strip=False)
    if custom is not None and looks_like_marker(custom):
        raise ParameterError(
            "custom_string",
            f"starts with {custom.strip()[:5]!r}, which the app keeps for its own reply-thread markers; "
            "choose another value (the app sets the marker itself when a send runs from a container)",
        )
    return custom


def _deliver(ctx, params, result, send: Send, targets: Targets) -> str:
    """deliver(), with each message of a send from a container (that gives no custom_string) marked for its own
    recipient (clicksend_marker); a contact list's members are sent as numbers anyway (clicksend_delivery), so each
    of them gets its own marker too."""
    container_id = ctx.get_container_id()
    if not container_id or params.string("custom_string", strip=False) is not None:
        return deliver(ctx, result, send, targets)
    secret = asset_secret(ctx.state_file)  # before anything is sent: an unreadable state file fails the send here
    asset_id, per_recipient = str(ctx.get_asset_id()), send.per_recipient

    def marked(number: Optional[str]) -> dict:
        extra = dict(per_recipient(number)) if per_recipient else {}
        if number:
            extra["custom_string"] = make(secret, asset_id, int(container_id), number)
        return extra

    return deliver(ctx, result, send._replace(per_recipient=marked), targets)


def common_fields(params, sender: Optional[str]) -> dict:
    """Fields every message of one send carries: source, from, schedule, custom_string."""
    fields: dict = {"source": consts.MESSAGE_SOURCE}
    if sender:
        fields["from"] = sender
    when = checks.schedule(params.string("schedule"))
    if when is not None:
        fields["schedule"] = when
    custom = custom_string_of(params)
    if custom is not None:
        fields["custom_string"] = custom
    return fields


def _alpha_tag_note(ctx, sender: Optional[str]) -> str:
    if ctx.get_container_id() and checks.is_alpha_tag(sender):
        return (
            f"; note: replies cannot reach the alpha tag {sender}, so no reply will be threaded into this container "
            "(send from a dedicated number for replies and approvals)"
        )
    if ctx.get_container_id() and sender and sender in OwnNumbers(ctx.client, ctx.debug):
        return (
            f"; note: {sender} is one of the account's own numbers, whose replies go straight to that phone and never reach "
            "ClickSend, so no reply will be threaded into this container (send from a dedicated number for replies and approvals)"
        )
    return ""


# --- the sends ----------------------------------------------------------------------------------------------------
# Each kind of message is built once for its send and for calculate price (priced=True), so a price is the price of
# exactly what the send would send: the same body at the price endpoint, without schedule (and custom_string but for
# voice, whose messages always carry one).


def _price_fields(sender: Optional[str]) -> dict:
    return {"source": consts.MESSAGE_SOURCE, **({"from": sender} if sender else {})}


def _sms(ctx, params, priced: bool = False) -> tuple:
    body = checks.sms_text(params.string("message", required=True, strip=False), ctx.settings.sms_part_limit)
    targets = targets_of(ctx, params, capped=not priced)  # the recipient cap limits sends, not prices
    sender = sender_of(ctx, params)
    base = _price_fields(sender) if priced else common_fields(params, sender)
    endpoint = consts.EP_SMS_PRICE if priced else consts.EP_SMS_SEND
    return Send(endpoint, "message", dict(base, body=body)), targets, sender


def send_message(ctx, params, result) -> str:
    send, targets, sender = _sms(ctx, params)
    return _deliver(ctx, params, result, send, targets) + _alpha_tag_note(ctx, sender)


def media_url(ctx, params) -> str:
    """The MMS image: ClickSend takes one file of at most MMS_MAX_MEDIA_BYTES, and sends .jpg and .gif directly; other
    types need its conversion, so they are refused. The URL is asked for its size (and, without an image extension,
    its Content-Type) with a HEAD request without credentials. An answer that does not tell the size (no HEAD, no
    Content-Length) does not stop the send: ClickSend judges the file then."""
    url = checks.http_url(params.string("media_url", required=True), "media_url")
    path = urlsplit(url).path.lower()
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if extension in consts.MMS_CONVERT_EXTENSIONS:
        raise ParameterError("media_url", f"is a .{extension} image; {consts.MMS_MEDIA_ADVICE}")
    head = ctx.client.media_head(url)
    if head.length is not None and head.length > consts.MMS_MAX_MEDIA_BYTES:
        raise ParameterError("media_url", consts.MSG_MEDIA_TOO_BIG.format(size=head.length, kb=-(-head.length // 1000)))
    if extension in consts.MMS_DIRECT_EXTENSIONS or head.content_type in consts.MMS_DIRECT_TYPES:
        return url
    found = head.content_type or "of an unknown type"
    raise ParameterError("media_url", f"is {found} (by its Content-Type), not a JPEG or GIF image; {consts.MMS_MEDIA_ADVICE}")


def _mms(ctx, params, priced: bool = False) -> tuple:
    body = checks.text_within(params.string("message", required=True, strip=False), consts.MMS_MAX_GSM, consts.MMS_MAX_UNICODE, "an MMS body")
    subject = params.string("subject", max_length=consts.MMS_SUBJECT_MAX)
    if subject is None:
        subject = " ".join(body.split())[: consts.MMS_SUBJECT_MAX].rstrip()
    targets = targets_of(ctx, params, capped=not priced)
    sender = sender_of(ctx, params)
    if not sender:
        raise ParameterError("from", "is required for MMS (ClickSend's API requires a sender): give 'from' or set the asset's default_from")
    base = _price_fields(sender) if priced else common_fields(params, sender)
    media = media_url(ctx, params)  # last: every other parameter is checked before the app asks the image's host anything
    endpoint = consts.EP_MMS_PRICE if priced else consts.EP_MMS_SEND
    return Send(endpoint, "MMS message", dict(base, subject=subject, body=body), top_level={"media_file": media}), targets, sender


def send_mms(ctx, params, result) -> str:
    send, targets, sender = _mms(ctx, params)
    return _deliver(ctx, params, result, send, targets) + _alpha_tag_note(ctx, sender)


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


def _voice(ctx, params, priced: bool = False) -> tuple:
    body = checks.text_within(
        params.string("message", required=True, strip=False), consts.VOICE_MAX_GSM, consts.VOICE_MAX_UNICODE, "a voice message (4 parts)"
    )
    voice, language = _voice_and_language(params)
    targets = targets_of(ctx, params, capped=not priced)
    fields = _price_fields(None) if priced else common_fields(params, None)
    # ClickSend's API marks custom_string and country required for voice: always send both
    fields.setdefault("custom_string", f"{consts.VOICE_REFERENCE_PREFIX}{secrets.token_hex(8)}")
    fields.update(body=body, voice=voice, lang=language)
    if not priced:
        fields.update(require_input=int(params.boolean("require_input")), machine_detection=int(params.boolean("machine_detection")))

    def country(number: Optional[str]) -> dict:
        return {"country": region_of(number) if number else ctx.account.default_country()}

    endpoint = consts.EP_VOICE_PRICE if priced else consts.EP_VOICE_SEND
    return Send(endpoint, "voice message", fields, per_recipient=country), targets, None


def send_voice_message(ctx, params, result) -> str:
    send, targets, _ = _voice(ctx, params)
    return _deliver(ctx, params, result, send, targets)


# --- calculate price ----------------------------------------------------------------------------------------------

KINDS = {"sms": _sms, "mms": _mms, "voice": _voice}
KIND_PARAMETERS = {"media_url": "mms", "subject": "mms", "voice": "voice", "language": "voice"}  # each prices one kind only


def _message_type(params) -> str:
    kind = (params.string("message_type") or "sms").lower()
    if kind not in KINDS:
        raise ParameterError("message_type", f"must be sms, mms or voice, not {kind[:20]!r}")
    for name, owner in KIND_PARAMETERS.items():
        if owner != kind and params.string(name) is not None:
            raise ParameterError(name, f"prices {owner} messages only: set message_type to {owner}, or leave {name} empty")
    if kind == "voice" and params.string("from") is not None:
        raise ParameterError("from", "voice messages go out without a sender: leave 'from' empty for message_type voice")
    return kind


def calculate_price(ctx, params, result) -> str:
    kind = _message_type(params)
    send, targets, _ = KINDS[kind](ctx, params, priced=True)
    ctx.progress(f"Asking ClickSend for the price of the {send.noun}s (nothing is sent)")
    pricing = Delivery(ctx, result, send, targets)
    data = pricing.price()
    priced = data["messages"]
    result.add_data(data)
    currency = currency_of(data) or quietly(account_currency, ctx)
    summary = result.update_summary({})
    summary.update(
        total_price=data["total_price"],
        total_count=data["total_count"],
        currency=currency,
        message_type=kind,
        message_parts=[item.get("message_parts") for item in priced],  # numbers or null (Delivery.price read them)
        skipped_numbers=[given for given, _ in targets.skipped],
    )
    size = sms_length(send.fields["body"])
    own = f"the text is {plural(size.length, size.encoding + ' character')}"
    if kind == "sms":
        own += f", {plural(size.parts, 'part')} per message"
    refused = [item for item in priced if str(item.get("status")) != consts.STATUS_QUEUED]
    skipped = f"; {skipped_sentence(targets.skipped)}" if targets.skipped else ""
    noun = send.noun
    if refused and len(refused) == len(priced):
        raise ActionFailed(f"ClickSend {none_of(len(priced), noun, would=True)}: {rejections_text(refused)}; {own}{skipped}")
    unit = f" {currency}" if currency else ""
    text_out = f"ClickSend prices {plural(len(priced), noun)} at {data['total_price']}{unit} in total; {own}"
    if refused:
        text_out += f"; ClickSend would reject {len(refused)}: {rejections_text(refused)}"
    return text_out + skipped + "".join(f"; {note}" for note in pricing.notes) + "; nothing was sent"


HANDLERS = {
    "test_connectivity": test_connectivity,
    "send_message": send_message,
    "send_mms": send_mms,
    "send_voice_message": send_voice_message,
    "calculate_price": calculate_price,
}

"""MMS, voice and SMS cancel: POST /v3/mms/send|price, POST /v3/voice/send|price, GET /v3/voice/lang,
PUT /v3/sms/{message_id}/cancel (API notes §8, §10, §12). Voice history and voice cancel: ``routes_voice``.

Accepted MMS and voice messages are recorded in ``state.extra["mms_sent"]`` and ``state.extra["voice_sent"]``
(the answered message dicts, in order; cleared by ``reset()``), so tests can count them like ``sim.sent`` for SMS.
Use :func:`mms_sent` / :func:`voice_sent`. Accepted voice messages also go to ``state.voice_history``.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from . import delivery
from .core import ApiError, Ctx, as_int, new_message_id, not_found, ok, price_str, route
from .routes_sms import answer_totals, expand_messages, recipient_outcome
from .textrules import country_of, cut_to, encoding_and_length


MMS_PRICE = 0.5  # per MMS (simulator figure)
VOICE_PART_PRICE = 0.09  # per voice credit (simulator figure)
MMS_SUBJECT_MAX = 20
MEDIA_URL = re.compile(r"^https?://[^\s/:?#]+\S*$", re.I)
#: media files MMS takes as is; jpeg, png and bmp must first go through POST /uploads?convert=mms (API notes §10).
MEDIA_EXTENSIONS = (".jpg", ".gif")
#: longest MMS body (longer ones are truncated): GSM characters, Unicode characters.
MMS_BODY_MAX = {"gsm": 1500, "unicode": 500}
#: voice: characters per credit and longest body (4 credits; longer text is truncated).
VOICE_PART_SIZE = {"gsm": 300, "unicode": 150}
VOICE_MAX_PARTS = 4

#: GET /v3/voice/lang: code -> (country, voices); the first voice is the default.
VOICE_LANGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "en-us": ("English, US", ("female", "male")),
    "en-au": ("English, Australia", ("female", "male")),
    "en-gb": ("English, UK", ("female", "male")),
    "en-in": ("English, India", ("female",)),
    "en-gb-wls": ("English, Wales", ("female", "male")),
    "cy-gb-wls": ("Celtic, Wales", ("female", "male")),
    "de-de": ("German, Germany", ("female", "male")),
    "es-es": ("Spanish, Spain", ("female", "male")),
    "es-us": ("Spanish, US", ("female", "male")),
    "fr-ca": ("French, Canada", ("female",)),
    "fr-fr": ("French, France", ("female", "male")),
    "is-is": ("Icelandic", ("female", "male")),
    "it-it": ("Italian", ("female", "male")),
    "da-dk": ("Danish", ("female", "male")),
    "nl-nl": ("Dutch", ("female", "male")),
    "nb-no": ("Norwegian", ("female",)),
    "pl-pl": ("Polish", ("female", "male")),
    "pt-pt": ("Portuguese, Portugal", ("male",)),
    "pt-br": ("Portuguese, Brazil", ("female", "male")),
    "ro-ro": ("Romanian", ("female",)),
    "ru-ru": ("Russian", ("female", "male")),
    "sv-se": ("Swedish", ("female",)),
    "tr-tr": ("Turkish", ("female",)),
}


def mms_sent(sim: Any) -> list[dict[str, Any]]:
    with sim.state.lock:
        return list(sim.state.extra.get("mms_sent", []))


def voice_sent(sim: Any) -> list[dict[str, Any]]:
    with sim.state.lock:
        return list(sim.state.extra.get("voice_sent", []))


Fit = Callable[[str], tuple[str, int, float]]


def _answer(
    ctx: Ctx,
    send: bool,
    kind: str,
    extra_check: Callable[[dict[str, Any]], Optional[str]],
    build: Callable[[dict[str, Any], dict[str, Any], str], dict[str, Any]],
    fit: Fit,
    record: Optional[Callable[[dict[str, Any]], None]] = None,
) -> dict[str, Any]:
    """Shared by MMS and voice: expand recipients, give each message its status, fit (truncate) and price the body."""
    body = ctx.body_object()
    entries = expand_messages(ctx, body.get("messages"))
    now = int(time.time())
    acct = ctx.account or {}
    messages: list[dict[str, Any]] = []
    total_price = 0.0
    for m, contact, list_id, forced in entries:
        to, text, schedule, status = recipient_outcome(ctx, m, contact, forced, now)
        if status == "SUCCESS":
            status = extra_check(m) or status
        text, parts, part_price = fit(text)
        accepted = status == "SUCCESS"
        price = parts * part_price if accepted else 0.0
        common = {
            "list_id": list_id,
            "contact_id": contact["contact_id"] if contact else None,
            "message_id": new_message_id(),
            "to": to or "",
            "body": text,
            "country": m.get("country") or country_of(to),
            "custom_string": m.get("custom_string") if m.get("custom_string") is not None else "",
            "schedule": str(schedule if schedule is not None else now) if send else "",
            "message_parts": parts,
            "message_price": price_str(price),
            "status": status,
        }
        msg = build(m, common, to or "")
        messages.append(msg)
        if accepted:
            total_price += price
            if send:
                ctx.state.extra.setdefault(f"{kind}_sent", []).append(msg)
                if record is not None:
                    record(msg)
    return answer_totals(messages, total_price, acct)


# ---------------------------------------------------------------------------
# MMS
# ---------------------------------------------------------------------------


def media_ok(media: Any) -> bool:
    """An http(s) URL whose path (query string ignored) ends in .jpg or .gif, any case."""
    if not isinstance(media, str) or not MEDIA_URL.match(media):
        return False
    return urlsplit(media).path.lower().endswith(MEDIA_EXTENSIONS)


def _mms_fit(text: str) -> tuple[str, int, float]:
    enc, _n = encoding_and_length(text)
    return cut_to(text, enc, MMS_BODY_MAX[enc]), 1, MMS_PRICE


def _mms(ctx: Ctx, send: bool) -> dict[str, Any]:
    media = ctx.body_object().get("media_file")
    good_media = media_ok(media)

    def check(m: dict[str, Any]) -> str | None:
        if not isinstance(m.get("subject"), str) or not m["subject"].strip():
            return "SUBJECT_REQUIRED"
        if not m.get("from"):
            return "MISSING_REQUIRED_FIELDS"  # simulator choice: the spec marks from required (API notes §10)
        return None if good_media else "INVALID_MEDIA_FILE"

    def build(m: dict[str, Any], common: dict[str, Any], to: str) -> dict[str, Any]:
        subject = m.get("subject") if isinstance(m.get("subject"), str) else ""
        return dict(
            common,
            subject=subject[:MMS_SUBJECT_MAX],  # the real API's behaviour past 20 characters is unknown: cut here
            **{"from": m.get("from") or None, "_media_file_url": media if good_media else None},
        )

    data = _answer(ctx, send, "mms", check, build, _mms_fit)
    if not ctx.state.settings.get("mms_currency"):
        del data["_currency"]  # ClickSend's MMS answer documents no _currency (OAS send_mms_data; API notes §10)
    return data


@route("POST", r"/v3/mms/send")
def mms_send(ctx: Ctx):
    return ok(_mms(ctx, send=True), "Messages queued for delivery.")


@route("POST", r"/v3/mms/price")
def mms_price(ctx: Ctx):
    return ok(_mms(ctx, send=False), "Here is some pricing.")


# ---------------------------------------------------------------------------
# Voice
# ---------------------------------------------------------------------------


def voice_parts(text: str) -> int:
    """One credit per 300 GSM or 150 Unicode characters."""
    enc, n = encoding_and_length(text)
    return max(1, math.ceil(n / VOICE_PART_SIZE[enc]))


def _voice_fit(text: str) -> tuple[str, int, float]:
    enc, _n = encoding_and_length(text)
    text = cut_to(text, enc, VOICE_PART_SIZE[enc] * VOICE_MAX_PARTS)
    return text, voice_parts(text), VOICE_PART_PRICE


def _flag(value: Any) -> int:
    return 1 if as_int(value) == 1 or value is True else 0


def _voice(ctx: Ctx, send: bool) -> dict[str, Any]:
    now = int(time.time())
    acct = ctx.account or {}

    def check(m: dict[str, Any]) -> str | None:
        lang = m.get("lang") if m.get("lang") not in (None, "") else "en-us"
        if not isinstance(lang, str) or lang.lower() not in VOICE_LANGS:
            return "INVALID_LANG"
        if m.get("voice") not in VOICE_LANGS[lang.lower()][1]:
            return "INVALID_VOICE"
        return None

    def build(m: dict[str, Any], common: dict[str, Any], to: str) -> dict[str, Any]:
        common = {k: v for k, v in common.items() if k != "contact_id"}  # voice messages carry no contact_id (SDK VoiceMessage)
        return dict(
            common,
            date=str(now) if send else "",  # a string in the SDK model, unlike SMS
            date_added=now,
            to_type="mobile",
            lang=m.get("lang") or "en-us",
            voice=m.get("voice"),
            user_id=acct.get("user_id"),
            subaccount_id=acct.get("subaccount_id"),
            require_input=_flag(m.get("require_input")),
            machine_detection=_flag(m.get("machine_detection")),
            machine_detected=0,
            digits="",
            carrier="",
            status_code=None,
            status_text=None,
            _api_username=ctx.username,
            **{"from": None},
        )

    def record(msg: dict[str, Any]) -> None:
        row = dict(msg)
        if int(row["schedule"]) > now:
            row.update(delivery.VOICE_SCHEDULED)
            ctx.state.voice_scheduled[row["message_id"]] = row
        else:
            row.update(delivery.VOICE_DELIVERED)
        row["_seq"] = ctx.state.next_id("seq")
        ctx.state.voice_history.append(row)
        ctx.state.voice_by_id[row["message_id"]] = row

    return _answer(ctx, send, "voice", check, build, _voice_fit, record)


@route("POST", r"/v3/voice/send")
def voice_send(ctx: Ctx):
    return ok(_voice(ctx, send=True), "Messages queued for delivery.")


@route("POST", r"/v3/voice/price")
def voice_price(ctx: Ctx):
    return ok(_voice(ctx, send=False), "Here is some pricing.")


@route("GET", r"/v3/voice/lang")
def voice_lang(ctx: Ctx):
    data = [
        {"code": code, "country": country, "gender": voices[0] if len(voices) == 1 else list(voices)}
        for code, (country, voices) in VOICE_LANGS.items()
    ]
    return ok(data, "Here are the possible languages.")


# ---------------------------------------------------------------------------
# Cancel one scheduled SMS
# ---------------------------------------------------------------------------


@route("PUT", r"/v3/sms/{message_id}/cancel")
def sms_cancel(ctx: Ctx):
    state = ctx.state
    message_id = ctx.params["message_id"].upper()
    rec = state.history_by_id.get(message_id)
    if rec is None or rec.get("_api_username") != ctx.username:
        raise not_found(f"Message {message_id} not found.")
    if rec.get("status") != "Scheduled":
        raise ApiError(400, f"Message {message_id} is not scheduled (status {rec.get('status')}); it cannot be cancelled.")
    state.scheduled.pop(message_id, None)
    rec.update(delivery.CANCELLED)
    return ok(None, "Scheduled sms message has been cancelled.")

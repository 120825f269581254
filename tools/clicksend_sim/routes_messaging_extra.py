"""MMS, voice and SMS cancel: POST /v3/mms/send|price, POST /v3/voice/send|price, GET /v3/voice/lang,
PUT /v3/sms/{message_id}/cancel (reference §8, §10, §12).

Accepted MMS and voice messages are recorded in ``state.extra["mms_sent"]`` and ``state.extra["voice_sent"]``
(the answered message dicts, in order; cleared by ``reset()``), so tests can count them like ``sim.sent`` for SMS.
Use :func:`mms_sent` / :func:`voice_sent`.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any, Callable

from .core import ApiError, Ctx, as_int, new_message_id, not_found, ok, price_str, route
from .routes_sms import SHARED_NUMBER, answer_totals, expand_messages, recipient_outcome, release_due_scheduled
from .textrules import country_of, encoding_and_length


MMS_PRICE = 0.5  # per MMS (simulator figure)
VOICE_PART_PRICE = 0.09  # per voice credit (simulator figure)
MMS_SUBJECT_MAX = 20
MEDIA_URL = re.compile(r"^https?://[^\s/:?#]+\S*$", re.I)

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


def _answer(
    ctx: Ctx,
    send: bool,
    kind: str,
    extra_check: Callable[[dict[str, Any]], str | None],
    build: Callable[[dict[str, Any], dict[str, Any], str], dict[str, Any]],
    price_of: Callable[[str], tuple[int, float]],
) -> dict[str, Any]:
    """Shared by MMS and voice: expand recipients, give each message its status, price the accepted ones."""
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
        parts, part_price = price_of(text)
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
    return answer_totals(messages, total_price, acct)


# ---------------------------------------------------------------------------
# MMS
# ---------------------------------------------------------------------------


def _mms(ctx: Ctx, send: bool) -> dict[str, Any]:
    media = ctx.body_object().get("media_file")
    media_ok = isinstance(media, str) and bool(MEDIA_URL.match(media))

    def check(m: dict[str, Any]) -> str | None:
        if not isinstance(m.get("subject"), str) or not m["subject"].strip():
            return "SUBJECT_REQUIRED"
        return None if media_ok else "INVALID_MEDIA_FILE"

    def build(m: dict[str, Any], common: dict[str, Any], to: str) -> dict[str, Any]:
        subject = m.get("subject") if isinstance(m.get("subject"), str) else ""
        return dict(
            common,
            subject=subject[:MMS_SUBJECT_MAX],  # the real API's behaviour past 20 characters is unknown: cut here
            **{"from": m.get("from") or SHARED_NUMBER, "_media_file_url": media if media_ok else None},
        )

    return _answer(ctx, send, "mms", check, build, lambda text: (1, MMS_PRICE))


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
    return max(1, math.ceil(n / (300 if enc == "gsm" else 150)))


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

    return _answer(ctx, send, "voice", check, build, lambda text: (voice_parts(text), VOICE_PART_PRICE))


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
    release_due_scheduled(state)
    message_id = ctx.params["message_id"].upper()
    rec = state.history_by_id.get(message_id)
    if rec is None or rec.get("_api_username") != ctx.username:
        raise not_found(f"Message {message_id} not found.")
    if rec.get("status") != "Scheduled":
        raise ApiError(400, f"Message {message_id} is not scheduled (status {rec.get('status')}); it cannot be cancelled.")
    state.scheduled.pop(message_id, None)
    rec.update(status="Cancelled", status_code="301", status_text="Cancelled by the user.", error_code="5", error_text="Cancelled")
    return ok(None, "Scheduled sms message has been cancelled.")

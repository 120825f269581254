"""SMS text rules: GSM-7 vs Unicode, message parts, numbers and sender IDs (reference §11)."""

from __future__ import annotations

import math
import re


# GSM 03.38 default alphabet (basic table, without the escape character) and its extension table.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
ALPHA_TAG = re.compile(r"^[A-Za-z0-9+]{3,11}$")

GSM_SINGLE, GSM_MULTI = 160, 153
UNICODE_SINGLE, UNICODE_MULTI = 70, 67


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def encoding_and_length(text: str) -> tuple[str, int]:
    """("gsm", septets) — extension characters count 2 — or ("unicode", UTF-16 code units)."""
    if is_gsm(text):
        return "gsm", sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
    return "unicode", len(text.encode("utf-16-le")) // 2


def message_parts(text: str) -> int:
    """GSM: 1 part up to 160, else ceil(n/153). Unicode: 1 up to 70, else ceil(n/67). No cap."""
    enc, n = encoding_and_length(text)
    single, multi = (GSM_SINGLE, GSM_MULTI) if enc == "gsm" else (UNICODE_SINGLE, UNICODE_MULTI)
    if n <= single:
        return 1
    return math.ceil(n / multi)


def is_e164(number: object) -> bool:
    return isinstance(number, str) and bool(E164.match(number))


def sender_ok(sender: str | None) -> bool:
    """A sender is fine when absent, a phone number (optional +, digits), or an alpha tag of
    3-11 letters/digits/+ without spaces."""
    if sender is None or sender == "":
        return True
    if not isinstance(sender, str):
        return False
    if re.fullmatch(r"\+?\d{3,15}", sender):
        return True
    return bool(ALPHA_TAG.match(sender))


_COUNTRY_PREFIXES = (
    ("+61", "AU"), ("+64", "NZ"), ("+44", "GB"), ("+86", "CN"), ("+49", "DE"), ("+33", "FR"),
    ("+353", "IE"), ("+65", "SG"), ("+91", "IN"), ("+1", "US"),
)


def country_of(number: str | None) -> str:
    if not number:
        return ""
    for prefix, cc in sorted(_COUNTRY_PREFIXES, key=lambda p: -len(p[0])):
        if number.startswith(prefix):
            return cc
    return ""

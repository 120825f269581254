"""SMS text rules: GSM-7 vs Unicode, message parts and truncation, recipient numbers and sender IDs
(API notes §11)."""

from __future__ import annotations

import math
import re
from typing import Optional


# GSM 03.38 default alphabet (basic table, without the escape character) and its extension table.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
#: an alpha tag: 3-11 letters, digits or "+", with at least one letter (a digits-only sender is a number).
ALPHA_TAG = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9+]{3,11}$")
#: a dedicated short code: 3-8 digits, sent as is (not E.164).
SHORT_CODE = re.compile(r"^\d{3,8}$")

GSM_SINGLE, GSM_MULTI = 160, 153
UNICODE_SINGLE, UNICODE_MULTI = 70, 67
#: a line break ("\r\n", "\r" or "\n") counts as 2 characters (CR LF), in either encoding.
LINE_BREAK_COST = 2
_TOKENS = re.compile(r"\r\n|.", re.S)


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def _token_cost(token: str, gsm: bool) -> int:
    if token in ("\r\n", "\r", "\n"):
        return LINE_BREAK_COST
    if gsm:
        return 2 if token in GSM_EXTENDED else 1
    return len(token.encode("utf-16-le")) // 2  # an emoji is 2 UTF-16 units


def encoding_and_length(text: str) -> tuple[str, int]:
    """("gsm", septets) — extension characters count 2 — or ("unicode", UTF-16 code units); a line break counts 2."""
    gsm = is_gsm(text)
    return ("gsm" if gsm else "unicode"), sum(_token_cost(tok, gsm) for tok in _TOKENS.findall(text))


def _sizes(enc: str) -> tuple[int, int]:
    return (GSM_SINGLE, GSM_MULTI) if enc == "gsm" else (UNICODE_SINGLE, UNICODE_MULTI)


def parts_for(enc: str, n: int) -> int:
    single, multi = _sizes(enc)
    return 1 if n <= single else math.ceil(n / multi)


def message_parts(text: str) -> int:
    """GSM: 1 part up to 160, else ceil(n/153). Unicode: 1 up to 70, else ceil(n/67). No cap."""
    return parts_for(*encoding_and_length(text))


def capacity(enc: str, parts: int) -> int:
    """How many characters (septets / UTF-16 units) fit in ``parts`` parts."""
    single, multi = _sizes(enc)
    return single if parts <= 1 else parts * multi


def cut_to(text: str, enc: str, limit: int) -> str:
    """The longest prefix of ``text`` whose length in ``enc`` is at most ``limit`` (never splits CR LF or a character)."""
    gsm = enc == "gsm"
    used = 0
    out: list[str] = []
    for tok in _TOKENS.findall(text):
        cost = _token_cost(tok, gsm)
        if used + cost > limit:
            break
        used += cost
        out.append(tok)
    return "".join(out)


def truncate_to_parts(text: str, max_parts: int) -> tuple[str, int]:
    """(body, parts) after ClickSend's truncation beyond the account's part limit (API notes §11).

    Within the limit the text is unchanged; beyond it the text is cut to the most characters that fit in
    ``max_parts`` parts of the whole message's encoding, and ``parts`` is ``max_parts``."""
    enc, n = encoding_and_length(text)
    parts = parts_for(enc, n)
    if max_parts < 1 or parts <= max_parts:
        return text, parts
    return cut_to(text, enc, capacity(enc, max_parts)), max_parts


def is_e164(number: object) -> bool:
    return isinstance(number, str) and bool(E164.match(number))


def sender_ok(sender: object) -> bool:
    """A sender is fine when absent, an E.164 number, a dedicated short code (3-8 digits) or an alpha tag
    (3-11 letters/digits/+ with at least one letter, no spaces)."""
    if sender is None or sender == "":
        return True
    if not isinstance(sender, str):
        return False
    return is_e164(sender) or bool(SHORT_CODE.match(sender)) or bool(ALPHA_TAG.match(sender))


def is_alpha_tag(sender: object) -> bool:
    return isinstance(sender, str) and bool(ALPHA_TAG.match(sender))


#: ISO-2 -> (dial code, national trunk prefix, allowed national significant number lengths).
NATIONAL_PLANS: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "AU": ("61", "0", (9,)),
    "NZ": ("64", "0", (8, 9, 10)),
    "GB": ("44", "0", (10,)),
    "IE": ("353", "0", (7, 8, 9)),
    "US": ("1", "1", (10,)),
    "CA": ("1", "1", (10,)),
    "DE": ("49", "0", tuple(range(6, 14))),
    "FR": ("33", "0", (9,)),
    "SG": ("65", "", (8,)),
    "IN": ("91", "0", (10,)),
    "CN": ("86", "0", (11,)),
}
_SEPARATORS = re.compile(r"[\s\-().]")


def to_e164(number: object, country: Optional[str]) -> Optional[str]:
    """The recipient in E.164, or None when it cannot be formatted (API notes §11 "Recipient numbers").

    E.164 stays as is; separators (spaces, dashes, dots, brackets) are dropped; ``00`` becomes ``+``; a
    national number is formatted with ``country`` (the message's, else the account's default country)."""
    if not isinstance(number, str):
        return None
    raw = _SEPARATORS.sub("", number)
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+"):
        return raw if is_e164(raw) else None
    plan = NATIONAL_PLANS.get((country or "").upper())
    if plan is None or not raw.isdigit():
        return None
    dial, trunk, lengths = plan
    national = raw[len(trunk):] if trunk and raw.startswith(trunk) and len(raw) - len(trunk) in lengths else raw
    if len(national) not in lengths:
        return None
    formatted = f"+{dial}{national}"
    return formatted if is_e164(formatted) else None


_COUNTRY_PREFIXES = (
    ("+61", "AU"), ("+64", "NZ"), ("+44", "GB"), ("+86", "CN"), ("+49", "DE"), ("+33", "FR"),
    ("+353", "IE"), ("+65", "SG"), ("+91", "IN"), ("+1", "US"),
)
COUNTRY_NAMES = {
    "AU": "Australia", "NZ": "New Zealand", "GB": "United Kingdom", "CN": "China", "DE": "Germany", "FR": "France",
    "IE": "Ireland", "SG": "Singapore", "IN": "India", "US": "United States", "CA": "Canada",
}


def country_of(number: str | None) -> str:
    if not number:
        return ""
    for prefix, cc in sorted(_COUNTRY_PREFIXES, key=lambda p: -len(p[0])):
        if number.startswith(prefix):
            return cc
    return ""

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""SMS length arithmetic: GSM-7 or Unicode, characters and parts, counted the way ClickSend bills them."""

from __future__ import annotations

from typing import NamedTuple

import clicksend_consts as consts


def plural(number: int, noun: str) -> str:
    """"1 page", "2 pages": a count with its noun."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def of_total(part: int, total: int, noun: str) -> str:
    """"1 of 1 message", "2 of 3 messages": a part of a counted whole."""
    return f"{part} of {plural(total, noun)}"


def none_of(total: int, noun: str, would: bool = False) -> str:
    """What ClickSend did with a send it took nothing of: "did not accept the message", "accepted none of the 2 messages"
    (with `would`, for a price: "would not accept the message", "would accept none of the 2 messages")."""
    if total == 1:
        return f"{'would not' if would else 'did not'} accept the {noun}"
    return f"{'would accept' if would else 'accepted'} none of the {total} {noun}s"


def listed(texts: list, total: int = -1, sep: str = ", ") -> str:
    """The first MAX_LISTED texts joined by sep, then "and N more" of `total` (default: as many as given)."""
    total = len(texts) if total < 0 else total
    shown = list(texts[: consts.MAX_LISTED])
    if total > consts.MAX_LISTED:
        shown.append(f"and {total - consts.MAX_LISTED} more")
    return sep.join(shown)


# GSM 03.38 basic character set (one septet each) and its extension table (two septets each: escape + char)
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


class SmsLength(NamedTuple):
    encoding: str  # "GSM-7" or "Unicode"
    length: int  # characters as ClickSend counts them for this encoding
    parts: int
    limit: int  # most characters that fit in max_parts parts


def _normalise_newlines(text: str) -> str:
    # ClickSend counts a line break as two characters (CR LF): count every break that way
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def sms_length(text: str, max_parts: int = consts.SMS_DEFAULT_PARTS) -> SmsLength:
    text = _normalise_newlines(text)
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        length = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        single, multi, encoding = consts.GSM_SINGLE_PART, consts.GSM_MULTI_PART, "GSM-7"
    else:
        # Unicode SMS are UTF-16: a character outside the basic plane (most emoji) takes two units
        length = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = consts.UNICODE_SINGLE_PART, consts.UNICODE_MULTI_PART, "Unicode"
    parts = 1 if length <= single else -(-length // multi)
    return SmsLength(encoding, length, parts, longest_sms(max_parts, encoding))


def longest_sms(max_parts: int, encoding: str) -> int:
    """The most characters an SMS of at most `max_parts` parts holds: one part is a whole 160 GSM-7 / 70 Unicode
    characters; the 153 / 67 per part apply only to the parts of a longer message."""
    gsm = encoding == "GSM-7"
    if max_parts == 1:
        return consts.GSM_SINGLE_PART if gsm else consts.UNICODE_SINGLE_PART
    return (consts.GSM_MULTI_PART if gsm else consts.UNICODE_MULTI_PART) * max_parts

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The API key kept out of every text and datum the app shows: the forms a server may echo it in, and their masking.

A hostile or broken server may echo the key, or the Basic token made from it, in any encoding. Secrets knows every
form the key can take and masks them in a text (mask), in a text about to be cut (cut: a secret across the cut is
masked whole, a fragment left at the end too), and in every string of a JSON-like value, keys included (data).
rebuilt is the walker: a copy of a JSON-like value built without recursion, since nesting depth is the server's choice.
"""

from __future__ import annotations

import base64
import re
from typing import Any, Callable, Optional
from urllib.parse import quote

import clicksend_consts as consts


MASK = "***"


class Secrets:
    """Every form the API key can take in what a server echoes, and the masking of them in texts and data.

    Matched without regard to case: the key and the username:key pair as they are, percent-encoded, as Basic tokens
    (base64 and base64url, with or without padding, latin-1 or UTF-8), in hex, the key inside any base64 text (its
    three alignments), and the key written character by character in any mix of itself, %XX (UTF-8 or latin-1),
    JSON escapes (\\uXXXX and the short ones) and HTML references (numeric, with or without ';', and named)."""

    def __init__(self, username: str, api_key: str):
        literal: set = set()
        self._chars: list = []  # per character of the key: the ways it can be written
        if api_key:
            pair = f"{username}:{api_key}"
            literal.update((api_key, quote(api_key, safe=""), pair, quote(pair, safe="")))
            for encoding in ("latin-1", "utf-8"):  # requests sends latin-1 when it can; the app UTF-8 otherwise
                for text in (pair, api_key):
                    try:
                        raw = text.encode(encoding)
                    except UnicodeEncodeError:
                        continue
                    literal.update(_base64_forms(raw))
                    literal.add(raw.hex())
                    if text == api_key:
                        literal.update(core for core in _base64_cores(raw) if len(core) >= consts.BASE64_CORE_MIN)
            self._chars = [_char_forms(char) for char in api_key]
        self.literal = tuple(sorted({form.lower() for form in literal if form}, key=len, reverse=True))
        self._key = api_key
        self._compiled: Optional[tuple] = None  # (pattern, per-character patterns), compiled when a text first needs them
        self._quick = tuple({form.casefold() for form in (*self.literal, api_key)}) if api_key else ()
        spelled_longest = sum(max(map(len, forms)) for forms in self._chars)
        self.longest = max([spelled_longest, *map(len, self.literal)]) if self.literal else 0

    def _patterns(self) -> tuple:
        """The whole pattern and one per character of the key. Compiling them costs about 10 ms, so it waits for the
        first text that may hold a secret: most runs never see one, and a cold action should not pay for it."""
        if self._compiled is None:
            char_res = [re.compile(_char_pattern(char, forms), re.IGNORECASE) for char, forms in zip(self._key, self._chars)]
            spelled = "".join(f"(?:{char_re.pattern})" for char_re in char_res)
            alternatives = [*map(re.escape, self.literal), *([spelled] if spelled else [])]
            self._compiled = (re.compile("|".join(alternatives), re.IGNORECASE), char_res)
        return self._compiled

    def mask(self, text: str) -> str:
        if not self._quick:
            return text
        if "%" not in text and "\\" not in text and "&" not in text:  # no escapes: only a literal form can be there
            folded = text.casefold()  # at least as lenient as the pattern's IGNORECASE (casefold maps 'ſ' to 's', lower does not)
            if not any(form in folded for form in self._quick):
                return text
        return self._patterns()[0].sub(MASK, text)

    def cut(self, text: str, limit: int) -> str:
        """The text masked, then at most `limit` characters, with a trailing fragment that starts a secret masked too."""
        if len(text) <= limit:
            return self.mask(text)
        # a secret across the cut lies wholly inside this window, so masking the window masks it; whatever ends the
        # result (the cut, or the window's end once masks shortened it) may be inside a secret, so its tail is checked
        return self._mask_tail(self.mask(text[: limit + self.longest])[:limit])

    def clean(self, text: Any, limit: int) -> str:
        """A server's text for an error message: masked, on one line, at most `limit` characters."""
        return self.cut(one_line(self.cut(str(text or ""), consts.ERROR_SCAN_CHARS)), limit)

    def _mask_tail(self, text: str) -> str:
        """The text with its longest ending that starts some secret (SECRET_FRAGMENT_MIN characters or more) masked."""
        longest = self._spelled_tail(text)
        for form in self.literal:
            for size in range(min(len(form) - 1, len(text)), max(longest, consts.SECRET_FRAGMENT_MIN - 1), -1):
                if text[-size:].lower() == form[:size]:
                    longest = size
                    break
        return text[:-longest] + MASK if longest else text

    def _spelled_tail(self, text: str) -> int:
        """The length of the longest ending of the text that spells the key's first SECRET_FRAGMENT_MIN or more
        characters (any mix of their forms; the last one may be cut inside its form); 0 when none."""
        if not self._chars:
            return 0
        char_res = self._patterns()[1]
        end = len(text)
        for start in range(max(0, end - self.longest), end):
            position, spelled = start, 0
            while position < end and spelled < len(char_res):
                found = char_res[spelled].match(text, position)
                if found is None:
                    break
                position, spelled = found.end(), spelled + 1
            rest = text[position:].lower()
            cut_inside = bool(rest) and spelled < len(self._chars) and any(form.lower().startswith(rest) for form in self._chars[spelled])
            if spelled >= consts.SECRET_FRAGMENT_MIN and (not rest or cut_inside):
                return end - start
        return 0

    def data(self, value: Any) -> Any:
        """A copy of a JSON-like value with every secret masked in every string, keys included."""
        return rebuilt(value, self._masked, self._masked)

    def _masked(self, value: Any) -> Any:
        return self.mask(value) if isinstance(value, str) else value


def _base64_forms(raw: bytes) -> set:
    """raw in base64 and base64url, with and without padding."""
    standard = base64.b64encode(raw).decode("ascii")
    url = base64.urlsafe_b64encode(raw).decode("ascii")
    return {standard, standard.rstrip("="), url, url.rstrip("=")}


def _base64_cores(raw: bytes) -> set:
    """What any base64 (or base64url) text holding raw must contain, whatever comes before it: for each of the three
    alignments, the characters that encode raw's bits alone."""
    cores = set()
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + raw).decode("ascii")
        first = -(-offset * 8 // 6)  # the first character holding none of the bytes before raw
        last = ((offset + len(raw)) * 8 - 6) // 6  # the last holding none of the bytes after it
        core = encoded[first : last + 1]
        cores.update((core, core.replace("+", "-").replace("/", "_")))
    return cores


def _char_forms(char: str) -> tuple:
    """The ways a server may write one character: itself, percent-encoded (UTF-8, latin-1), JSON escapes, HTML
    references (see _char_pattern for those with leading zeros or without the ';')."""
    code = ord(char)
    forms = {char, "".join(f"%{byte:02X}" for byte in char.encode("utf-8")), f"&#{code};", f"&#x{code:X};"}
    forms.update(SHORT_ESCAPES.get(char, ()))
    if code < 0x100:
        forms.add(f"%{code:02X}")
    if code < 0x10000:
        forms.add(f"\\u{code:04X}")
    else:
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        forms.add(f"\\u{high:04X}\\u{low:04X}")
    return tuple(sorted(forms, key=len, reverse=True))


def _char_pattern(char: str, forms: tuple) -> str:
    """One character in any of its forms, and as an HTML reference with leading zeros or without its ';'."""
    code = ord(char)
    references = [rf"&#0*{code}(?:;|(?![0-9]))", rf"&#x0*{code:x}(?:;|(?![0-9a-f]))"]
    return "|".join([*map(re.escape, forms), *references])


# JSON's and HTML's short ways of writing a few characters (API keys seldom hold them; masking must not care)
SHORT_ESCAPES = {
    "\\": ("\\\\",),
    '"': ('\\"', "&quot;"),
    "/": ("\\/",),
    "&": ("&amp;",),
    "<": ("&lt;",),
    ">": ("&gt;",),
    "'": ("&apos;",),
}


DROP = object()  # what rebuilt's key_of returns for an entry to leave out


def _same(value: Any) -> Any:
    return value


def rebuilt(value: Any, key_of: Callable[[Any], Any] = _same, leaf: Callable[[Any], Any] = _same) -> Any:
    """A copy of a JSON-like value (dicts; lists and tuples become lists) built without recursion, since nesting depth
    is the server's choice: each dict key goes through key_of (DROP leaves its entry out), every other value
    through leaf."""
    if not isinstance(value, (dict, list, tuple)):
        return leaf(value)
    holder: list = [None]
    stack: list = [(value, holder, 0)]
    while stack:
        source, parent, slot = stack.pop()
        if isinstance(source, dict):
            copy: Any = {}
            entries: Any = ((key_of(key), item) for key, item in source.items())
        else:
            copy = [None] * len(source)
            entries = enumerate(source)
        parent[slot] = copy
        for key, item in entries:
            if key is DROP:
                continue
            if isinstance(item, (dict, list, tuple)):
                copy[key] = None
                stack.append((item, copy, key))
            else:
                copy[key] = leaf(item)
    return holder[0]


def one_line(text: str) -> str:
    """Whitespace runs collapsed to one space, other control and format characters dropped."""
    words = text.split()
    if not all(word.isprintable() for word in words):
        words = ["".join(char for char in word if char.isprintable()) for word in words]
    return " ".join(word for word in words if word)

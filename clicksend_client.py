# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""HTTP client for ClickSend REST v3. Knows nothing about SOAR: it sends requests and raises ClickSendError.

Every error's str() is one sentence a SOAR user can act on. No message, log line or exception text ever
contains the API key, the Authorization header or a request body.

What a hostile or broken server cannot do to it:
- hold a request longer than the asset's timeout: the timeout bounds each attempt whole (connect, TLS, sending,
  headers and body), not each socket read (see _Attempt);
- make it read an unbounded answer: bodies are read as a stream and capped at MAX_BODY_BYTES, gzip and deflate
  decoded here with the same cap;
- send it elsewhere: redirects are never followed;
- make it leak the key: every text taken from an answer is masked before it is cut, and a cut that ends inside a
  secret masks that fragment too;
- make it send twice: a send is retried only when ClickSend certainly did not process it (429, or a connection
  that never completed).

Reads of many pages and the mark-read of many messages go through one helper, map_ordered: at most MAX_IN_FLIGHT
requests in flight (fewer after a 429), results in the order asked for, the first failure stopping the rest. Every
request of every thread shares the one Session (its pool holds MAX_IN_FLIGHT connections) and the same rules: the
attempt in progress is per thread (_CURRENT is thread-local), and masking reads only the key forms fixed at start.
Sends never go through it: the calls of a send go one after another.
"""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import math
import random
import re
import socket
import ssl
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from http.client import HTTPException
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, quote, unquote, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError  # both in urllib3 1.26 and 2.x

import clicksend_consts as consts


IDEMPOTENT_METHODS = ("GET", "PUT", "DELETE")
# A 5xx answer (or a status beyond 599) can come from a gateway or proxy after the request was passed on to ClickSend
# (500, 502, 504, Cloudflare's 520-524, 598/599 ...): a send answered so has an unknown outcome. Only the statuses
# whose meaning is that the server did not take the request on (RFC 9110: not implemented, unavailable, HTTP version
# not supported) say nothing was sent.
MAYBE_PROCESSED_FROM = 500
NOT_TAKEN_ON_STATUSES = (501, 503, 505)
# ClickSend refused the request before processing it: even a send may be tried again
NOT_PROCESSED_STATUSES = (429,)
HTTP_HINTS = {
    401: "check the asset's username and API key",
    403: "the ClickSend account is not allowed to do this (inactive, banned or missing permission)",
    404: "ClickSend does not know it",
    429: "ClickSend is rate-limiting this account",
}
NOTHING_SENT = " (nothing was sent)"
MASK = "***"


class ClickSendError(Exception):
    """Base error. `outcome_unknown` is true when the request may have changed something at ClickSend."""

    def __init__(self, message: str, outcome_unknown: bool = False):
        super().__init__(message)
        self.message = message
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        return self.message


class ClickSendHTTPError(ClickSendError):
    """ClickSend (or a proxy in front of it) answered with an HTTP error status, or a redirect."""

    def __init__(self, message: str, status: int, response_code: str = "", response_msg: str = "", data: Any = None, **kw: Any):
        super().__init__(message, **kw)
        self.status = status
        self.response_code = response_code
        self.response_msg = response_msg
        self.data = data


class ClickSendConnectionError(ClickSendError):
    """No usable answer: connection refused or reset, DNS failure, TLS failure or timeout."""

    def __init__(self, message: str, outcome_unknown: bool = False, retryable: bool = True, never_sent: bool = False):
        super().__init__(message, outcome_unknown)
        self.retryable = retryable  # a timeout already cost the asset's whole timeout: it is not tried again
        self.never_sent = never_sent  # the connection never completed: ClickSend cannot have seen the request


class ClickSendResponseError(ClickSendError):
    """An answer that is not ClickSend's JSON envelope, whose data has an unexpected shape, or that cannot be read
    (larger than MAX_BODY_BYTES, an unknown Content-Encoding, a corrupt compressed body)."""


class InvalidPathValue(ClickSendError, ValueError):
    """A value that cannot be a ClickSend id in a URL path ('', '.', '..', or with '/', '\\', '?', '#', '%',
    whitespace or control characters). Raised by api_path before anything is sent, and by every request whose path
    has a '?', '#', or an empty, '.' or '..' segment. It is a ClickSendError (so it fails an action cleanly) and a
    ValueError; `field` names the id (None when the whole path was refused) so a caller can report it as a
    parameter error."""

    def __init__(self, message: str, field: Optional[str] = None, value: Optional[str] = None):
        super().__init__(message)
        self.field = field
        self.value = value


# --- URL rules -----------------------------------------------------------------------------------------------

_ID_FORBIDDEN = frozenset("/\\?#%")


def _id_problem(text: str) -> str:
    if not text:
        return "it is empty"
    if text in (".", ".."):
        return "'.' and '..' are not ids"
    for char in text:
        if char in _ID_FORBIDDEN:
            return f"it contains {char!r}"
        if char.isspace() or not char.isprintable():
            return "it contains whitespace or control characters"
    return ""


def api_path(template: str, **ids: Any) -> str:
    """The endpoint `template` (e.g. "lists/{list_id}/contacts") with every id percent-quoted into its place.

    Raises InvalidPathValue for a value that cannot be a ClickSend id: such a value would change which resource the
    request acts on (an id "." turns PUT sms/inbound-read/{id} into "mark every message read").
    """
    quoted = {}
    for name, value in ids.items():
        text = "" if value is None else str(value)
        problem = _id_problem(text)
        if problem:
            shown = repr(text[:40] + ("..." if len(text) > 40 else ""))
            raise InvalidPathValue(f"{name} {shown} cannot be a ClickSend id: {problem}", field=name, value=text)
        quoted[name] = quote(text, safe="")
    return template.format(**quoted)


def _check_path(path: str, label: str) -> None:
    """The last line of defence under api_path: a path that would address something other than what it names."""
    if "?" in path or "#" in path:
        problem = "it contains '?' or '#'"
    elif any(unquote(segment) in ("", ".", "..") for segment in path.split("/")):
        problem = "it has an empty, '.' or '..' segment"
    else:
        return
    raise InvalidPathValue(f"The app refused to send {label} to ClickSend: {problem}")


def is_loopback_host(host: str) -> bool:
    if host.lower() in consts.LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_problem(host: str) -> str:
    """Why `host` (not bracketed) cannot be a host name or IPv4 address, or ''."""
    for char in host:
        if not (char.isalnum() or char in "-._"):
            return f"base_url's host {host[:100]!r} contains {char!r}, which a host name cannot contain"
    if any(not label for label in host.rstrip(".").split(".")):
        return f"base_url's host {host[:100]!r} has an empty label (a leading dot or '..')"
    if not host.isascii():
        try:
            host.encode("idna")
        except UnicodeError:
            return f"base_url's host {host[:100]!r} is not a valid international domain name"
    return ""


def _port_problem(port: str) -> str:
    if not port:
        return ""  # "https://host:/v3" is the default port
    if not (port.isascii() and port.isdigit()):
        return f"base_url's port {port[:20]!r} is not a number"
    if len(port) > 5 or not 1 <= int(port) <= 65535:
        return f"base_url's port {port[:20]} is out of range (1-65535)"
    return ""


def normalise_base_url(raw: Any) -> str:
    """Check the asset's base_url and return it without a trailing slash. Raises ValueError with the reason."""
    url = str(raw or "").strip()
    if not url:
        return consts.DEFAULT_BASE_URL
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ValueError("base_url must not contain spaces or control characters")
    if "?" in url or "#" in url:
        raise ValueError("base_url must not contain a query string or fragment ('?' or '#')")
    url = url.rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "Invalid IPv6 URL"
        raise ValueError(f"base_url is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("base_url must be an http(s) URL such as https://rest.clicksend.com/v3")
    if "@" in parts.netloc:
        raise ValueError("base_url must not contain credentials: put them in the username and key fields")
    netloc = parts.netloc
    if netloc.startswith("["):
        end = netloc.find("]")
        host, rest = (netloc[1:end], netloc[end + 1 :]) if end > 0 else (netloc[1:], "")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"base_url's host [{host[:60]}] is not an IPv6 address") from None
    else:
        host, colon, port = netloc.partition(":")
        rest = colon + port
        problem = _host_problem(host) if host else "base_url must be an http(s) URL such as https://rest.clicksend.com/v3"
        if problem:
            raise ValueError(problem)
    if rest and not rest.startswith(":"):
        raise ValueError(f"base_url has {rest[:20]!r} after the host where only a ':port' may follow")
    problem = _port_problem(rest[1:])
    if problem:
        raise ValueError(problem)
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        raise ValueError("base_url's path must not contain '.' or '..' segments")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ValueError("base_url must use https (plain http is allowed only for a loopback host such as 127.0.0.1)")
    return url


# --- secrets ---------------------------------------------------------------------------------------------------


class _Secrets:
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


def _not_a_number(_: str) -> None:
    return None


def _finite(text: str) -> Optional[float]:
    number = float(text)
    return number if math.isfinite(number) else None


def _json(response: requests.Response) -> Any:
    """The answer's JSON with NaN, Infinity and numbers too large for a float read as null: a result holding them
    would not be JSON, and SOAR stores results as JSON."""
    return response.json(parse_constant=_not_a_number, parse_float=_finite)


class _NoAuth(AuthBase):
    """For a request to a host that is not ClickSend: the session's credentials must not go with it."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.pop("Authorization", None)
        return request


class _BasicAuth(AuthBase):
    """HTTP Basic auth as requests builds it (latin-1), or as UTF-8 when latin-1 cannot encode the credentials."""

    def __init__(self, username: str, api_key: str):
        pair = f"{username}:{api_key}"
        try:
            raw = pair.encode("latin-1")
        except UnicodeEncodeError:
            raw = pair.encode("utf-8")
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request

    def __repr__(self) -> str:
        return "_BasicAuth(***)"


# --- texts from answers ------------------------------------------------------------------------------------------

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _one_line(text: str) -> str:
    """Whitespace runs collapsed to one space, other control and format characters dropped."""
    words = text.split()
    if not all(word.isprintable() for word in words):
        words = ["".join(char for char in word if char.isprintable()) for word in words]
    return " ".join(word for word in words if word)


def _html_title(text: str) -> str:
    """The text of the first <title>...</title>, or ''. Plain finds: linear whatever the page holds."""
    lower = text.translate(_ASCII_LOWER)  # ASCII only: keeps every index of `text` valid
    start = lower.find("<title")
    if start < 0:
        return ""
    open_end = lower.find(">", start)
    if open_end < 0:
        return ""
    close = lower.find("</title", open_end)
    return text[open_end + 1 : close] if close >= 0 else ""


def _strip_tags(text: str) -> str:
    """The text with each <...> replaced by a space; an unclosed '<' ends the text. Linear."""
    parts = []
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            parts.append(text[position:])
            break
        parts.append(text[position:start])
        parts.append(" ")
        end = text.find(">", start + 1)
        if end < 0:
            break
        position = end + 1
    return "".join(parts)


def _retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Seconds a Retry-After header asks for, or None when it says nothing usable. Never raises."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)  # a huge number becomes a huge float (or inf): longer than the app waits
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except Exception:  # whatever a garbage date makes the parser raise, the header is ignored
        return None


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value < 1e9 else "more than 10^9 s"


def _chain(exc: Optional[BaseException]) -> Iterator[BaseException]:
    """The exception and those it wraps (urllib3's `reason`, an exception among its arguments, its cause), at most
    10 deep."""
    seen = 0
    while exc is not None and seen < 10:
        yield exc
        nested = getattr(exc, "reason", None)
        if not isinstance(nested, BaseException):
            nested = next((arg for arg in exc.args if isinstance(arg, BaseException)), None) or exc.__cause__
        exc = nested
        seen += 1


def _failed_to_connect(exc: BaseException) -> bool:
    """True when the request certainly never reached the server (refused, DNS, connect timeout)."""
    return any(isinstance(e, (NewConnectionError, ConnectTimeoutError, requests.exceptions.ConnectTimeout)) for e in _chain(exc))


def _is_timeout(exc: BaseException) -> bool:
    # urllib3 makes NewConnectionError (refused, unreachable) a ConnectTimeoutError for compatibility: not a timeout
    timeouts = (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, socket.timeout)
    return any(isinstance(e, timeouts) and not isinstance(e, NewConnectionError) for e in _chain(exc))


def _is_tls(exc: BaseException) -> bool:
    return any(isinstance(e, (requests.exceptions.SSLError, urllib3.exceptions.SSLError, ssl.SSLError)) for e in _chain(exc))


# --- the deadline of one attempt ---------------------------------------------------------------------------------

_CURRENT = threading.local()


def _current_attempt() -> Optional[_Attempt]:
    return getattr(_CURRENT, "attempt", None)


def _shut(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or never connected


class _Attempt:
    """One try of one request, bounded whole by `timeout`: connect, TLS, sending, headers and body.

    requests' timeout bounds each socket operation only, so a server that drips a byte now and then holds a request
    as long as it likes. Here the connections an attempt uses register their socket with it (the app's own pool and
    connection classes, for urllib3 1.26 and 2.x alike), and a watchdog timer shuts those sockets down at the
    deadline: the blocked read fails at once and the client reports a timeout. The attempt keeps a duplicate
    descriptor of each socket because during the TLS handshake the socket urllib3 created is already detached into
    the SSL socket being built, out of reach; shutdown() acts on the connection whichever descriptor it is given.
    The body is read in chunks with the deadline checked between them as well.
    """

    def __init__(self, timeout: float):
        self.timeout = float(timeout)
        self.started = time.monotonic()
        self.deadline = self.started + self.timeout
        self.expired = False
        self.tracked = False  # the app's own connection pool served this attempt (not a test double)
        self.ready = False  # a connection was established (TCP and TLS complete) or reused: the request may go out
        self._lock = threading.Lock()
        self._finished = False
        self._sockets: list = []
        self._outer: Optional[_Attempt] = None
        self._timer = threading.Timer(max(0.0, self.timeout), self.expire)
        self._timer.daemon = True

    def __enter__(self) -> _Attempt:
        self._outer = _current_attempt()
        _CURRENT.attempt = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _CURRENT.attempt = self._outer
        self._timer.cancel()
        with self._lock:
            self._finished = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()
        self._timer.join()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def watch(self, sock: Any) -> None:
        try:
            watched = socket.fromfd(sock.fileno(), sock.family, sock.type)
        except (OSError, ValueError, AttributeError):
            return
        with self._lock:
            if not self._finished:
                self._sockets.append(watched)
                if self.expired:
                    _shut(watched)
                return
        watched.close()

    def expire(self) -> None:
        with self._lock:
            if self._finished:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


class _WatchedConnection:
    """Mixin for urllib3's connections: the attempt in progress learns of each new socket and of connect's end."""

    def _new_conn(self) -> Any:
        attempt = _current_attempt()
        if attempt is not None:
            attempt.tracked = True
            timeout = getattr(self, "timeout", None)
            if isinstance(timeout, (int, float)) and attempt.remaining() < timeout:
                self.timeout = max(attempt.remaining(), 0.001)
        sock = super()._new_conn()  # type: ignore[misc]
        if attempt is not None:
            attempt.watch(sock)
        return sock

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        attempt = _current_attempt()
        if attempt is not None:
            attempt.ready = True


class _WatchedPool:
    """Mixin for urllib3's pools: a reused keep-alive connection is registered with the attempt too."""

    def _get_conn(self, timeout: Optional[float] = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        attempt = _current_attempt()
        if attempt is not None:
            attempt.tracked = True
            sock = getattr(conn, "sock", None)
            if sock is not None:
                attempt.ready = True
                attempt.watch(sock)
        return conn


class _HTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _HTTPPool(_WatchedPool, HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(_WatchedPool, HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_DEFAULT_POOLS = {"http": HTTPConnectionPool, "https": HTTPSConnectionPool}
_WATCHED_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


def _use_watched_pools(manager: Any) -> None:
    if getattr(manager, "pool_classes_by_scheme", None) == _DEFAULT_POOLS:  # a SOCKS proxy manager keeps its own
        manager.pool_classes_by_scheme = dict(_WATCHED_POOLS)


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter with pools whose connections report to the attempt in progress (see _Attempt)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _use_watched_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _use_watched_pools(manager)
        return manager


# --- bodies ----------------------------------------------------------------------------------------------------


class _BodyProblem(Exception):
    pass


class _BodyTooLarge(_BodyProblem):
    pass


class _BodyUnreadable(_BodyProblem):
    pass


class _BodyIncomplete(_BodyProblem):
    pass


class _Decompressor:
    """gzip or deflate decoding whose output never exceeds the cap, however well the input compresses."""

    def __init__(self, coding: str, cap: int):
        self._coding = coding
        self._cap = cap
        self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS)
        self._undecided: Optional[bytearray] = bytearray() if coding == "deflate" else None  # zlib-wrapped or raw?
        self._members = 1
        self._ignore_rest = False

    def feed(self, data: bytes, out: bytearray) -> None:
        if self._undecided is not None:
            self._undecided += data
        try:
            self._drain(data, out)
        except zlib.error:
            if self._undecided is None or len(out):
                raise _BodyUnreadable(f"its {self._coding} data is corrupt") from None
            # some servers send deflate without the zlib wrapper: start again as raw deflate
            data, self._undecided = bytes(self._undecided), None
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                self._drain(data, out)
            except zlib.error:
                raise _BodyUnreadable(f"its {self._coding} data is corrupt") from None
        if self._undecided is not None and (len(out) or len(self._undecided) > 4096):
            self._undecided = None

    def _drain(self, data: bytes, out: bytearray) -> None:
        while data and not self._ignore_rest:
            if self._zlib.eof:  # what follows a complete stream: another gzip member, or trailing bytes to ignore
                if self._coding != "gzip":
                    return
                self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._members += 1
            try:
                # max_length >= 1 (0 would mean no limit), and small, so no large piece is ever held twice
                out += self._zlib.decompress(data, min(self._cap + 1 - len(out), consts.BODY_CHUNK_BYTES))
            except zlib.error:
                if self._members == 1:
                    raise
                self._ignore_rest = True  # garbage after the first member is ignored, as urllib3 does
                return
            if len(out) > self._cap:
                raise _BodyTooLarge()
            data = self._zlib.unconsumed_tail or (self._zlib.unused_data if self._zlib.eof else b"")

    def finish(self, out: bytearray) -> None:
        if self._ignore_rest:
            return
        try:
            out += self._zlib.flush()
        except zlib.error:
            raise _BodyUnreadable(f"its {self._coding} data is corrupt") from None
        if len(out) > self._cap:
            raise _BodyTooLarge()
        if not self._zlib.eof:
            raise _BodyIncomplete()


def _content_coding(header: Optional[str]) -> str:
    coding = (header or "").strip().lower()
    if coding in ("", "identity"):
        return ""
    if coding in ("gzip", "x-gzip"):
        return "gzip"
    if coding == "deflate":
        return "deflate"
    raise _BodyUnreadable(f"its Content-Encoding {_one_line(coding)!r} is not gzip or deflate")  # cut (after masking) by the caller


def _content_length(header: Optional[str]) -> Optional[int]:
    text = (header or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) < 19 else consts.MAX_BODY_BYTES * 1024


def _read_body(response: requests.Response, attempt: _Attempt) -> bytes:
    """The answer's body, decoded from gzip/deflate, at most MAX_BODY_BYTES, read before the attempt's deadline."""
    cap = consts.MAX_BODY_BYTES
    coding = _content_coding(response.headers.get("Content-Encoding"))
    declared = _content_length(response.headers.get("Content-Length"))
    if declared is not None and declared > cap:
        raise _BodyTooLarge()
    decoder = _Decompressor(coding, cap) if coding else None
    body = bytearray()
    received = 0
    while True:
        if attempt.remaining() <= 0:
            attempt.expire()
            raise _BodyIncomplete()
        chunk = response.raw.read(consts.BODY_CHUNK_BYTES, decode_content=False)
        if not chunk:
            break
        received += len(chunk)
        if received > cap:
            raise _BodyTooLarge()
        if decoder is None:
            body += chunk
        else:
            decoder.feed(chunk, body)
    if declared is not None and received < declared:
        raise _BodyIncomplete()
    if decoder is not None and received:  # an empty body is empty whatever its Content-Encoding says
        decoder.finish(body)
    return bytes(body)


def _no_redirect_target(response: requests.Response) -> None:
    return None


_TRANSPORT_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, HTTPException, OSError)


# --- requests in flight ----------------------------------------------------------------------------------------


class _Throttle:
    """How many requests of one client may be in flight at once: MAX_IN_FLIGHT, halved (down to 1) each time ClickSend
    answers 429, for the rest of the run. Each attempt holds a place while it runs, never while it waits to retry,
    whichever thread sends it."""

    def __init__(self, limit: int):
        self.limit = max(1, int(limit))
        self.in_flight = 0
        self.peak = 0  # the most attempts in flight at once (tests and the benchmark read it)
        self._cond = threading.Condition()

    def __enter__(self) -> None:
        with self._cond:
            while self.in_flight >= self.limit:
                self._cond.wait()
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)

    def __exit__(self, *exc_info: Any) -> None:
        with self._cond:
            self.in_flight -= 1
            self._cond.notify_all()

    def slow_down(self) -> None:
        with self._cond:
            self.limit = max(1, self.limit // 2)


class Ready:
    """An item of map_ordered whose result is known already: yielded in its place, without a call."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


class _Slot:
    """One place in map_ordered's output: a call in a worker (with its item), a Ready value, or the error that ended
    the items."""

    __slots__ = ("error", "future", "item", "value")

    def __init__(self, future: Any = None, value: Any = None, error: Optional[BaseException] = None, item: Any = None):
        self.future, self.value, self.error, self.item = future, value, error, item

    def ready(self) -> bool:
        return self.future is None or self.future.done()

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value if self.future is None else self.future.result()


class _PageRead:
    """One page as read: its items, whether another page may follow, the last page number ClickSend gave (or None)."""

    __slots__ = ("items", "last", "more")

    def __init__(self, items: list, more: bool, last: Optional[int]):
        self.items, self.more, self.last = items, more, last


class ClickSendClient:
    """One requests.Session per run, HTTP Basic auth, a deadline on every request attempt, safe retries."""

    def __init__(
        self,
        base_url: str,
        username: str,
        api_key: str,
        timeout: float = consts.DEFAULT_TIMEOUT,
        verify: bool = True,
        session: Optional[requests.Session] = None,
        log: Optional[Callable[[str], None]] = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = normalise_base_url(base_url)
        self.username = username
        # what a text or data from a server must never show, whatever it echoes: every form of the key
        self._secrets = _Secrets(username, api_key)
        self.timeout = timeout
        self._log = log or (lambda line: None)
        self._sleep = sleep
        self.session = session or requests.Session()
        self.session.auth = _BasicAuth(username, api_key)
        # requests reads a redirect's whole body (unbounded) to prepare the next hop even with allow_redirects=False:
        # with no redirect target it leaves the body to _read_body and its cap. The app never follows redirects.
        self.session.get_redirect_target = _no_redirect_target
        # one pool per scheme and host, each with a connection for every request that may be in flight at once
        adapter = _DeadlineAdapter(pool_connections=consts.MAX_IN_FLIGHT, pool_maxsize=consts.MAX_IN_FLIGHT)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        # passed on every request: a session-level verify=False loses to REQUESTS_CA_BUNDLE, which SOAR sets
        self.verify = verify
        # a sentence for test connectivity and each result when the certificate is not checked; "" when it is
        self.tls_warning = "" if verify else consts.MSG_TLS_VERIFY_OFF
        self.session.headers.update({"User-Agent": consts.USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip, deflate"})
        self.throttle = _Throttle(consts.MAX_IN_FLIGHT)
        self._executor: Any = None  # map_ordered's worker threads, made on first use

    def __repr__(self) -> str:
        return f"ClickSendClient(base_url={self.base_url!r}, username={self.username!r})"

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self.session.close()

    # --- requests -------------------------------------------------------------------------------------------

    def get(self, path: str, params: Optional[dict] = None) -> Any:
        return self.request("GET", path, params=params)["data"]

    def post(self, path: str, body: dict, idempotent: bool = False) -> Any:
        return self.request("POST", path, json_body=body, idempotent=idempotent)["data"]

    def put(self, path: str, body: Optional[dict] = None) -> Any:
        return self.request("PUT", path, json_body=body)["data"]

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)["data"]

    def request(
        self,
        method: str,
        path: str,
        params: Optional[dict] = None,
        json_body: Optional[dict] = None,
        idempotent: Optional[bool] = None,
        enveloped: bool = True,
    ) -> dict:
        """Send one request (retrying only where it cannot act twice) and return ClickSend's envelope; with
        enveloped=False, the JSON object of a newer service that answers without one (own-numbers, alpha-tags)."""
        try:
            return self._request(method, path, params, json_body, idempotent, enveloped)
        except ClickSendError as err:
            err.message = self.redact(err.message)
            raise

    def content_type(self, url: str) -> str:
        """The media type a URL outside ClickSend gives in answer to HEAD ("" when it cannot be told): no credentials
        go with it, no redirect is followed, no body is read, and the asset's timeout bounds it whole."""
        response = None
        with _Attempt(self.timeout):
            try:
                response = self.session.head(url, auth=_NoAuth(), timeout=self.timeout, verify=self.verify, allow_redirects=False)
            except _TRANSPORT_ERRORS:
                return ""
            finally:
                if response is not None:
                    response.close()
        if response.status_code >= 300:
            return ""
        return str(response.headers.get("Content-Type") or "").split(";")[0].strip().lower()[:100]

    def redact(self, text: str) -> str:
        """The text with every form of the API key masked (a server may echo the key or the Basic token)."""
        return self._secrets.mask(text)

    def redact_data(self, obj: Any) -> Any:
        """A copy of a JSON-like value (dict, list, str, ...) with every form of the API key masked in every string,
        dictionary keys included: for whatever ClickSend answered that goes into a result."""
        return self._secrets.data(obj)

    def _request(
        self, method: str, path: str, params: Optional[dict], json_body: Optional[dict], idempotent: Optional[bool], enveloped: bool = True
    ) -> dict:
        """Attempts and retries of one request.

        Each attempt has its own deadline: `timeout` bounds it whole (connect, TLS, sending, headers and body), and
        an attempt that reaches it is never retried. A read (GET, PUT, DELETE, an idempotent POST) is tried again
        after a status in RETRY_STATUSES or a lost connection; a send only after 429 (ClickSend did not process it)
        or a connection that never completed (nothing was sent). Between attempts the client waits Retry-After or a
        backoff, each wait at most RETRY_MAX_WAIT and all of them at most RETRY_TOTAL_BUDGET. One call therefore
        lasts at most RETRY_MAX_ATTEMPTS x timeout + RETRY_TOTAL_BUDGET seconds (4 x timeout + 60 s).
        """
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        label = f"{method} {path}"
        _check_path(path, label)
        waited = 0.0
        for attempt in range(1, consts.RETRY_MAX_ATTEMPTS + 1):
            try:
                response = self._send(method, path, params, json_body, label, idempotent)
            except ClickSendConnectionError as err:
                delay = self._backoff(attempt)
                if not err.retryable or not (idempotent or err.never_sent):
                    raise
                if not self._may_retry(attempt, waited, delay):
                    _add_note(err, f"; gave up after {attempt} attempts and {waited:.0f} s of waiting")
                    raise
                self._log(f"{label}: connection failed, retry {attempt} in {delay:.1f} s")
            else:
                status = response.status_code
                if status not in consts.RETRY_STATUSES or not (idempotent or status in NOT_PROCESSED_STATUSES):
                    return self._parse(response, label, idempotent, enveloped)
                if status in NOT_PROCESSED_STATUSES:
                    self.throttle.slow_down()  # rate-limited: fewer requests in flight for the rest of the run
                asked = _retry_after_seconds(response.headers.get("Retry-After"))
                delay = asked if asked is not None else self._backoff(attempt)
                if not self._may_retry(attempt, waited, delay):
                    err = self._parse_error(response, label, idempotent)
                    if asked is not None and asked > consts.RETRY_MAX_WAIT:
                        note = f"; ClickSend asked to retry after {_seconds(asked)}, longer than the app waits ({consts.RETRY_MAX_WAIT:.0f} s)"
                    else:
                        note = f"; gave up after {attempt} attempts and {waited:.0f} s of waiting"
                    _add_note(err, note)
                    raise err
                self._log(f"{label}: HTTP {status}, retry {attempt} in {delay:.1f} s")
            self._sleep(delay)
            waited += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _may_retry(self, attempt: int, waited: float, delay: float) -> bool:
        return attempt < consts.RETRY_MAX_ATTEMPTS and delay <= consts.RETRY_MAX_WAIT and waited + delay <= consts.RETRY_TOTAL_BUDGET

    @staticmethod
    def _backoff(attempt: int) -> float:
        return consts.RETRY_BACKOFF_BASE * (2 ** (attempt - 1)) * (1 + random.random() / 4)

    def _send(self, method: str, path: str, params: Optional[dict], json_body: Optional[dict], label: str, idempotent: bool):
        """One attempt: the response with its whole body read (and decoded) into response.content."""
        url = f"{self.base_url}/{path}"
        failure: Optional[BaseException] = None
        response = None
        with self.throttle, _Attempt(self.timeout) as attempt:  # a place in flight first: the deadline starts when it sends
            try:
                response = self.session.request(
                    method, url, params=params, json=json_body, timeout=self.timeout, verify=self.verify, allow_redirects=False, stream=True
                )
                # the whole body is read here, so a connection lost mid-body is a connection error too
                response._content = _read_body(response, attempt)
                response._content_consumed = True
            except (_BodyProblem, *_TRANSPORT_ERRORS) as exc:
                failure = exc
            finally:
                if response is not None:
                    response.close()  # back to the pool when read whole; closed otherwise
        if attempt.expired:
            never_sent = not attempt.ready
            raise ClickSendConnectionError(
                f"ClickSend did not answer {label} within {self.timeout:g} s" + self._outcome_text(idempotent, never_sent),
                outcome_unknown=not never_sent and not idempotent,
                retryable=False,
                never_sent=never_sent,
            )
        if isinstance(failure, _BodyProblem) and not isinstance(failure, _BodyIncomplete):
            raise self._unreadable_error(failure, response, label, idempotent)
        if failure is not None:
            raise self._transport_error(failure, attempt, url, label, idempotent)
        self._log(f"{label} -> HTTP {response.status_code} in {time.monotonic() - attempt.started:.2f} s")
        return response

    def _unreadable_error(self, problem: _BodyProblem, response: Any, label: str, idempotent: bool) -> ClickSendResponseError:
        status = f"HTTP {response.status_code}"
        if isinstance(problem, _BodyTooLarge):
            text = f"ClickSend answered {label} with {status} and a body larger than the {consts.MAX_BODY_BYTES // 2**20} MB the app reads"
        else:
            text = f"ClickSend answered {label} with {status} and a body the app cannot read: {self._clean(problem, 120)}"
        return ClickSendResponseError(text + self._outcome_text(idempotent, False), outcome_unknown=not idempotent)

    def _transport_error(self, exc: BaseException, attempt: _Attempt, url: str, label: str, idempotent: bool) -> ClickSendConnectionError:
        # which phase failed: from the app's own connection pool when it served the attempt, else from the exception
        never_sent = not attempt.ready if attempt.tracked else _failed_to_connect(exc)
        outcome = self._outcome_text(idempotent, never_sent)
        unknown = not never_sent and not idempotent
        parts = urlsplit(url)
        if _is_timeout(exc):
            return ClickSendConnectionError(
                f"ClickSend did not answer {label} within {self.timeout:g} s" + outcome,
                outcome_unknown=unknown,
                retryable=False,
                never_sent=never_sent,
            )
        if _is_tls(exc) and never_sent:
            return ClickSendConnectionError(
                f"TLS handshake with {parts.hostname} failed for {label}: check the certificate or the asset's verify_server_cert" + outcome,
                retryable=False,
                never_sent=True,
            )
        if _is_tls(exc):
            what = f"lost the TLS connection to ClickSend at {parts.netloc} after sending {label}"
        elif never_sent:
            what = f"could not connect to ClickSend at {parts.netloc} during {label}"
        else:
            what = f"lost the connection to ClickSend at {parts.netloc} during {label}"
        return ClickSendConnectionError(f"The app {what}" + outcome, outcome_unknown=unknown, never_sent=never_sent)

    @staticmethod
    def _outcome_text(idempotent: bool, never_sent: bool) -> str:
        if idempotent:
            return ""
        if never_sent:
            return NOTHING_SENT
        return "; the request may have reached ClickSend, so its outcome is unknown: check ClickSend's history before trying again"

    # --- answers ------------------------------------------------------------------------------------------

    def _clean(self, text: Any, limit: int) -> str:
        """A server's text for an error message: masked, on one line, at most `limit` characters."""
        text = self._secrets.cut(str(text or ""), consts.ERROR_SCAN_CHARS)
        return self._secrets.cut(_one_line(text), limit)

    def _excerpt(self, response: requests.Response) -> str:
        """A short, single-line excerpt of a non-JSON body: the HTML title if there is one. Linear and bounded."""
        head = response.content[: consts.ERROR_SCAN_CHARS * 4]
        try:
            text = head.decode(response.encoding or "utf-8", "replace")
        except (LookupError, UnicodeError):  # a charset Python lacks, or a codec that fails whatever the errors mode (idna)
            text = head.decode("utf-8", "replace")
        text = self._secrets.cut(text, consts.ERROR_SCAN_CHARS)
        title = _one_line(_html_title(text))
        snippet = title or _one_line(_strip_tags(text)) or _one_line(text)  # a page of nothing but tags is quoted as is
        return self._secrets.cut(snippet, consts.ERROR_EXCERPT_CHARS) or "(empty body)"

    def _field_errors(self, data: Any) -> str:
        """ClickSend's 400 answers may map field names to messages."""
        if not isinstance(data, dict):
            return ""
        parts = []
        size = 0
        for key, value in data.items():
            if isinstance(value, (str, int, float)):
                part = f"{self._clean(key, consts.ERROR_SCAN_CHARS)}: {self._clean(value, consts.ERROR_SCAN_CHARS)}"
                parts.append(part)
                size += len(part) + 2
                if size > consts.ERROR_EXCERPT_CHARS + self._secrets.longest:
                    break
        return self._secrets.cut("; ".join(parts), consts.ERROR_EXCERPT_CHARS)

    def _decode(self, response: requests.Response) -> Optional[dict]:
        try:
            body = _json(response)
        except (ValueError, RecursionError):
            return None
        if isinstance(body, dict) and ("response_code" in body or "http_code" in body):
            return body
        return None

    def _parse(self, response: requests.Response, label: str, idempotent: bool, enveloped: bool = True) -> dict:
        if 300 <= response.status_code < 400:
            raise self._redirect_error(response, label, idempotent)
        if response.status_code >= 400:
            raise self._parse_error(response, label, idempotent)
        if not enveloped:
            return self._plain(response, label)
        body = self._decode(response)
        if body is None:
            raise ClickSendResponseError(
                f"ClickSend answered {label} with HTTP {response.status_code} but not with its JSON envelope: "
                f"{self._excerpt(response)}" + ("" if idempotent else self._outcome_text(False, False)),
                outcome_unknown=not idempotent,
            )
        body.setdefault("data", None)
        return body

    def _plain(self, response: requests.Response, label: str) -> dict:
        """The JSON object of an answer without the envelope (a read: nothing to say about a send's outcome)."""
        try:
            body = _json(response)
        except (ValueError, RecursionError):
            body = None
        if not isinstance(body, dict):
            raise ClickSendResponseError(
                f"ClickSend answered {label} with HTTP {response.status_code} but not with a JSON object: {self._excerpt(response)}"
            )
        return body

    def _redirect_error(self, response: requests.Response, label: str, idempotent: bool) -> ClickSendHTTPError:
        location = self._clean(response.headers.get("Location"), consts.REDIRECT_LOCATION_CHARS)
        where = f"to {location}" if location else "without a location"
        text = (
            f"ClickSend answered {label} with HTTP {response.status_code}, a redirect {where}; the app does not follow redirects: "
            "check the asset's base_url"
        )
        if not idempotent:
            text += " (nothing was sent to that location)"
        return ClickSendHTTPError(text, response.status_code)

    def _parse_error(self, response: requests.Response, label: str, idempotent: bool) -> ClickSendHTTPError:
        status = response.status_code
        body = self._decode(response)
        maybe = not idempotent and status >= MAYBE_PROCESSED_FROM and status not in NOT_TAKEN_ON_STATUSES
        reason = self._clean(response.reason, 60)
        if body is not None:
            code = self._clean(body.get("response_code"), 60)
            msg = self._clean(body.get("response_msg"), consts.ERROR_EXCERPT_CHARS)
            detail = f"{code}: {msg}" if msg else code or reason or "no detail"
            details = self._field_errors(body.get("data"))
            if details:
                detail += f" ({details})"
        else:
            code, msg = "", ""
            detail = f"{reason or 'error'}, non-JSON body: {self._excerpt(response)}"
        text = f"ClickSend refused {label} with HTTP {status} {detail}"
        hint = HTTP_HINTS.get(status)
        if hint:
            text += f"; {hint}"
        text += self._outcome_text(idempotent, not maybe) if not idempotent else ""
        data = self.redact_data(body.get("data")) if body else None
        return ClickSendHTTPError(text, status, code, msg, data, outcome_unknown=maybe)

    # --- many requests at once ----------------------------------------------------------------------------

    def map_ordered(
        self, fn: Callable[[Any], Any], items: Iterable, dropped: Optional[Callable[[Any], None]] = None, probe: bool = True
    ) -> Iterator:
        """Yield fn(item) for every item, in the order of `items`, with the calls made in worker threads: at most
        MAX_IN_FLIGHT requests in flight (the client's throttle: fewer after a 429) and at most MAX_IN_FLIGHT results
        made but not yet taken, so memory stays flat however many items come.

        - `items` is read lazily, in the caller's thread, only as far as the window needs: a generator of items may
          do work per item (on poll saves each message there), and is read no further after a failure.
        - The first call goes alone (probe); once one call succeeded, the others fill the window. A failure that would
          hit every call (a refused key, a rate limit, a missing list) costs one request, and two items keep their
          order. probe=False: a request like these just succeeded (page 1 of the same list), so the window opens at once.
        - A Ready(value) item is yielded in its place, without a call.
        - A call that raises stops the reading of `items`: every result before it is yielded, then its exception is
          raised. An exception raised by `items` itself comes likewise after the results of the items before it.
        - However the generator ends (a consumer that stops iterating closes it), calls not started are cancelled
          (`dropped(item)` is told of each, in this thread: a page counter takes back a page never asked for) and
          those running are waited for: nothing it started outlives it.
        """
        source = iter(items)
        slots: deque = deque()
        window = 1 if probe else consts.MAX_IN_FLIGHT
        failed = threading.Event()
        ended = False

        def note(future: Any) -> None:
            if not future.cancelled() and future.exception() is not None:
                failed.set()

        try:
            while True:
                if not slots or not slots[0].ready():
                    while not ended and not failed.is_set() and len(slots) < window:
                        try:
                            item = next(source)
                        except StopIteration:
                            ended = True
                            break
                        except Exception as exc:  # the items' own failure, in its place
                            slots.append(_Slot(error=exc))
                            ended = True
                            break
                        if isinstance(item, Ready):
                            slots.append(_Slot(value=item.value))
                            if len(slots) == 1:
                                break  # the next result is known: give it before asking anything more
                            continue
                        future = self._workers().submit(fn, item)
                        future.add_done_callback(note)
                        slots.append(_Slot(future=future, item=item))
                if not slots:
                    return
                slot = slots.popleft()
                value = slot.result()
                if slot.future is not None:
                    window = consts.MAX_IN_FLIGHT
                yield value
        finally:
            running = []
            for slot in slots:
                if slot.future is None:
                    continue
                if not slot.future.cancel():
                    running.append(slot.future)
                elif dropped is not None:
                    dropped(slot.item)
            close = getattr(source, "close", None)
            if close is not None:
                close()
            for future in running:
                future.exception()  # waits; its outcome is dropped: the caller stopped before it, or a failure came first

    def _workers(self) -> Any:
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor  # only actions that read many pages need threads

            self._executor = ThreadPoolExecutor(max_workers=consts.MAX_IN_FLIGHT, thread_name_prefix="clicksend")
        return self._executor

    # --- list reads ---------------------------------------------------------------------------------------

    def page(self, path: str, page: int, params: Optional[dict] = None) -> tuple:
        """One page of a paginated list endpoint, at ClickSend's largest page size: (its items, whether another page
        may follow). An empty collection (data [] or null) is ([], False); a bare list (GET lists/{id}/contacts, as
        ClickSend documents it) is the one and final page."""
        read = self._read_page(path, page, params)
        return read.items, read.more

    def _read_page(self, path: str, page: int, params: Optional[dict]) -> _PageRead:
        data = self.get(path, dict(params or {}, page=page, limit=consts.PAGE_LIMIT))
        if data is None or data == []:
            return _PageRead([], False, None)
        if isinstance(data, list):
            return _PageRead(data, False, None)
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ClickSendResponseError(f"ClickSend answered GET {path} (page {page}) without a list of items")
        last = _as_int(data.get("last_page"), 0)
        return _PageRead(items, bool(items) and _has_next_page(data, page, len(items)), last if last > 0 else None)

    def iter_items(
        self,
        path: str,
        params: Optional[dict] = None,
        max_pages: int = consts.MAX_PAGES,
        before_page: Optional[Callable[[int], None]] = None,
        not_asked: Optional[Callable[[int], None]] = None,
    ) -> Iterator[dict]:
        """Yield every item of a paginated list endpoint, page by page in page order (see page). Page 1 is read
        first; when it gives last_page, the pages after it are read through map_ordered (several at once); without
        it (a bare list, or only a next_page_url) one after another. `before_page(number)` is called before each page
        is asked for, in page order: a caller counts pages with it, or raises to stop within a budget. A caller that
        stops iterating stops the reads (see map_ordered); `not_asked(number)` is then told of each page announced
        but never asked for."""
        if before_page is not None:
            before_page(1)
        read = self._read_page(path, 1, params)
        yield from read.items
        for items in self._later_pages(path, params, 1, read, max_pages, before_page, not_asked):
            yield from items

    def _later_pages(
        self,
        path: str,
        params: Optional[dict],
        number: int,
        read: _PageRead,
        max_pages: int,
        before_page: Optional[Callable[[int], None]],
        not_asked: Optional[Callable[[int], None]] = None,
    ) -> Iterator[list]:
        """The items of each page after page `number`, whose answer was `read`."""
        while read.more:
            if number >= max_pages:
                raise ClickSendError(
                    f"GET {path} has more than {max_pages} pages of {consts.PAGE_LIMIT}; the app stopped reading there to stay bounded"
                )
            if read.last is None or read.last <= number + 1:  # one page left, or no last page known: the next one alone
                number += 1
                if before_page is not None:
                    before_page(number)
                read = self._read_page(path, number, params)
                yield read.items
                continue
            wanted = range(number + 1, min(read.last, max_pages) + 1)
            # the next page goes alone, then the others together: a caller that stops at a limit (list messages) reads
            # no page beyond the one that reached it when that is page 2
            reads = self.map_ordered(lambda page: (page, self._read_page(path, page, params)), _announced(wanted, before_page), not_asked)
            try:
                for number, read in reads:  # noqa: B007 (the last page read decides whether more follow)
                    yield read.items
                    if not read.more:  # an empty page, or one that says it is the last: the list ends here,
                        break  # whatever last_page said before (the reads still under way are stopped)
            finally:
                reads.close()  # a consumer that stopped stops the reads under way

    def iter_lists(
        self,
        paths: Iterable[str],
        max_pages: int = consts.MAX_PAGES,
        before_page: Optional[Callable[[int], None]] = None,
        on_error: Optional[Callable[[str, ClickSendError], bool]] = None,
        not_asked: Optional[Callable[[int], None]] = None,
    ) -> Iterator[tuple]:
        """(path, items, final) for every page of several paginated list endpoints (the contacts of several lists): paths
        in their order, the pages of each in page order, with at most MAX_IN_FLIGHT requests in flight across them all.
        `final` is True on the page that ends a path (its list was read to the end). A consumer that stops iterating
        (the contact is found) stops the reads.

        Page 1 of a path tells how many pages follow (last_page); those are read several at once. A page that says the
        list ends (empty, or the last) ends the path there; a path whose last page still says more follow (the list
        grew meanwhile, or ClickSend gave no last page) is read on page after page.

        `before_page(number)` is called before each page is asked for (with 1 for each path's first page), in order:
        with it (a page budget), page 1 of the paths ahead is read only once the pages of the path at hand are asked
        for, so the budget is spent in order; without it, page 1 of the paths ahead is read meanwhile.
        `on_error(path, error)` is called when a page of a path cannot be read: True skips the rest of that path (a
        list deleted meanwhile), False raises the error; without it every error is raised. `not_asked(number)` is told
        of each page announced to before_page but never asked for (the consumer stopped first)."""

        def first(path: str) -> tuple:
            try:
                return path, self._read_page(path, 1, None)
            except ClickSendError as err:
                return path, err

        def later(task: tuple) -> tuple:
            path, page, tail = task
            try:
                return path, page, self._read_page(path, page, None), tail
            except ClickSendError as err:
                return path, page, err, tail

        def plan() -> Iterator:
            announced = _announced_each(paths, before_page)
            # with a page budget, page 1 of a path is read only when the plan reaches it (in this thread, in order)
            firsts = (first(path) for path in announced) if before_page is not None else self.map_ordered(first, announced)
            try:
                for path, read in firsts:
                    end = min(read.last, max_pages) if isinstance(read, _PageRead) and read.more and read.last else 1
                    yield Ready((path, 1, read, end <= 1))
                    for page in range(2, end + 1):
                        if before_page is not None:
                            before_page(page)
                        yield path, page, page == end
            finally:
                firsts.close()

        ended = None  # a path whose pages still to come are passed over (it ended early, or on_error skipped it)
        untold = None if not_asked is None else lambda task: not_asked(task[1])
        pages = self.map_ordered(later, plan(), untold, probe=False)  # page 1 of a list went first: no probe needed
        try:
            for path, page, answer, tail in pages:
                if path == ended:
                    continue
                if isinstance(answer, ClickSendError):
                    if on_error is not None and on_error(path, answer):
                        ended = path
                        continue
                    raise answer
                if not answer.more:
                    ended = path
                    yield path, answer.items, True
                elif not tail:
                    yield path, answer.items, False
                else:  # the last page planned says more follow: page after page from there
                    ended = path
                    try:
                        yield from self._rest_of(path, page, answer, max_pages, before_page, not_asked)
                    except ClickSendError as err:
                        if on_error is None or not on_error(path, err):
                            raise
        finally:
            pages.close()  # a consumer that stopped (the contact is found) stops the reads under way

    def _rest_of(self, path: str, page: int, read: _PageRead, max_pages: int, before_page: Any, not_asked: Any) -> Iterator:
        """(path, items, final) of page `page` (answered `read`) and of each page after it, read on page by page."""
        items = read.items
        for following in self._later_pages(path, None, page, read, max_pages, before_page, not_asked):
            yield path, items, False
            items = following
        yield path, items, True

    def iter_cursor(
        self,
        path: str,
        key: str,
        page_size: int,
        max_pages: int = consts.MAX_PAGES,
        before_page: Optional[Callable[[int], None]] = None,
    ) -> Iterator[dict]:
        """Yield every item of one of ClickSend's cursor-paginated services (own-numbers, alpha-tags), which answer
        `{key: [...], "_metadata": {"pagination": {"next": <link>}}}` without the envelope. The next page is asked
        for at the same path with the `offset` cursor taken from that link (the link itself is never followed); no
        link, or an empty page, ends the list. `before_page` as in iter_items."""
        query: dict = {"page_size": page_size}
        seen: set = set()
        number = 1
        while True:
            if before_page is not None:
                before_page(number)
            data = self.request("GET", path, params=query, enveloped=False)
            items = data.get(key)
            if not isinstance(items, list):
                raise ClickSendResponseError(f"ClickSend answered GET {path} (page {number}) without a list of {key}")
            yield from items
            cursor = _next_cursor(data, path)
            if not items or cursor is None:
                return
            if cursor in seen:
                raise ClickSendResponseError(
                    f"ClickSend answered GET {path} with a next-page cursor it gave before; the app stopped reading there"
                )
            if number >= max_pages:
                raise ClickSendError(f"ClickSend's GET {path} has more than {max_pages} pages of {page_size}; the app stopped reading there")
            seen.add(cursor)
            query["offset"] = cursor
            number += 1


def _next_cursor(data: dict, path: str) -> Optional[str]:
    """The `offset` cursor of a cursor-paginated answer's next-page link; None on the last page."""
    meta = data.get("_metadata")
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    link = pagination.get("next") if isinstance(pagination, dict) else None
    if not link:
        return None
    cursors = parse_qs(urlsplit(str(link)).query).get("offset") or [""]
    if not cursors[0]:
        raise ClickSendResponseError(f"ClickSend answered GET {path} with a next-page link that has no offset cursor")
    return cursors[0]


def _add_note(err: ClickSendError, note: str) -> None:
    """Append a note to an error's text, before its closing "(nothing was sent)" if it has one."""
    if err.message.endswith(NOTHING_SENT):
        err.message = err.message[: -len(NOTHING_SENT)] + note + NOTHING_SENT
    else:
        err.message += note


def _has_next_page(data: dict, page: int, count: int) -> bool:
    """ClickSend gives last_page; without it, a next_page_url or a full page means there may be more."""
    last = _as_int(data.get("last_page"), 0)
    if last:
        return page < last
    return bool(data.get("next_page_url")) or count >= consts.PAGE_LIMIT


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _announced(pages: Iterable[int], before_page: Optional[Callable[[int], None]]) -> Iterator[int]:
    """The page numbers, each told to before_page as it is about to be asked for."""
    for page in pages:
        if before_page is not None:
            before_page(page)
        yield page


def _announced_each(paths: Iterable[str], before_page: Optional[Callable[[int], None]]) -> Iterator[str]:
    """The paths, the first page of each told to before_page as it is about to be asked for."""
    for path in paths:
        if before_page is not None:
            before_page(1)
        yield path

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""ClickSend's REST v3 protocol for the app. Knows nothing about SOAR: it sends requests and raises ClickSendError.

On top of the hardened transport (clicksend_transport: one bounded attempt) it knows ClickSend's ways: the JSON
envelope, the error answers and what they mean for a send, which requests may be tried again and when, and the one
concurrency helper the list reads share (map_ordered, from clicksend_parallel; the reads are in clicksend_pages).

Every error's str() is one sentence a SOAR user can act on. No message, log line or exception text ever contains
the API key, the Authorization header or a request body: every text taken from an answer is masked
(clicksend_masking) before it is cut. A send is retried only when ClickSend certainly did not process it (429, or a
connection that never completed), so nothing is sent twice.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Iterable, Iterator
from typing import Any, Callable, Optional

import requests

import clicksend_consts as consts
from clicksend_errors import (
    ClickSendConnectionError,
    ClickSendError,
    ClickSendHTTPError,
    ClickSendResponseError,
    InvalidPathValue,
    add_note,
    outcome_text,
)
from clicksend_masking import Secrets, one_line
from clicksend_parallel import Workers
from clicksend_transport import Transport
from clicksend_urls import check_path, normalise_base_url


# the errors a caller of the client handles, importable from here
__all__ = [
    "ClickSendClient",
    "ClickSendConnectionError",
    "ClickSendError",
    "ClickSendHTTPError",
    "ClickSendResponseError",
    "InvalidPathValue",
]

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


def _not_a_number(_: str) -> None:
    return None


def _finite(text: str) -> Optional[float]:
    number = float(text)
    return number if math.isfinite(number) else None


def _json(response: requests.Response) -> Any:
    """The answer's JSON with NaN, Infinity and numbers too large for a float read as null: a result holding them
    would not be JSON, and SOAR stores results as JSON."""
    return response.json(parse_constant=_not_a_number, parse_float=_finite)


# --- texts from answers ------------------------------------------------------------------------------------------

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


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


def pause(seconds: float) -> None:
    """The wait before a retry, looked up when each client is made (a test records it instead of waiting)."""
    time.sleep(seconds)


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
        sleep: Optional[Callable[[float], None]] = None,
    ):
        self.base_url = normalise_base_url(base_url)
        self.username = username
        # what a text or data from a server must never show, whatever it echoes: every form of the key
        self._secrets = Secrets(username, api_key)
        self.timeout = timeout
        self._log = log or (lambda line: None)
        self._sleep = sleep or pause  # the wait between attempts (time.sleep; tests may record it instead)
        self.transport = Transport(self.base_url, (username, api_key), self._secrets, timeout, verify, session, self._log)
        self.session = self.transport.session
        self.throttle = self.transport.throttle
        self.verify = verify
        # a sentence for test connectivity and each result when the certificate is not checked; "" when it is
        self.tls_warning = "" if verify else consts.MSG_TLS_VERIFY_OFF
        self.workers = Workers()  # map_ordered's worker threads, made on first use

    def __repr__(self) -> str:
        return f"ClickSendClient(base_url={self.base_url!r}, username={self.username!r})"

    def close(self) -> None:
        self.workers.close()
        self.transport.close()

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

    def media_head(self, url: str):
        """A URL outside ClickSend asked with HEAD: its media type and Content-Length, each when it can be told (see
        clicksend_transport.Transport.media_head)."""
        return self.transport.media_head(url)

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
        check_path(path, label)
        waited = 0.0
        for attempt in range(1, consts.RETRY_MAX_ATTEMPTS + 1):
            try:
                response = self.transport.send(method, path, params, json_body, label, idempotent)
            except ClickSendConnectionError as err:
                delay = self._backoff(attempt)
                if not err.retryable or not (idempotent or err.never_sent):
                    raise
                if not self._may_retry(attempt, waited, delay):
                    add_note(err, f"; gave up after {attempt} attempts and {waited:.0f} s of waiting")
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
                    add_note(err, note)
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

    # --- answers ------------------------------------------------------------------------------------------

    def _excerpt(self, response: requests.Response) -> str:
        """A short, single-line excerpt of a non-JSON body: the HTML title if there is one. Linear and bounded."""
        head = response.content[: consts.ERROR_SCAN_CHARS * 4]
        try:
            text = head.decode(response.encoding or "utf-8", "replace")
        except (LookupError, UnicodeError):  # a charset Python lacks, or a codec that fails whatever the errors mode (idna)
            text = head.decode("utf-8", "replace")
        text = self._secrets.cut(text, consts.ERROR_SCAN_CHARS)
        title = one_line(_html_title(text))
        snippet = title or one_line(_strip_tags(text)) or one_line(text)  # a page of nothing but tags is quoted as is
        return self._secrets.cut(snippet, consts.ERROR_EXCERPT_CHARS) or "(empty body)"

    def _field_errors(self, data: Any) -> str:
        """ClickSend's 400 answers may map field names to messages."""
        if not isinstance(data, dict):
            return ""
        parts = []
        size = 0
        for key, value in data.items():
            if isinstance(value, (str, int, float)):
                part = f"{self._secrets.clean(key, consts.ERROR_SCAN_CHARS)}: {self._secrets.clean(value, consts.ERROR_SCAN_CHARS)}"
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
                f"{self._excerpt(response)}" + ("" if idempotent else outcome_text(False, False)),
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
        location = self._secrets.clean(response.headers.get("Location"), consts.REDIRECT_LOCATION_CHARS)
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
        reason = self._secrets.clean(response.reason, 60)
        if body is not None:
            code = self._secrets.clean(body.get("response_code"), 60)
            msg = self._secrets.clean(body.get("response_msg"), consts.ERROR_EXCERPT_CHARS)
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
        text += outcome_text(idempotent, not maybe) if not idempotent else ""
        data = self.redact_data(body.get("data")) if body else None
        return ClickSendHTTPError(text, status, code, msg, data, outcome_unknown=maybe)

    # --- many requests at once ----------------------------------------------------------------------------

    # --- many requests at once ----------------------------------------------------------------------------

    def map_ordered(
        self, fn: Callable[[Any], Any], items: Iterable, dropped: Optional[Callable[[Any], None]] = None, probe: bool = True
    ) -> Iterator:
        """fn(item) for every item, in order, several at once (see clicksend_parallel.Workers.map_ordered)."""
        return self.workers.map_ordered(fn, items, dropped, probe)

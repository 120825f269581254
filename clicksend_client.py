# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""HTTP client for ClickSend REST v3. Knows nothing about SOAR: it sends requests and raises ClickSendError.

Every error's str() is one sentence a SOAR user can act on. No message, log line or exception text ever
contains the API key, the Authorization header or a request body.
"""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import random
import re
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError  # both in urllib3 1.26 and 2.x

import clicksend_consts as consts


IDEMPOTENT_METHODS = ("GET", "PUT", "DELETE")
# 5xx answers from a gateway can come after the request was passed on to ClickSend
MAYBE_PROCESSED_STATUSES = (500, 502, 504)
HTTP_HINTS = {
    401: "check the asset's username and API key",
    403: "the ClickSend account is not allowed to do this (inactive, banned or missing permission)",
    404: "ClickSend does not know it",
    429: "ClickSend is rate-limiting this account",
}


class ClickSendError(Exception):
    """Base error. `outcome_unknown` is true when the request may have changed something at ClickSend."""

    def __init__(self, message: str, outcome_unknown: bool = False):
        super().__init__(message)
        self.message = message
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        return self.message


class ClickSendHTTPError(ClickSendError):
    """ClickSend (or a proxy in front of it) answered with an HTTP error status."""

    def __init__(self, message: str, status: int, response_code: str = "", response_msg: str = "", data: Any = None, **kw: Any):
        super().__init__(message, **kw)
        self.status = status
        self.response_code = response_code
        self.response_msg = response_msg
        self.data = data


class ClickSendConnectionError(ClickSendError):
    """No usable answer: connection refused or reset, DNS failure, TLS failure or timeout."""

    def __init__(self, message: str, outcome_unknown: bool = False, retryable: bool = True):
        super().__init__(message, outcome_unknown)
        self.retryable = retryable  # a timeout already cost the asset's whole timeout: it is not tried again


class ClickSendResponseError(ClickSendError):
    """An answer that is not ClickSend's JSON envelope, or whose data has an unexpected shape."""


def is_loopback_host(host: str) -> bool:
    if host.lower() in consts.LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_base_url(raw: Any) -> str:
    """Check the asset's base_url and return it without a trailing slash. Raises ValueError with the reason."""
    url = str(raw or "").strip().rstrip("/")
    if not url:
        return consts.DEFAULT_BASE_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("base_url must be an http(s) URL such as https://rest.clicksend.com/v3")
    if parts.username or parts.password:
        raise ValueError("base_url must not contain credentials: put them in the username and key fields")
    if parts.query or parts.fragment:
        raise ValueError("base_url must not contain a query string or fragment")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError("base_url must use https (plain http is allowed only for a loopback host such as 127.0.0.1)")
    return url


def _failed_to_connect(exc: BaseException) -> bool:
    """True when the request certainly never reached the server (refused, DNS, connect timeout)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (NewConnectionError, ConnectTimeoutError, requests.exceptions.ConnectTimeout)):
            return True
        nested = getattr(exc, "reason", None)
        exc = nested if isinstance(nested, BaseException) else (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None)
        seen += 1
    return False


def _retry_after_seconds(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _excerpt(text: str) -> str:
    """A short, single-line excerpt of a non-JSON body: the HTML title if there is one."""
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    snippet = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
    snippet = " ".join(snippet.split())[: consts.ERROR_EXCERPT_CHARS]
    return snippet or "(empty body)"


class ClickSendClient:
    """One requests.Session per run, HTTP Basic auth, a timeout on every request, GET/PUT/DELETE retries."""

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
        # what an error text must never show, whatever a server echoes: the key and the Basic token built from it
        token = base64.b64encode(f"{username}:{api_key}".encode()).decode()
        self._secrets = tuple(secret for secret in (api_key, token) if secret)
        self.timeout = timeout
        self._log = log or (lambda line: None)
        self._sleep = sleep
        self.session = session or requests.Session()
        self.session.auth = (username, api_key)
        # passed on every request: a session-level verify=False loses to REQUESTS_CA_BUNDLE, which SOAR sets
        self.verify = verify
        self.session.headers.update({"User-Agent": consts.USER_AGENT, "Accept": "application/json"})

    def __repr__(self) -> str:
        return f"ClickSendClient(base_url={self.base_url!r}, username={self.username!r})"

    def close(self) -> None:
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
        self, method: str, path: str, params: Optional[dict] = None, json_body: Optional[dict] = None, idempotent: Optional[bool] = None
    ) -> dict:
        """Send one request (retrying only where it cannot act twice) and return ClickSend's envelope."""
        try:
            return self._request(method, path, params, json_body, idempotent)
        except ClickSendError as err:
            err.message = self.redact(err.message)
            raise

    def redact(self, text: str) -> str:
        """The text with the API key and the Basic token masked (a server may echo either in an error body)."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _request(self, method: str, path: str, params: Optional[dict], json_body: Optional[dict], idempotent: Optional[bool]) -> dict:
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        label = f"{method} {path}"
        waited = 0.0
        for attempt in range(1, consts.RETRY_MAX_ATTEMPTS + 1):
            try:
                response = self._send(method, path, params, json_body, label, idempotent)
            except ClickSendConnectionError as err:
                delay = self._backoff(attempt)
                if not idempotent or not err.retryable:
                    raise
                if not self._may_retry(attempt, waited, delay):
                    err.message += f"; gave up after {attempt} attempts and {waited:.0f} s of waiting"
                    raise
                self._log(f"{label}: connection failed, retry {attempt} in {delay:.1f} s")
            else:
                if response.status_code not in consts.RETRY_STATUSES or not idempotent:
                    return self._parse(response, label, idempotent)
                asked = _retry_after_seconds(response.headers.get("Retry-After"))
                delay = asked if asked is not None else self._backoff(attempt)
                if not self._may_retry(attempt, waited, delay):
                    err = self._parse_error(response, label, idempotent)
                    if asked is not None and asked > consts.RETRY_MAX_WAIT:
                        err.message += (
                            f"; ClickSend asked to retry after {asked:.0f} s, longer than the app waits ({consts.RETRY_MAX_WAIT:.0f} s)"
                        )
                    else:
                        err.message += f"; gave up after {attempt} attempts and {waited:.0f} s of waiting"
                    raise err
                self._log(f"{label}: HTTP {response.status_code}, retry {attempt} in {delay:.1f} s")
            self._sleep(delay)
            waited += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _may_retry(self, attempt: int, waited: float, delay: float) -> bool:
        return attempt < consts.RETRY_MAX_ATTEMPTS and delay <= consts.RETRY_MAX_WAIT and waited + delay <= consts.RETRY_TOTAL_BUDGET

    @staticmethod
    def _backoff(attempt: int) -> float:
        return consts.RETRY_BACKOFF_BASE * (2 ** (attempt - 1)) * (1 + random.random() / 4)

    def _send(self, method: str, path: str, params: Optional[dict], json_body: Optional[dict], label: str, idempotent: bool):
        url = f"{self.base_url}/{path}"
        started = time.monotonic()
        try:
            response = self.session.request(method, url, params=params, json=json_body, timeout=self.timeout, verify=self.verify)
            # read the whole body here, so a connection reset mid-body is a connection error too
            _ = response.content
        except requests.exceptions.Timeout as exc:
            never_sent = _failed_to_connect(exc)
            raise ClickSendConnectionError(
                f"ClickSend did not answer {label} within {self.timeout:g} s" + self._outcome_text(idempotent, never_sent),
                outcome_unknown=not never_sent and not idempotent,
                retryable=False,
            ) from None
        except requests.exceptions.SSLError:
            raise ClickSendConnectionError(
                f"TLS handshake with {urlsplit(url).hostname} failed for {label}: check the certificate or the asset's verify_server_cert",
                retryable=False,
            ) from None
        except requests.exceptions.RequestException as exc:
            never_sent = _failed_to_connect(exc)
            what = "could not connect to" if never_sent else "lost the connection to"
            raise ClickSendConnectionError(
                f"The app {what} ClickSend at {urlsplit(url).netloc} during {label}" + self._outcome_text(idempotent, never_sent),
                outcome_unknown=not never_sent and not idempotent,
            ) from None
        self._log(f"{label} -> HTTP {response.status_code} in {time.monotonic() - started:.2f} s")
        return response

    @staticmethod
    def _outcome_text(idempotent: bool, never_sent: bool) -> str:
        if idempotent:
            return ""
        if never_sent:
            return " (nothing was sent)"
        return "; the request may have reached ClickSend, so its outcome is unknown: check ClickSend's history before trying again"

    # --- answers ------------------------------------------------------------------------------------------

    def _decode(self, response: requests.Response) -> Optional[dict]:
        try:
            body = response.json()
        except ValueError:
            return None
        if isinstance(body, dict) and ("response_code" in body or "http_code" in body):
            return body
        return None

    def _parse(self, response: requests.Response, label: str, idempotent: bool) -> dict:
        if response.status_code >= 400:
            raise self._parse_error(response, label, idempotent)
        body = self._decode(response)
        if body is None:
            raise ClickSendResponseError(
                f"ClickSend answered {label} with HTTP {response.status_code} but not with its JSON envelope: "
                f"{_excerpt(response.text)}" + ("" if idempotent else self._outcome_text(False, False)),
                outcome_unknown=not idempotent,
            )
        body.setdefault("data", None)
        return body

    def _parse_error(self, response: requests.Response, label: str, idempotent: bool) -> ClickSendHTTPError:
        status = response.status_code
        body = self._decode(response)
        maybe = not idempotent and status in MAYBE_PROCESSED_STATUSES
        if body is not None:
            code = str(body.get("response_code") or "")
            msg = str(body.get("response_msg") or "").strip()
            detail = f"{code}: {msg}" if msg else code or response.reason or "no detail"
            details = _field_errors(body.get("data"))
            if details:
                detail += f" ({details})"
        else:
            code, msg = "", ""
            detail = f"{response.reason or 'error'}, non-JSON body: {_excerpt(response.text)}"
        text = f"ClickSend refused {label} with HTTP {status} {detail}"
        hint = HTTP_HINTS.get(status)
        if hint:
            text += f"; {hint}"
        text += self._outcome_text(idempotent, not maybe) if not idempotent else ""
        return ClickSendHTTPError(text, status, code, msg, body.get("data") if body else None, outcome_unknown=maybe)

    # --- list reads ---------------------------------------------------------------------------------------

    def iter_items(self, path: str, params: Optional[dict] = None, max_pages: int = consts.MAX_PAGES) -> Iterator[dict]:
        """Yield every item of a paginated list endpoint, reading page after page at ClickSend's largest page size."""
        page = 1
        while True:
            query = dict(params or {}, page=page, limit=consts.PAGE_LIMIT)
            data = self.get(path, query)
            if data is None or data == []:
                return  # some list endpoints answer an empty collection with data [] or null instead of a page
            items = data.get("data") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise ClickSendResponseError(f"ClickSend answered GET {path} (page {page}) without a list of items")
            yield from items
            if not items or not _has_next_page(data, page, len(items)):
                return
            if page >= max_pages:
                raise ClickSendError(
                    f"GET {path} has more than {max_pages} pages of {consts.PAGE_LIMIT}; the app stopped reading there to stay bounded"
                )
            page += 1


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


def _field_errors(data: Any) -> str:
    """ClickSend's 400 answers may map field names to messages."""
    if not isinstance(data, dict):
        return ""
    parts = [f"{key}: {value}" for key, value in data.items() if isinstance(value, (str, int, float))]
    return "; ".join(parts)[: consts.ERROR_EXCERPT_CHARS]

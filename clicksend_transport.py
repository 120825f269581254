# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The hardened transport under the ClickSend client: one attempt of one request, bounded whatever the server does.

What a hostile or broken server cannot do to it:
- hold a request longer than the asset's timeout: the timeout bounds each attempt whole (connect, TLS, sending,
  headers and body), not each socket read (see Attempt);
- make it read an unbounded answer: bodies are read as a stream and capped at MAX_BODY_BYTES, gzip and deflate
  decoded here with the same cap;
- send it elsewhere: redirects are never followed, and a HEAD to a URL outside ClickSend carries no credentials.

Every request of every thread shares the one Session (its pool holds MAX_IN_FLIGHT connections) and the Throttle
(at most MAX_IN_FLIGHT attempts in flight, halved after a 429); the attempt in progress is per thread. A failure is
raised as a ClickSendConnectionError or ClickSendResponseError whose text says whether a send may have gone out.
Knows nothing of ClickSend's envelope or of retries: that is the client's job.
"""

from __future__ import annotations

import base64
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from http.client import HTTPException
from typing import Any, Callable, NamedTuple, Optional
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError  # both in urllib3 1.26 and 2.x

import clicksend_consts as consts
from clicksend_errors import ClickSendConnectionError, ClickSendResponseError, outcome_text
from clicksend_masking import Secrets, one_line


class NoAuth(AuthBase):
    """For a request to a host that is not ClickSend: the session's credentials must not go with it."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.pop("Authorization", None)
        return request


class BasicAuth(AuthBase):
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
        return "BasicAuth(***)"


# --- what failed ------------------------------------------------------------------------------------------------


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


_CURRENT = threading.local()


def _current_attempt() -> Optional[Attempt]:
    return getattr(_CURRENT, "attempt", None)


def _shut(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or never connected


class MediaHead(NamedTuple):
    """A media URL's answer to HEAD (Transport.media_head)."""

    content_type: str  # "" when it cannot be told
    length: Optional[int]  # bytes, by Content-Length; None when unknown


class Attempt:
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
        self._outer: Optional[Attempt] = None
        self._timer = threading.Timer(max(0.0, self.timeout), self.expire)
        self._timer.daemon = True

    def __enter__(self) -> Attempt:
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


def _watched_connection(base: type) -> type:
    """urllib3's connection class `base`, made to tell the attempt in progress of each new socket and of connect's end.
    (A subclass made here rather than a mixin: each method's super() then names a class that has it.)"""

    class WatchedConnection(base):  # type: ignore[misc, valid-type]
        def _new_conn(self) -> Any:
            attempt = _current_attempt()
            if attempt is not None:
                attempt.tracked = True
                timeout = getattr(self, "timeout", None)
                if isinstance(timeout, (int, float)) and attempt.remaining() < timeout:
                    self.timeout = max(attempt.remaining(), 0.001)
            sock = super()._new_conn()
            if attempt is not None:
                attempt.watch(sock)
            return sock

        def connect(self) -> None:
            super().connect()
            attempt = _current_attempt()
            if attempt is not None:
                attempt.ready = True

    WatchedConnection.__name__ = WatchedConnection.__qualname__ = f"Watched{base.__name__}"
    return WatchedConnection


def _watched_pool(base: type, connection: type) -> type:
    """urllib3's pool class `base` making `connection`s, made to register a reused keep-alive connection with the
    attempt in progress too."""

    class WatchedPool(base):  # type: ignore[misc, valid-type]
        ConnectionCls = connection

        def _get_conn(self, timeout: Optional[float] = None) -> Any:
            conn = super()._get_conn(timeout)
            attempt = _current_attempt()
            if attempt is not None:
                attempt.tracked = True
                sock = getattr(conn, "sock", None)
                if sock is not None:
                    attempt.ready = True
                    attempt.watch(sock)
            return conn

    WatchedPool.__name__ = WatchedPool.__qualname__ = f"Watched{base.__name__}"
    return WatchedPool


_DEFAULT_POOLS = {"http": HTTPConnectionPool, "https": HTTPSConnectionPool}
_WATCHED_POOLS = {
    "http": _watched_pool(HTTPConnectionPool, _watched_connection(HTTPConnection)),
    "https": _watched_pool(HTTPSConnectionPool, _watched_connection(HTTPSConnection)),
}


def _use_watched_pools(manager: Any) -> None:
    if getattr(manager, "pool_classes_by_scheme", None) == _DEFAULT_POOLS:  # a SOCKS proxy manager keeps its own
        manager.pool_classes_by_scheme = dict(_WATCHED_POOLS)


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter with pools whose connections report to the attempt in progress (see Attempt)."""

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
    raise _BodyUnreadable(f"its Content-Encoding {one_line(coding)!r} is not gzip or deflate")  # cut (after masking) by the caller


def _content_length(header: Optional[str]) -> Optional[int]:
    text = (header or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) < 19 else consts.MAX_BODY_BYTES * 1024


def _read_body(response: requests.Response, attempt: Attempt) -> bytes:
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


def _no_redirect_target(_response: requests.Response) -> None:
    return None


_CLOSE = {"Connection": "close"}
_TRANSPORT_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, HTTPException, OSError)


# --- requests in flight ----------------------------------------------------------------------------------------


class Throttle:
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


# --- the transport -------------------------------------------------------------------------------------------------


class Transport:
    """One requests.Session per run with HTTP Basic auth, a deadline on every attempt, a capped body, no redirects."""

    def __init__(self, base_url: str, credentials: tuple, secrets: Secrets, timeout: float, verify: bool, session: Any, log: Callable):
        """`credentials` is (username, API key); `session` a requests.Session to use, or None for a new one."""
        username, api_key = credentials
        self.base_url = base_url
        self.timeout = timeout
        self._secrets = secrets
        self._log = log
        self.session = session or requests.Session()
        self.session.auth = BasicAuth(username, api_key)
        # requests reads a redirect's whole body (unbounded) to prepare the next hop even with allow_redirects=False:
        # with no redirect target it leaves the body to _read_body and its cap. The app never follows redirects.
        self.session.get_redirect_target = _no_redirect_target
        # one pool per scheme and host, each with a connection for every request that may be in flight at once
        adapter = DeadlineAdapter(pool_connections=consts.MAX_IN_FLIGHT, pool_maxsize=consts.MAX_IN_FLIGHT)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        # passed on every request: a session-level verify=False loses to REQUESTS_CA_BUNDLE, which SOAR sets
        self.verify = verify
        self.session.headers.update({"User-Agent": consts.USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip, deflate"})
        self.throttle = Throttle(consts.MAX_IN_FLIGHT)

    def close(self) -> None:
        self.session.close()

    def send(self, method: str, path: str, params: Optional[dict], json_body: Optional[dict], label: str, idempotent: bool):
        """One attempt: the response with its whole body read (and decoded) into response.content."""
        url = f"{self.base_url}/{path}"
        failure: Optional[BaseException] = None
        response = None
        with self.throttle, Attempt(self.timeout) as attempt:  # a place in flight first: the deadline starts when it sends
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
                f"ClickSend did not answer {label} within {self.timeout:g} s" + outcome_text(idempotent, never_sent),
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

    def media_head(self, url: str) -> MediaHead:
        """What a URL outside ClickSend says of itself in answer to HEAD: its media type ("" when it cannot be told) and
        its Content-Length (None when missing, unreadable or not a plain count of bytes). No credentials go with it, no
        redirect is followed, no body is read, and the asset's timeout bounds it whole; a failure is ("", None)."""
        response = None
        # a session of its own, closed at once: no connection to a host outside ClickSend joins the pool, where one the
        # host closed silently could fail the next request to that host (a send, whose outcome would then be unknown)
        outside = self._outside_session()
        with Attempt(self.timeout):
            try:
                response = outside.head(url, auth=NoAuth(), headers=_CLOSE, timeout=self.timeout, verify=self.verify, allow_redirects=False)
            except _TRANSPORT_ERRORS:
                return MediaHead("", None)
            finally:
                if response is not None:
                    response.close()
                outside.close()
        if response.status_code >= 300:
            return MediaHead("", None)
        kind = str(response.headers.get("Content-Type") or "").split(";")[0].strip().lower()[:100]
        length = str(response.headers.get("Content-Length") or "").strip()
        # digits only (no sign, no list of values), and few enough to be a size: anything else says nothing
        return MediaHead(kind, int(length) if length.isascii() and length.isdigit() and len(length) <= 15 else None)

    def _outside_session(self) -> requests.Session:
        """A session for one request to a host outside ClickSend: the run's proxies, headers and deadline, no credentials."""
        session = requests.Session()
        session.get_redirect_target = _no_redirect_target
        adapter = DeadlineAdapter(pool_connections=1, pool_maxsize=1)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers.update(self.session.headers)
        session.proxies.update(self.session.proxies)
        session.trust_env = self.session.trust_env
        return session

    def _unreadable_error(self, problem: _BodyProblem, response: Any, label: str, idempotent: bool) -> ClickSendResponseError:
        status = f"HTTP {response.status_code}"
        if isinstance(problem, _BodyTooLarge):
            text = f"ClickSend answered {label} with {status} and a body larger than the {consts.MAX_BODY_BYTES // 2**20} MB the app reads"
        else:
            text = f"ClickSend answered {label} with {status} and a body the app cannot read: {self._secrets.clean(problem, 120)}"
        return ClickSendResponseError(text + outcome_text(idempotent, False), outcome_unknown=not idempotent)

    def _transport_error(self, exc: BaseException, attempt: Attempt, url: str, label: str, idempotent: bool) -> ClickSendConnectionError:
        # which phase failed: from the app's own connection pool when it served the attempt, else from the exception
        never_sent = not attempt.ready if attempt.tracked else _failed_to_connect(exc)
        outcome = outcome_text(idempotent, never_sent)
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

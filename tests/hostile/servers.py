"""The hostile behaviours, each as a function returning a HostileServer (use it in a `with` block)."""

from __future__ import annotations

import functools
import json
import socket
import ssl
import zlib
from typing import Any, Callable, Optional, Union

from tests.hostile.server import Connection, HostileServer, Request


def envelope(data: Any = None, msg: str = "Here are your data.", code: str = "SUCCESS", http: int = 200) -> bytes:
    return json.dumps({"http_code": http, "response_code": code, "response_msg": msg, "data": data}).encode()


OK_BODY = envelope({"messages": [{"message_id": "AAAA-1", "status": "SUCCESS", "to": "+61411111111"}], "total_count": 1})


def answering(status: int = 200, body: bytes = OK_BODY, headers: Optional[dict] = None, tls: Optional[ssl.SSLContext] = None) -> HostileServer:
    """Answers every request (keep-alive) with the same answer: a well-behaved server, or a recorder of what came."""

    def behaviour(conn: Connection) -> None:
        while conn.read_request() is not None:
            conn.respond(status, body, headers, keep_alive=True)

    return HostileServer(behaviour, tls=tls, name="answering")


def recorder(tls: Optional[ssl.SSLContext] = None) -> HostileServer:
    """Records every request it receives (server.requests) and answers each with a success envelope."""
    return answering(tls=tls)


def drip_body(interval: float = 0.2, body: bytes = OK_BODY, status: int = 200) -> HostileServer:
    """Headers at once (with the body's Content-Length), then the body one byte every `interval` seconds."""

    def behaviour(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        conn.send(conn.head(status, {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close"}))
        conn.drip(body, interval)

    return HostileServer(behaviour, name="drip-body")


def drip_headers(interval: float = 0.2, body: bytes = OK_BODY) -> HostileServer:
    """The whole answer, status line and headers included, one byte every `interval` seconds."""

    def behaviour(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        answer = conn.head(200, {"Content-Type": "application/json", "Content-Length": str(len(body)), "Connection": "close"}) + body
        conn.drip(answer, interval)

    return HostileServer(behaviour, name="drip-headers")


def huge_body(megabytes: int = 300, content_length: bool = True, status: int = 200) -> HostileServer:
    """A body of `megabytes` MB: JSON whitespace then an envelope, so a client that reads it all sees valid JSON.
    Without content_length the body ends when the connection closes."""
    tail = OK_BODY
    block = b" " * (1 << 16)
    size = megabytes << 20

    def behaviour(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if content_length:
            headers["Content-Length"] = str(size)
        conn.send(conn.head(status, headers))
        sent = 0
        while sent < size - len(tail) and not conn.stopping:
            part = block[: min(len(block), size - len(tail) - sent)]
            conn.send(part)
            sent += len(part)
        conn.send(tail)

    return HostileServer(behaviour, name="huge-body")


def endless_chunked(chunk_bytes: int = 1 << 16) -> HostileServer:
    """A chunked answer that never ends (until the client leaves or the server stops)."""
    chunk = f"{chunk_bytes:x}\r\n".encode() + b" " * chunk_bytes + b"\r\n"

    def behaviour(conn: Connection) -> None:
        if conn.read_request() is None:
            return
        conn.send(conn.head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
        while not conn.stopping:
            conn.send(chunk)

    return HostileServer(behaviour, name="endless-chunked")


@functools.lru_cache(maxsize=4)
def bomb_bytes(megabytes: int) -> bytes:
    """gzip data that decompresses to `megabytes` MB of JSON whitespace followed by an envelope (compressed once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b" " * (1 << 20)
    parts = [packer.compress(block) for _ in range(megabytes)]
    parts.append(packer.compress(OK_BODY))
    parts.append(packer.flush())
    return b"".join(parts)


def compressed(body: bytes, coding: str) -> bytes:
    if coding == "gzip":
        packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    elif coding == "deflate-raw":
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    else:
        packer = zlib.compressobj(6)
    return packer.compress(body) + packer.flush()


def encoded(body: bytes = OK_BODY, coding: str = "gzip", status: int = 200) -> HostileServer:
    """Answers with the body compressed as `coding` (gzip, deflate, deflate-raw sent as deflate, or an unknown name
    with the body as is)."""
    data = compressed(body, coding) if coding in ("gzip", "deflate", "deflate-raw") else body
    name = "deflate" if coding == "deflate-raw" else coding
    return answering(status, data, {"Content-Encoding": name})


def gzip_bomb(megabytes: int = 64) -> HostileServer:
    """A small gzip body (about 1/1000 of `megabytes`) that decompresses to `megabytes` MB."""
    return answering(200, bomb_bytes(megabytes), {"Content-Encoding": "gzip"})


def redirect(location: Union[str, Callable[[Request], str]], status: int = 307, tls: Optional[ssl.SSLContext] = None) -> HostileServer:
    """Answers every request with a redirect to `location` (or location(request): e.g. the same path elsewhere)."""

    def behaviour(conn: Connection) -> None:
        request = conn.read_request()
        if request is None:
            return
        target = location(request) if callable(location) else location
        conn.respond(status, b"moved", {"Location": target.encode("utf-8"), "Content-Type": "text/plain"})

    return HostileServer(behaviour, tls=tls, name="redirect")


def same_path_on(other: HostileServer) -> Callable[[Request], str]:
    return lambda request: other.root + request.path


def tls_abort_after_request(tls: ssl.SSLContext, mode: str = "garbage", serve_first: int = 0) -> HostileServer:
    """Completes the TLS handshake, answers `serve_first` requests normally (keep-alive), reads the next request
    whole, then breaks the TLS connection: "garbage" writes a bogus TLS record, "eof" closes without close_notify,
    "reset" resets the TCP connection."""

    def behaviour(conn: Connection) -> None:
        for _ in range(serve_first):
            if conn.read_request() is None:
                return
            conn.respond(200, OK_BODY, keep_alive=True)
        if conn.read_request() is None:
            return
        if mode == "garbage":
            socket.socket.sendall(conn.sock, b"\x17\x03\x03\x00\x10" + b"\x00" * 16)  # application data no key decrypts
            socket.socket.shutdown(conn.sock, socket.SHUT_RDWR)
        elif mode == "eof":
            socket.socket.shutdown(conn.sock, socket.SHUT_RDWR)
        else:
            conn.abort()

    return HostileServer(behaviour, tls=tls, name="tls-abort")


def tls_handshake_failure() -> HostileServer:
    """Reads the client's hello and answers with a fatal handshake_failure alert: the handshake never completes."""

    def behaviour(conn: Connection) -> None:
        if conn.sock.recv(65536):
            conn.send(b"\x15\x03\x03\x00\x02\x02\x28")  # alert, TLS 1.2, fatal, handshake_failure

    return HostileServer(behaviour, name="tls-handshake-failure")


def tls_drip_handshake(interval: float = 0.1) -> HostileServer:
    """Reads the client's hello, then drips the start of a huge handshake record one byte every `interval` seconds:
    each read of the client's handshake returns in time, the handshake never ends."""

    def behaviour(conn: Connection) -> None:
        if conn.sock.recv(65536):
            conn.drip(b"\x16\x03\x03\x40\x00" + b"\x02" * 200, interval)

    return HostileServer(behaviour, name="tls-drip-handshake")


def straddle(before: str, secret: str, at: int) -> str:
    """`before` padded with filler so that `secret` starts `at` characters in (it straddles a cut at at + a few)."""
    return before + "z" * max(0, at - len(before)) + secret


def echo_key(kind: str = "json", status: Optional[int] = None, at: int = 190) -> HostileServer:
    """Echoes the key and the Basic token it received into an error answer, the key starting `at` characters into
    the texts the client cuts at 200 (the message, a field error, the HTML text). kind: "json" (a ClickSend error
    envelope, the key also in data keys and values) or "html" (an error page)."""

    def behaviour(conn: Connection) -> None:
        while True:
            request = conn.read_request()
            if request is None:
                return
            _user, key = request.credentials()
            token = request.basic_token
            if kind == "json":
                data = {"api_key": straddle("", key, at - len("api_key: ")), "token": token, key: "the key as a field name"}
                body = envelope(data, straddle("", key, at) + f" sent as Basic {token}", "BAD_REQUEST", status or 400)
                conn.respond(status or 400, body, keep_alive=True)
            else:
                text = straddle("<html><head></head><body>", key, at + len("<html><head></head><body>")) + f" Basic {token}</body></html>"
                conn.respond(status or 500, text.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}, keep_alive=True)

    return HostileServer(behaviour, name=f"echo-key-{kind}")


def rate_limited(retry_after: tuple = ("1",), then: bytes = OK_BODY, status: int = 429) -> HostileServer:
    """The first len(retry_after) requests get `status` with that Retry-After (str, or bytes sent raw; None: no
    header); the ones after are answered with `then`."""

    def behaviour(conn: Connection) -> None:
        while True:
            request = conn.read_request()
            if request is None:
                return
            with conn.server.lock:
                number = conn.server.state.get("count", 0)
                conn.server.state["count"] = number + 1
            if number < len(retry_after):
                headers = {} if retry_after[number] is None else {"Retry-After": retry_after[number]}
                conn.respond(status, envelope(None, "Too many requests", "TOO_MANY_REQUESTS", status), headers, keep_alive=True)
            else:
                conn.respond(200, then, keep_alive=True)

    return HostileServer(behaviour, name="rate-limited")


def pathological_html(size: int = 280 * 1024, status: int = 500) -> HostileServer:
    """An error page of `size` bytes: an unclosed <title> and then '<' after '<' with no '>'."""
    page = ("<html><head><title>" + "<a" * ((size - 19) // 2)).encode()
    return answering(status, page, {"Content-Type": "text/html; charset=utf-8"})

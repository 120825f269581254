"""The hostile servers themselves: each does what it says, and leaves no thread or listening port behind."""

import base64
import json
import socket
import threading
import zlib

import pytest

from tests import hostile


def exchange(server, request=b"GET /v3/account HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", want=4096, seconds=2.0):
    """Send a raw request, read until `want` bytes came, the server closed, or `seconds` passed."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=seconds) as sock:
        sock.sendall(request)
        data = b""
        try:
            while len(data) < want:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        return data


@pytest.mark.parametrize(
    ("factory", "starts"),
    [
        (lambda: hostile.drip_body(interval=0.01), b"HTTP/1.1 200"),
        (lambda: hostile.drip_headers(interval=0.002), b"HTTP/1.1 200"),
        (lambda: hostile.huge_body(1, content_length=False), b"HTTP/1.1 200"),
        (hostile.endless_chunked, b"HTTP/1.1 200"),
        (lambda: hostile.gzip_bomb(2), b"HTTP/1.1 200"),
        (lambda: hostile.redirect("http://127.0.0.1:9/x"), b"HTTP/1.1 307"),
        (hostile.echo_key, b"HTTP/1.1 400"),
        (hostile.rate_limited, b"HTTP/1.1 429"),
        (hostile.pathological_html, b"HTTP/1.1 500"),
        (hostile.recorder, b"HTTP/1.1 200"),
    ],
)
def test_a_server_answers_then_closes_without_leaving_threads_or_ports(factory, starts):
    before = set(threading.enumerate())
    with factory() as server:
        assert exchange(server, want=64).startswith(starts)
        port = server.port
    assert not [t for t in set(threading.enumerate()) - before if t.is_alive()]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_a_server_closing_mid_stream_stops_its_threads():
    before = set(threading.enumerate())
    with hostile.endless_chunked() as server, socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.recv(100)
    assert not [t for t in set(threading.enumerate()) - before if t.is_alive()]


def test_the_gzip_bomb_is_small_and_expands_as_promised():
    bomb = hostile.bomb_bytes(4)
    assert len(bomb) < 64 * 1024
    assert len(zlib.decompress(bomb, 16 + zlib.MAX_WBITS)) == 4 * 2**20 + len(hostile.OK_BODY)


def test_the_echo_server_puts_the_key_where_the_cut_falls():
    token = base64.b64encode(b"user:SECRET-KEY-1234").decode()
    with hostile.echo_key("json", at=190) as server:
        request = f"POST /v3/lists HTTP/1.1\r\nAuthorization: Basic {token}\r\nContent-Length: 0\r\n\r\n".encode()
        raw = exchange(server, request, want=10**6, seconds=0.2)
    answer = json.loads(raw.split(b"\r\n\r\n", 1)[1].decode())
    assert answer["response_msg"].index("SECRET-KEY-1234") == 190
    assert ("api_key: " + answer["data"]["api_key"]).index("SECRET-KEY-1234") == 190
    assert token in answer["response_msg"]

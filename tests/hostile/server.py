"""The server the hostile behaviours run in: a loopback listener, one thread per connection, clean shutdown."""

from __future__ import annotations

import base64
import binascii
import json
import socket
import ssl
import struct
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


HOST = "127.0.0.1"
IO_TIMEOUT = 5.0  # no server thread waits longer than this for a client that went quiet


@dataclass
class Request:
    """One request as the server read it."""

    method: str
    path: str
    headers: dict = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None

    @property
    def basic_token(self) -> str:
        value = self.headers.get("authorization", "")
        return value[6:].strip() if value[:6].lower() == "basic " else ""

    def credentials(self) -> tuple:
        """(username, key) from the Basic token, decoded as UTF-8, else latin-1."""
        try:
            raw = base64.b64decode(self.basic_token, validate=True)
        except (binascii.Error, ValueError):
            return "", ""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        user, _, key = text.partition(":")
        return user, key


class Connection:
    """One accepted connection, handed to a behaviour."""

    def __init__(self, server: HostileServer, sock: socket.socket):
        self.server = server
        self.sock = sock
        self._pending = b""

    @property
    def stopping(self) -> bool:
        return self.server.stopping.is_set()

    def read_request(self) -> Optional[Request]:
        """The next request on the connection (recorded in server.requests), or None when the client closed it."""
        data = self._pending
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk or len(data) > 1 << 20:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path = [*lines[0].split(" "), "", ""][:2]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            rest += chunk
        self._pending = rest[length:]
        request = Request(method, path, headers, rest[:length])
        with self.server.lock:
            self.server.requests.append(request)
        return request

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def head(self, status: int, headers: Optional[dict] = None, reason: str = "Whatever") -> bytes:
        lines = [f"HTTP/1.1 {status} {reason}".encode("latin-1")]
        for name, value in (headers or {}).items():
            raw = value if isinstance(value, bytes) else str(value).encode("latin-1")
            lines.append(name.encode("latin-1") + b": " + raw)
        return b"\r\n".join(lines) + b"\r\n\r\n"

    def respond(self, status: int, body: bytes = b"", headers: Optional[dict] = None, keep_alive: bool = False, **kw: Any) -> None:
        """A whole answer with Content-Length; the connection is closed after it unless keep_alive."""
        all_headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        all_headers.update(headers or {})
        if not keep_alive:
            all_headers["Connection"] = "close"
        self.send(self.head(status, all_headers, **kw) + body)

    def drip(self, data: bytes, interval: float) -> None:
        """Send one byte every `interval` seconds, until done, the client leaves or the server stops."""
        for index in range(len(data)):
            if self.server.stopping.wait(interval):
                return
            self.send(data[index : index + 1])

    def abort(self) -> None:
        """Reset the connection (RST, no orderly close)."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.sock.close()


Behaviour = Callable[[Connection], None]


class HostileServer:
    """A loopback server running `behaviour(connection)` for every connection, each in its own thread.

    A context manager: on exit it stops accepting, shuts every open connection down, and joins every thread it
    started (raising if one will not end), so no thread or port outlives the `with` block.
    """

    def __init__(self, behaviour: Behaviour, tls: Optional[ssl.SSLContext] = None, name: str = "hostile"):
        self.behaviour = behaviour
        self.tls = tls
        self.name = name
        self.requests: list = []
        self.connections = 0
        self.state: dict = {}  # a behaviour's counters
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.port = 0
        self._listener: Optional[socket.socket] = None
        self._threads: list = []
        self._open: set = set()

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def root(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """The base_url to give the client."""
        return self.root + "/v3"

    def __enter__(self) -> HostileServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind((HOST, 0))
        listener.listen(64)
        listener.settimeout(0.05)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._start(self._accept, "accept")
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self.stopping.set()
        with self.lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in list(self._threads):
            thread.join(IO_TIMEOUT + 1)
        if self._listener is not None:
            self._listener.close()
        alive = [thread.name for thread in self._threads if thread.is_alive()]
        if alive:
            raise RuntimeError(f"hostile server threads did not end: {alive}")

    def _start(self, target: Callable, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=f"{self.name}-{len(self._threads)}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, _: str) -> None:
        while not self.stopping.is_set():
            try:
                sock, _address = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            sock.settimeout(IO_TIMEOUT)
            with self.lock:
                self.connections += 1
                self._open.add(sock)
            self._start(self._serve, sock)

    def _serve(self, sock: socket.socket) -> None:
        current = sock
        try:
            if self.tls is not None:
                current = self.tls.wrap_socket(sock, server_side=True)
                with self.lock:
                    self._open.discard(sock)
                    self._open.add(current)
            self.behaviour(Connection(self, current))
        except (OSError, ValueError):
            pass  # the client went away, or the behaviour meant to break the connection
        finally:
            with self.lock:
                self._open.discard(sock)
                self._open.discard(current)
            current.close()

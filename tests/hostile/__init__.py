"""Small hostile servers on 127.0.0.1 for tests of the HTTP layer (clicksend_transport and clicksend_client).

Every server is a context manager; inside the `with` block `server.url` is a base_url for the client and
`server.requests` lists what it received:

    from tests import hostile

    with hostile.drip_body(interval=0.2) as server:
        client = ClickSendClient(server.url, "user", "key", timeout=0.5)

On exit a server closes every socket it opened and joins every thread it started. TLS servers take a server
context: hostile.server_context(hostile.make_certificate(tmp_dir)).
"""

from tests.hostile.measure import Measured, measure
from tests.hostile.server import Connection, HostileServer, Request
from tests.hostile.servers import (
    OK_BODY,
    answering,
    bomb_bytes,
    compressed,
    drip_body,
    drip_headers,
    echo_key,
    encoded,
    endless_chunked,
    envelope,
    gzip_bomb,
    huge_body,
    pathological_html,
    rate_limited,
    recorder,
    redirect,
    same_path_on,
    straddle,
    tls_abort_after_request,
    tls_drip_handshake,
    tls_handshake_failure,
)
from tests.hostile.tls import make_certificate, server_context


__all__ = [
    "OK_BODY",
    "Connection",
    "HostileServer",
    "Measured",
    "Request",
    "answering",
    "bomb_bytes",
    "compressed",
    "drip_body",
    "drip_headers",
    "echo_key",
    "encoded",
    "endless_chunked",
    "envelope",
    "gzip_bomb",
    "huge_body",
    "make_certificate",
    "measure",
    "pathological_html",
    "rate_limited",
    "recorder",
    "redirect",
    "same_path_on",
    "server_context",
    "straddle",
    "tls_abort_after_request",
    "tls_drip_handshake",
    "tls_handshake_failure",
]

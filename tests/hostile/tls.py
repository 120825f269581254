"""A self-signed certificate for 127.0.0.1, made at test time, and server-side TLS contexts from it."""

from __future__ import annotations

import pathlib
import shutil
import ssl
import subprocess
from typing import Optional


def make_certificate(directory: pathlib.Path) -> Optional[tuple]:
    """(cert_file, key_file) of a fresh self-signed EC certificate for 127.0.0.1 and localhost, made with the openssl
    command (offline, about 20 ms); None when this machine has no openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = [
        openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, check=False, timeout=30)  # noqa: S603
    if done.returncode != 0 or not cert.is_file():
        return None
    return str(cert), str(key)


def server_context(certificate: tuple) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context

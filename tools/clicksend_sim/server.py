"""The HTTP server, fault injection and the ``ClickSendSimulator`` Python API."""

from __future__ import annotations

import base64
import binascii
import hmac
import importlib
import ipaddress
import json
import pkgutil
import re
import socket
import struct
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from re import Pattern
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import delivery
from .core import ApiError, Ctx, Response, bad_request, envelope_dict, match_route, new_message_id
from .state import DEFAULT_API_KEY, DEFAULT_USERNAME, State


MEDIA_PATH = "/_sim/media/"  # the stand-in host of MMS images (not ClickSend): see ClickSendSimulator.media_url
MEDIA_DEFAULT_SIZE = 20_000  # bytes of an image nobody set a size for: well within ClickSend's 250 kB
MEDIA_MAX_BODY = 1 << 20  # a GET of a bigger image gets this much
MEDIA_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "png": "image/png", "bmp": "image/bmp"}
FAULT_KINDS = (None, "reset", "reset_mid", "truncated", "html", "no_envelope", "bad_data", "delay")


def load_route_modules() -> None:
    """Import every ``routes_*`` module of this package (each registers its routes once)."""
    pkg = sys.modules[__package__]
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("routes_"):
            importlib.import_module(f"{__package__}.{info.name}")


load_route_modules()


@dataclass
class Fault:
    method: str
    path: str | Pattern
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int | None = 1
    kind: str | None = None
    after_processing: bool = False
    skip: int = 0  # let this many matching requests through first (e.g. fail only the second send call)

    def matches(self, method: str, path: str) -> bool:
        if self.method not in ("*", method):
            return False
        if isinstance(self.path, str):
            return self.path == path or self.path.rstrip("/") == path.rstrip("/")
        return self.path.search(path) is not None

    def describe(self) -> dict[str, Any]:
        path = self.path if isinstance(self.path, str) else {"regex": self.path.pattern}
        return {"method": self.method, "path": path, "status": self.status, "kind": self.kind, "times": self.times,
                "delay": self.delay, "after_processing": self.after_processing, "skip": self.skip}


def _basic_credentials(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header[:6].lower() == "basic ":
        return None, None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None, None
    if ":" not in decoded:
        return decoded, None
    user, key = decoded.split(":", 1)
    return user, key


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout, TimeoutError)):
            return  # the client went away (timeouts, fault injection): not an error
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive + Nagle would cost ~40 ms per request
    server_version = "ClickSendSim/1.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        if urlsplit(self.path).path.startswith(MEDIA_PATH):
            self._media(with_body=True)
            return
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_HEAD(self) -> None:
        if urlsplit(self.path).path.startswith(MEDIA_PATH):
            self._media(with_body=False)
            return
        self.send_response(405)  # no ClickSend endpoint answers HEAD
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _media(self, with_body: bool) -> None:
        """The stand-in media host: an MMS image's headers (and, for GET, that many zero bytes)."""
        sim: ClickSendSimulator = self.server.sim  # type: ignore[attr-defined]
        name = urlsplit(self.path).path[len(MEDIA_PATH):]
        info = sim.media_info(name)
        self.send_response(info["status"])
        self.send_header("Content-Type", info["content_type"])
        if info["size"] is None:
            self.close_connection = True  # no Content-Length: the answer ends when the connection does
        else:
            self.send_header("Content-Length", str(info["size"]))
        self.end_headers()
        if with_body and info["status"] == 200:
            self.wfile.write(bytes(min(info["size"] or 0, MEDIA_MAX_BODY)))

    # -- plumbing ----------------------------------------------------------------
    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _write(self, resp: Response, extra_headers: dict[str, str] | None = None) -> None:
        body = resp.body_bytes()
        self.send_response(resp.status)
        ctype = resp.content_type
        if "charset" not in ctype:
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in {**resp.headers, **(extra_headers or {})}.items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(body)

    def _dispatch(self, method: str) -> None:
        sim: ClickSendSimulator = self.server.sim  # type: ignore[attr-defined]
        split = urlsplit(self.path)
        path = split.path or "/"
        query = parse_qs(split.query, keep_blank_values=True)
        try:
            raw = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        parsed: Any = None
        json_error = False
        if raw.strip():
            try:
                parsed = json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                json_error = True
        auth = self.headers.get("Authorization")
        control = path == "/_sim" or path.startswith("/_sim/")
        fault: Fault | None = None
        if not control:
            sim._record(method, path, query, parsed, _basic_credentials(auth)[0])
            fault = sim._take_fault(method, path)
            latency = sim.latency
            if latency > 0:
                sim.wait_latency(latency)  # outside the state lock: concurrent requests overlap

        def process() -> Response:
            return sim._process(method, path, query, parsed, json_error, raw, auth)

        if fault is None:
            self._write(process())
            return
        resp: Response | None = None
        if fault.after_processing:
            resp = process()
            if fault.delay:
                time.sleep(fault.delay)
        else:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.kind == "delay":
                resp = process()
        self._deliver_fault(fault, resp)

    def _fault_full_body(self, fault: Fault, resp: Response | None, status: int) -> bytes:
        if fault.body is not None:
            return Response(body=fault.body).body_bytes()
        if resp is not None and resp.body_bytes():
            return resp.body_bytes()
        return json.dumps(envelope_dict(status, None, {"detail": "x" * 64})).encode()

    def _deliver_fault(self, fault: Fault, resp: Response | None) -> None:
        kind = fault.kind
        hdrs = dict(fault.headers or {})
        if kind == "delay":
            assert resp is not None
            self._write(resp, hdrs)
        elif kind is None:
            status = fault.status or 500
            body = fault.body if fault.body is not None else envelope_dict(status)
            self._write(Response(status, body), hdrs)
        elif kind == "reset":
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        elif kind == "reset_mid":
            status = fault.status or 200
            full = self._fault_full_body(fault, resp, status)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(full)))
            for k, v in hdrs.items():
                self.send_header(k, str(v))
            self.end_headers()
            self.wfile.write(full[: max(1, len(full) // 2)])
            self.wfile.flush()
            self.close_connection = True
        elif kind == "truncated":
            status = fault.status or 200
            full = self._fault_full_body(fault, resp, status)
            self._write(Response(status, full[: max(1, len(full) // 2)]), hdrs)
        elif kind == "html":
            status = fault.status or 502
            html = fault.body if fault.body is not None else (
                f"<html><head><title>{status} Error</title></head><body><center><h1>{status} Error</h1></center>"
                "<hr><center>nginx</center></body></html>"
            )
            self._write(Response(status, html, content_type="text/html"), hdrs)
        elif kind == "no_envelope":
            body = fault.body if fault.body is not None else {"message": "OK", "result": {"items": []}}
            self._write(Response(fault.status or 200, body), hdrs)
        elif kind == "bad_data":
            data = fault.body if fault.body is not None else "{}"
            self._write(Response(fault.status or 200, envelope_dict(fault.status or 200, "Here are your data.", data)), hdrs)
        else:  # pragma: no cover - validated in add_fault
            self._write(Response(500, envelope_dict(500)), hdrs)


class ClickSendSimulator:
    """A stateful ClickSend REST v3 simulator served over HTTP on loopback.

    >>> with ClickSendSimulator() as sim:
    ...     requests.get(sim.url + "/account", auth=sim.auth)
    """

    def __init__(self, state: State | None = None, latency: float = 0.0) -> None:
        self.state = state or State()
        #: seconds every API request (not ``/_sim/``) sleeps before it is answered, outside the state lock.
        self.latency = float(latency or 0.0)
        self.username = DEFAULT_USERNAME
        self.api_key = DEFAULT_API_KEY
        self.faults: list[Fault] = []
        #: every request received (not /_sim/ ones): dicts with method, path, query, json, username, time.
        self.requests: list[dict[str, Any]] = []
        self.url: str | None = None
        self.host: str | None = None
        self.port: int | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def wait_latency(self, seconds: float) -> None:
        """The wait of one API request (called outside the state lock; a test may replace it)."""
        time.sleep(seconds)

    # -- lifecycle ---------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a daemon thread; returns the base URL ``http://127.0.0.1:<port>/v3``."""
        if self._server is not None:
            return self.url or ""
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the simulator only binds a loopback address")
        cls = _Server6 if ":" in host else _Server
        server = cls((host, port), _Handler)
        server.sim = self  # type: ignore[attr-defined]
        self._server = server
        self.host = host
        self.port = server.server_address[1]
        hostpart = f"[{host}]" if ":" in host else host
        self.url = f"http://{hostpart}:{self.port}/v3"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="clicksend-sim", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ClickSendSimulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>`` (no ``/v3``): the SDK's host, and where ``/_sim/`` lives."""
        return (self.url or "")[: -len("/v3")]

    @property
    def auth(self) -> tuple[str, str]:
        """(username, api_key) of the default account, for ``requests``' ``auth=``."""
        return self.username, self.api_key

    # -- state helpers -------------------------------------------------------------
    def reset(self) -> None:
        """Clear state, faults, requests and recipient statuses; keep accounts."""
        with self.state.lock:
            self.state.clear()
            self.faults.clear()
            self.requests.clear()

    @property
    def history(self) -> list[dict[str, Any]]:
        """The SMS history rows (live list, oldest first, brought up to date; rows carry private ``_seq`` and
        ``_sim_*`` keys)."""
        self.advance()
        return self.state.history

    @property
    def voice_history(self) -> list[dict[str, Any]]:
        """The voice history rows (live list, oldest first, brought up to date)."""
        self.advance()
        return self.state.voice_history

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Message dicts accepted by POST /sms/send, as answered (live list)."""
        return self.state.sent

    def advance(self, now: float | None = None) -> None:
        """Make everything due by ``now`` (Unix seconds; default: the current time) happen: scheduled messages
        leave, queued ones get their delivery outcome and receipt, replies arrive. Every API request does this
        first; call it with a future ``now`` to skip waiting in tests."""
        with self.state.lock:
            delivery.advance(self.state, now)

    # -- behaviour switches (kept in state.settings, restored by reset()) ----------
    @property
    def delivery_delay(self) -> float:
        """Seconds an accepted SMS stays "Queued" / "200" before its final status (default 0)."""
        return float(self.state.settings["delivery_delay"])

    @delivery_delay.setter
    def delivery_delay(self, seconds: float) -> None:
        with self.state.lock:
            self.state.settings["delivery_delay"] = float(seconds or 0.0)

    @property
    def bare_list_contacts(self) -> bool:
        """True: GET /lists/{id}/contacts answers ``data: [every contact]`` without pagination (a robustness
        switch; ClickSend's documented answer is the paginated object)."""
        return bool(self.state.settings["bare_list_contacts"])

    @bare_list_contacts.setter
    def bare_list_contacts(self, value: bool) -> None:
        with self.state.lock:
            self.state.settings["bare_list_contacts"] = bool(value)

    def set_delivery_outcome(self, number: str, status_code: str | None = "301", status_text: str | None = None,
                             error_code: str | None = None, error_text: str | None = None) -> None:
        """Force the delivery outcome of SMS sent to ``number`` from now on: ``"301"`` (default) / ``"300"`` /
        ``"302"`` -> history "Failed"; ``"201"`` -> "Sent"; ``"200"`` -> stays "Queued" for ever.
        ``status_code=None`` clears it. Texts default to gateway error 8 (unknown subscriber) for failures."""
        with self.state.lock:
            if status_code is None:
                self.state.delivery_outcomes.pop(number, None)
                return
            code = str(status_code)
            defaults: dict[str, Any] = dict(delivery.FAILED_DEFAULT)
            if code in ("200", "201"):
                base = delivery.DELIVERED if code == "201" else delivery.QUEUED
                defaults = {"status_text": base["status_text"], "error_code": None, "error_text": None}
            self.state.delivery_outcomes[number] = {
                "status_code": code,
                "status_text": status_text if status_text is not None else defaults["status_text"],
                "error_code": str(error_code) if error_code is not None else defaults["error_code"],
                "error_text": error_text if error_text is not None else defaults["error_text"],
            }

    def auto_reply(self, number: str, body: str | None, delay: float = 0.0, times: int | None = None) -> None:
        """The handset ``number`` answers ``body`` to every SMS delivered to it, ``delay`` seconds after delivery
        (``times``: only that many times; ``body=None`` stops it). The reply carries the sent message's id, body and
        custom_string, and goes to the sender used; no reply to an alpha-tag sender."""
        with self.state.lock:
            if body is None:
                self.state.auto_replies.pop(number, None)
            else:
                self.state.auto_replies[number] = {"body": body, "delay": float(delay or 0.0), "times": times}

    def add_reply(self, original_message_id: str, from_: str | None, body: str, **fields: Any) -> dict[str, Any]:
        """An immediate reply from the recipient of the sent SMS ``original_message_id`` (or from ``from_``), filed as
        ClickSend files it: under the latest message sent to that recipient from the same sender by now, which is
        ``original_message_id`` unless a later one went out (``fields`` may still force ``original_message_id``)."""
        with self.state.lock:
            delivery.advance(self.state)
            row = self.state.history_by_id.get(str(original_message_id).upper())
            if row is None:
                raise KeyError(f"no sent SMS {original_message_id}")
            row = delivery.filed_under(self.state, row, time.time())
            args = delivery.reply_fields(row, from_ or row["to"], body)
            args.update(fields)
            return dict(self.state.add_inbound_message(**args))

    def media_url(self, name: str = "evidence.jpg", size: int | None = MEDIA_DEFAULT_SIZE, content_type: str | None = None,
                  status: int = 200) -> str:
        """The URL of an MMS image on the stand-in media host (``/_sim/media/<name>``, HEAD and GET, no auth): it answers
        ``status`` with ``Content-Length: size`` (none when ``size`` is None) and ``content_type`` (default: by the
        name's extension). ClickSend itself never fetches it: the simulator judges media by URL (API notes §10)."""
        with self.state.lock:
            self.state.media[name] = {"size": size, "content_type": content_type, "status": int(status)}
        return f"{self.root_url}{MEDIA_PATH}{name}"

    def media_info(self, name: str) -> dict[str, Any]:
        with self.state.lock:
            info = dict(self.state.media.get(name) or {"size": MEDIA_DEFAULT_SIZE, "content_type": None, "status": 200})
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        info["content_type"] = info["content_type"] or MEDIA_TYPES.get(extension, "application/octet-stream")
        return info

    @property
    def mms_currency(self) -> bool:
        """True: MMS send and price answers carry ``_currency`` as SMS and voice answers do. Off by default: ClickSend's
        MMS answer (OAS ``send_mms_data``) documents none (API notes §10)."""
        return bool(self.state.settings["mms_currency"])

    @mms_currency.setter
    def mms_currency(self, value: bool) -> None:
        with self.state.lock:
            self.state.settings["mms_currency"] = bool(value)

    def add_history_row(self, **fields: Any) -> dict[str, Any]:
        """A row of the SMS history as given (an inbound ``direction: "in"`` / ``Received`` row, say, which ClickSend
        may list, API notes §7); unset keys take the values of a delivered outbound SMS of the default account."""
        row: dict[str, Any] = {
            "direction": "out", "date": int(time.time()), "to": "+61411111111", "body": "", "status": "Sent",
            "from": "+61447254068", "schedule": "", "status_code": "201", "status_text": "", "error_code": None,
            "error_text": None, "message_id": new_message_id(), "message_parts": 1, "message_price": "0.0792",
            "from_email": None, "list_id": None, "custom_string": None, "contact_id": None, "user_id": None,
            "subaccount_id": None, "country": "AU", "carrier": "", "first_name": None, "last_name": None,
            "_api_username": self.username,
        }
        row.update(fields)
        return dict(self.state.add_history(row))

    def add_account(self, username: str, key: str, balance: str = "42.510000", currency: str = "AUD",
                    status: str = "active", **fields: Any) -> dict[str, Any]:
        return self.state.add_account(username, key, balance=balance, currency=currency, status=status, **fields)

    def set_recipient_status(self, number: str, status: str | None) -> None:
        """Force the application status for sends/prices to ``number`` (None clears it)."""
        with self.state.lock:
            if status is None:
                self.state.recipient_status.pop(number, None)
            else:
                self.state.recipient_status[number] = status

    def add_inbound_rule(self, action: str = "POLL", enabled: int = 1, **fields: Any) -> dict[str, Any]:
        return dict(self.state.add_inbound_rule(action=action, enabled=enabled, **fields))

    def add_list(self, list_name: str, contacts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Create a list (optionally with contacts given as field dicts); returns the ContactList object."""
        with self.state.lock:
            lst = self.state.add_list(list_name)
            for c in contacts or []:
                self.state.add_contact(lst["list_id"], **c)
            return self.state.list_object(lst["list_id"])

    def add_contact(self, list_id: int, **fields: Any) -> dict[str, Any]:
        return dict(self.state.add_contact(list_id, **fields))

    def add_inbound_message(self, from_: str, body: str, **fields: Any) -> dict[str, Any]:
        return dict(self.state.add_inbound_message(from_, body, **fields))

    def add_receipt_rule(self, action: str = "POLL", enabled: int = 1, **fields: Any) -> dict[str, Any]:
        """A delivery-receipt automation rule (``rule_name``, ``match_type``, ``action_address`` optional)."""
        with self.state.lock:
            rule_id = self.state.next_id("receipt_rule")
            rule = {"receipt_rule_id": rule_id, "rule_name": "SOAR receipts", "match_type": 0, "action": action,
                    "action_address": "", "enabled": enabled}
            rule.update(fields)
            self.state.receipt_rules[rule_id] = rule
            return dict(rule)

    def receipts(self) -> list[dict[str, Any]]:
        """Every delivery receipt created so far (read or not), oldest first, as ClickSend answers them."""
        with self.state.lock:
            delivery.advance(self.state)
            return [delivery.public(r) for r in self.state.receipts]

    def add_dedicated_number(self, number: str, country: str | None = None, number_type: str = "longcode",
                             **fields: Any) -> dict[str, Any]:
        """A dedicated number of the account (GET /numbers); the first SMS one becomes the default sender."""
        from .routes_senders import dedicated_number

        with self.state.lock:
            item = dedicated_number(number, country, number_type, **fields)
            self.state.dedicated_numbers.append(item)
            return dict(item)

    def add_own_number(self, phone_number: str, country: str | None = None, label: str = "", status: str = "APPROVED",
                       **fields: Any) -> dict[str, Any]:
        """A verified own number (GET /own-numbers)."""
        from .routes_senders import own_number

        with self.state.lock:
            item = own_number(self.state, phone_number, country, label, status, **fields)
            self.state.own_numbers.append(item)
            return dict(item)

    def add_alpha_tag(self, tag: str, status: str = "APPROVED", countries: list[str] | None = None, **fields: Any) -> dict[str, Any]:
        """An alpha tag of the account (GET /alpha-tags); ``countries`` empty or None means global."""
        from .routes_senders import alpha_tag

        with self.state.lock:
            item = alpha_tag(self.state, tag, status, countries, **fields)
            self.state.alpha_tags.append(item)
            return dict(item)

    # -- faults --------------------------------------------------------------------
    def add_fault(
        self,
        method: str,
        path: str | Pattern | dict[str, str],
        status: int | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        times: int | None = 1,
        kind: str | None = None,
        after_processing: bool = False,
        skip: int = 0,
    ) -> Fault:
        """Inject a fault for requests matching ``method`` ("*" = any) and ``path`` (exact string, or a
        compiled regex / ``{"regex": "..."}`` searched in the path). ``times=None`` never expires; the first ``skip``
        matching requests pass untouched."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}")
        if isinstance(path, dict):
            path = re.compile(path["regex"])
        fault = Fault(method.upper(), path, status, body, dict(headers or {}), float(delay or 0.0), times, kind,
                      bool(after_processing), int(skip or 0))
        with self.state.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.state.lock:
            self.faults.clear()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.state.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    # -- request processing --------------------------------------------------------
    def _record(self, method: str, path: str, query: dict[str, list[str]], parsed: Any, username: str | None) -> None:
        q = {k: (v[0] if len(v) == 1 else list(v)) for k, v in query.items()}
        entry = {"method": method, "path": path, "query": q, "json": parsed, "username": username, "time": time.time()}
        with self.state.lock:
            self.requests.append(entry)

    def _authenticate(self, header: str | None) -> dict[str, Any]:
        user, key = _basic_credentials(header)
        if user is None or key is None:
            raise ApiError(401, "Missing or malformed credentials: use HTTP Basic auth with your username and API key.")
        acct = self.state.accounts.get(user)
        if acct is None or not hmac.compare_digest(str(acct["key"]).encode(), key.encode()):
            raise ApiError(401, "Unauthorized: your username or API key is incorrect.")
        if acct["status"] == "notactive":
            raise ApiError(403, "Your account is not activated.")
        if acct["status"] == "banned":
            raise ApiError(403, "Your account has been banned.")
        return acct

    def _process(self, method: str, path: str, query: dict[str, list[str]], parsed: Any, json_error: bool,
                 raw: bytes, auth_header: str | None) -> Response:
        try:
            rt, params = match_route(method, path)
            with self.state.lock:
                account = self._authenticate(auth_header) if rt.auth else None
                if json_error:
                    raise bad_request("The request body is not valid JSON.")
                ctx = Ctx(self, self.state, method, path, params, query, parsed, raw, account)
                delivery.advance(self.state)
                try:
                    return rt.handler(ctx)
                finally:
                    delivery.advance(self.state)  # a reply due at once arrives with the send that caused it
        except ApiError as exc:
            return exc.to_response()
        except Exception:
            traceback.print_exc()
            return Response(500, envelope_dict(500, "Internal server error (simulator bug)."))

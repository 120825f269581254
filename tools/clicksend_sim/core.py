"""Core of the simulator: route registry, request context, envelope/error/pagination helpers.

Route modules (``routes_*.py`` in this package) register handlers with :func:`route`; they are
imported automatically by :mod:`clicksend_sim.server`, so adding an API area means adding one module.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable


PUBLIC_BASE = "https://rest.clicksend.com"

#: HTTP status -> ClickSend ``response_code`` (API notes §3). 405 is a CONFLICT in the sources;
#: the simulator follows the legacy docs (``NOT_FOUND``).
RESPONSE_CODES: dict[int, str] = {
    200: "SUCCESS",
    201: "CREATED",
    204: "NO_CONTENT",
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "NOT_FOUND",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}

DEFAULT_MESSAGES: dict[int, str] = {
    200: "Here are your data.",
    400: "Invalid request.",
    401: "Unauthorized: your username or API key is incorrect.",
    403: "Forbidden.",
    404: "Resource not found.",
    405: "Method not allowed.",
    429: "Too many requests. Please slow down.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service unavailable.",
    504: "Gateway timeout.",
}


def response_code_for(status: int) -> str:
    if status in RESPONSE_CODES:
        return RESPONSE_CODES[status]
    if 200 <= status < 300:
        return "SUCCESS"
    return "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST"


@dataclass
class Response:
    """What a handler returns. ``body``: dict/list (sent as JSON), str or bytes (sent as is)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def body_bytes(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


def envelope_dict(status: int, msg: str | None = None, data: Any = None, code: str | None = None) -> dict[str, Any]:
    return {
        "http_code": status,
        "response_code": code or response_code_for(status),
        "response_msg": msg if msg is not None else DEFAULT_MESSAGES.get(status, "Error."),
        "data": data,
    }


def ok(data: Any = None, msg: str = "Here are your data.", status: int = 200, code: str | None = None) -> Response:
    """A success envelope."""
    return Response(status, envelope_dict(status, msg, data, code))


class ApiError(Exception):
    """Raise from a handler to answer with an error envelope."""

    def __init__(
        self,
        status: int,
        msg: str | None = None,
        data: Any = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(msg or DEFAULT_MESSAGES.get(status, "Error."))
        self.status = status
        self.msg = msg
        self.data = data
        self.code = code
        self.headers = dict(headers or {})

    def to_response(self) -> Response:
        return Response(self.status, envelope_dict(self.status, self.msg, self.data, self.code), dict(self.headers))


def bad_request(msg: str = "Invalid input.", fields: dict[str, str] | None = None, code: str | None = None) -> ApiError:
    """400 BAD_REQUEST with a field -> message map in ``data``."""
    return ApiError(400, msg, fields, code)


def not_found(msg: str = "Resource not found.") -> ApiError:
    return ApiError(404, msg)


# ---------------------------------------------------------------------------
# Route registry
# ---------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Route:
    method: str
    pattern: str
    regex: re.Pattern
    handler: Callable[[Ctx], Response]
    auth: bool = True


ROUTES: list[Route] = []


def _compile(pattern: str) -> re.Pattern:
    # "{name}" placeholders become named groups matching one path segment; raw regex is kept.
    return re.compile(_PLACEHOLDER.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", pattern))


def route(method: str, pattern: str, auth: bool = True) -> Callable[[Callable[[Ctx], Response]], Callable[[Ctx], Response]]:
    """Register a handler: ``@route("GET", r"/v3/automations/sms/inbound/{inbound_rule_id}")``.

    ``pattern`` is a full-match regex over the URL path (trailing ``/`` ignored); ``{name}`` is a
    shorthand for ``(?P<name>[^/]+)``. Path groups arrive in ``ctx.params``.
    """

    def deco(fn: Callable[[Ctx], Response]) -> Callable[[Ctx], Response]:
        ROUTES.append(Route(method.upper(), pattern, _compile(pattern), fn, auth))
        return fn

    return deco


def match_route(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """Find the route; raises ApiError 404 (no such path) or 405 (path exists, other method)."""
    norm = path.rstrip("/") or "/"
    allowed: list[str] = []
    for r in ROUTES:
        m = r.regex.fullmatch(norm) or r.regex.fullmatch(path)
        if m is None:
            continue
        if r.method == method:
            return r, m.groupdict()
        allowed.append(r.method)
    if allowed:
        raise ApiError(405, "Method not allowed.", headers={"Allow": ", ".join(sorted(set(allowed)))})
    raise ApiError(404, "Resource not found.")


# ---------------------------------------------------------------------------
# Request context
# ---------------------------------------------------------------------------


@dataclass
class Ctx:
    """Everything a handler needs. Handlers run while ``state.lock`` is held."""

    sim: Any
    state: Any
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, list[str]]
    json: Any
    raw_body: bytes
    account: dict[str, Any] | None = None

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of a query parameter."""
        vals = self.query.get(name)
        return vals[0] if vals else default

    def int_arg(self, name: str, default: int | None = None) -> int | None:
        val = self.arg(name)
        if val is None or val == "":
            return default
        try:
            return int(val)
        except ValueError:
            return default

    def date_before(self) -> int | None:
        """The optional ``date_before`` (Unix seconds) of a mark-read body; 400 when it is not an integer."""
        body = self.json if isinstance(self.json, dict) else {}
        before = body.get("date_before")
        if before is not None and as_int(before) is None:
            raise bad_request("Invalid input.", {"date_before": "The date before must be a Unix timestamp."})
        return as_int(before)

    def body_object(self) -> dict[str, Any]:
        """The JSON body as a dict, or a 400 when it is missing / not an object."""
        if not isinstance(self.json, dict):
            raise bad_request("The request body must be a JSON object.")
        return self.json

    @property
    def username(self) -> str | None:
        return self.account["username"] if self.account else None


# ---------------------------------------------------------------------------
# Pagination, ids, prices
# ---------------------------------------------------------------------------

DEFAULT_LIMIT = 15
MIN_LIMIT = 15
MAX_LIMIT = 100


def page_args(ctx: Ctx) -> tuple[int, int]:
    """(page, limit) with the simulator's rules: page >= 1; limit default 15, clamped to 15..100."""
    page = ctx.int_arg("page", 1) or 1
    page = max(page, 1)
    limit = ctx.int_arg("limit", DEFAULT_LIMIT)
    if limit is None:
        limit = DEFAULT_LIMIT
    limit = min(max(limit, MIN_LIMIT), MAX_LIMIT)
    return page, limit


def paginate(ctx: Ctx, items: list[Any], extra_links: bool = False) -> dict[str, Any]:
    """Laravel-style page of ``items``. ``next_page_url``/``prev_page_url`` point at the public host
    and carry only ``page`` (deliberately untrustworthy, like the real ones)."""
    page, limit = page_args(ctx)
    total = len(items)
    last_page = max(1, math.ceil(total / limit))
    start = (page - 1) * limit
    chunk = items[start:start + limit]
    base = PUBLIC_BASE + (ctx.path.rstrip("/") or "/")
    result: dict[str, Any] = {
        "total": total,
        "per_page": limit,
        "current_page": page,
        "last_page": last_page,
        "next_page_url": f"{base}?page={page + 1}" if page < last_page else None,
        "prev_page_url": f"{base}?page={page - 1}" if page > 1 else None,
        "from": start + 1 if chunk else None,
        "to": start + len(chunk) if chunk else None,
    }
    if extra_links:
        result["first_page_url"] = f"{base}?page=1"
        result["last_page_url"] = f"{base}?page={last_page}"
        result["path"] = base
    result["data"] = chunk
    return result


def new_message_id() -> str:
    """Upper-case GUID with dashes, 36 characters."""
    return str(uuid.uuid4()).upper()


def price_str(value: float, places: int = 4) -> str:
    return f"{value:.{places}f}"


def as_int(value: Any) -> int | None:
    """int or int-able string -> int; anything else -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None

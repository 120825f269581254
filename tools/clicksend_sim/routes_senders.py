"""Sender IDs: GET /v3/numbers (dedicated numbers), GET /v3/own-numbers, GET /v3/alpha-tags (API notes §15).

``/numbers`` uses the standard envelope and page-number pagination. ``/own-numbers`` and ``/alpha-tags`` are the
newer services: no envelope (``{"own_numbers"|"alpha_tags": [...], "_metadata": {"pagination": {"self", "next",
"page_size"}}}``) and cursor pagination (``offset``, ``page_size``, ``sort_direction``). Own numbers take the ``offset`` cursor, two ids
joined by '#' as in ClickSend's example link (written unencoded in ``next``); alpha tags document no ``offset``, so the
simulator ignores one there. Simulator choices: the cursor is ``<id of the page's first item>#<id of the item before
it>``; ``next`` is null on the last page; ``page_size`` defaults to 10 and is clamped (1..500 own numbers, 1..1000
alpha tags); an unknown cursor (one cut at its '#' too) gives an empty page.
Items are shared by every account; add them with ``sim.add_dedicated_number`` / ``add_own_number`` / ``add_alpha_tag``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Optional
from urllib.parse import urlencode

from .core import PUBLIC_BASE, Ctx, Response, new_message_id, ok, paginate, route
from .routes_sms import parse_q
from .state import currency_object
from .textrules import COUNTRY_NAMES, country_of


NUMBER_READY = {"value": 0, "label": "REGISTRATION_NOT_REQUIRED", "description": "Your number is ready to go.", "name": "Ready to use"}
_NAMESPACE = uuid.UUID("6f1c2b8e-6a43-4c1e-9a55-0c11c5e2d000")


def _iso_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _account_uuids() -> dict[str, str]:
    """Stable account/workspace/user UUIDs of the newer services (they do not use the integer ids)."""
    return {name: str(uuid.uuid5(_NAMESPACE, name)) for name in ("account_id", "workspace_id", "user_id")}


def dedicated_number(number: str, country: Optional[str] = None, number_type: str = "longcode", **fields: Any) -> dict[str, Any]:
    """A ``/numbers`` item (keys of ClickSend's example); ``fields`` override any key (``type`` "sms"/"mms", ``price``...)."""
    country = (country or country_of(number) or "").upper()
    item = {
        "dedicated_number": number, "country": country, "price": "18.59", "_country_name": COUNTRY_NAMES.get(country, country),
        "notes": None, "type": "sms", "number_type": number_type, "number_category": None, "number_guid": new_message_id(),
        "form_submission_id": None, "status": dict(NUMBER_READY),
    }
    item.update(fields)
    return item


def own_number(state: Any, phone_number: str, country: Optional[str], label: str, status: str, **fields: Any) -> dict[str, Any]:
    now = _iso_now()
    item: dict[str, Any] = {"id": str(uuid.uuid4()), **_account_uuids(), "phone_number": phone_number,
                            "country": (country or country_of(phone_number) or "").upper(), "label": label, "status": status,
                            "verified_timestamp": now if status == "APPROVED" else None, "notified_timestamp": None,
                            "is_nearing_expiration": False, "created_timestamp": now, "updated_timestamp": now}
    item.update(fields)
    return item


def alpha_tag(state: Any, tag: str, status: str, countries: Optional[list], **fields: Any) -> dict[str, Any]:
    now = _iso_now()
    item: dict[str, Any] = {"id": str(uuid.uuid4()), **_account_uuids(), "alpha_tag": tag, "status": status,
                            "reason": "", "countries": list(countries or []), "created_timestamp": now, "updated_timestamp": now}
    item.update(fields)
    return item


@route("GET", r"/v3/numbers")
def numbers_list(ctx: Ctx):
    """Dedicated numbers; ``q``/``q2`` filter on ``type``, ``number_type``, ``country``; ``excluding_number_type``."""
    filters = parse_q(ctx.arg("q")) + parse_q(ctx.arg("q2"))
    excluded = (ctx.arg("excluding_number_type") or "").lower()
    items = [
        dict(n) for n in ctx.state.dedicated_numbers
        if all(str(n.get(f) or "").lower() == v.lower() for f, v in filters if f in ("type", "number_type", "country"))
        and str(n.get("number_type") or "").lower() != excluded
    ]
    page = paginate(ctx, items)
    page["_currency"] = currency_object((ctx.account or {}).get("currency", "AUD"))
    return ok(page, "Here are your dedicated numbers.")


def _cursor_page(ctx: Ctx, items: list[dict[str, Any]], key: str, max_size: int, cursors: bool = True) -> Response:
    size = ctx.int_arg("page_size", 10) or 10
    size = min(max(size, 1), max_size)
    direction = "desc" if (ctx.arg("sort_direction") or "").lower() == "desc" else "asc"
    ordered = sorted(items, key=lambda item: str(item.get("created_timestamp") or ""))
    if direction == "desc":
        ordered.reverse()
    offset = ctx.arg("offset") if cursors else None
    start = _cursor_start(ordered, offset) if offset else 0
    chunk = ordered[start:start + size]
    base = PUBLIC_BASE + ctx.path.rstrip("/")

    def url(cursor: Optional[str]) -> str:
        query = urlencode({"page_size": str(size), "sort_direction": direction})
        # written unencoded, '#' and all, as ClickSend's own-numbers example link shows it
        return f"{base}?offset={cursor}&{query}" if cursor else f"{base}?{query}"

    more = start + size < len(ordered)
    after = f"{ordered[start + size]['id']}#{ordered[start + size - 1]['id']}" if more else None
    pagination = {"self": url(offset), "next": url(after) if more else None, "page_size": size}
    return Response(200, {key: [dict(item) for item in chunk], "_metadata": {"pagination": pagination}})


def _cursor_start(ordered: list[dict[str, Any]], cursor: str) -> int:
    """Where a cursor `<id of the page's first item>#<id of the item before it>` starts; past the end (an empty
    page) for anything else, a cursor cut at its '#' included."""
    first, _, before = cursor.partition("#")
    for index, item in enumerate(ordered):
        if index and item["id"] == first and ordered[index - 1]["id"] == before:
            return index
    return len(ordered)


@route("GET", r"/v3/own-numbers")
def own_numbers_list(ctx: Ctx):
    """Own numbers; ``filter[status][]`` / ``filter[status][N]`` keep the given statuses."""
    wanted = {v.upper() for k, vals in ctx.query.items() if k.startswith("filter[status]") for v in vals}
    items = [n for n in ctx.state.own_numbers if not wanted or str(n.get("status")).upper() in wanted]
    return _cursor_page(ctx, items, "own_numbers", 500)


@route("GET", r"/v3/alpha-tags")
def alpha_tags_list(ctx: Ctx):
    # ClickSend documents page_size and sort_direction for GET /v3/alpha-tags, and no offset: the simulator ignores one
    return _cursor_page(ctx, ctx.state.alpha_tags, "alpha_tags", 1000, cursors=False)

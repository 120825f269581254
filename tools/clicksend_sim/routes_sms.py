"""SMS: POST /v3/sms/send, POST /v3/sms/price, GET /v3/sms/history (API notes §5-§7, §11).

The message building helpers (``expand_messages``, ``validate_message``) are meant to be reused by
MMS and voice route modules.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from . import delivery
from .core import ApiError, Ctx, as_int, bad_request, new_message_id, ok, paginate, price_str, route
from .delivery import public
from .state import currency_object, default_country, sms_part_limit
from .textrules import country_of, is_e164, sender_ok, to_e164, truncate_to_parts


MAX_RECIPIENTS = 1000
PART_PRICE = 0.0792
SHARED_NUMBER = "+61447254068"
#: statuses that count in ``blocked_count`` (country / sender / registration restrictions).
BLOCKED_STATUSES = frozenset({"COUNTRY_NOT_ENABLED", "REGISTRATION_NEEDED"})

Expanded = tuple[dict[str, Any], Optional[dict[str, Any]], Optional[str], Optional[str]]


def too_many(limit: int = MAX_RECIPIENTS) -> ApiError:
    return ApiError(400, f"Too many recipients: at most {limit} recipients per request.", None, "TOO_MANY_RECIPIENTS")


def expand_messages(ctx: Ctx, raw_messages: Any) -> list[Expanded]:
    """Turn the request's ``messages`` into one entry per recipient: (message, contact, list_id, forced_status).

    ``list_id`` expands to the list's contacts; an unknown list gives one entry with
    NOT_ENOUGH_PERMISSION_TO_LIST_ID. More than 1000 recipients after expansion -> 400 TOO_MANY_RECIPIENTS
    (nothing is sent).
    """
    if not isinstance(raw_messages, list) or not raw_messages:
        raise bad_request("The messages field is required.", {"messages": "The messages field is required and must be a non-empty array."})
    out: list[Expanded] = []
    for m in raw_messages:
        if not isinstance(m, dict):
            raise bad_request("Each message must be an object.", {"messages": "Each message must be an object."})
        raw_list = m.get("list_id")
        if raw_list is not None and raw_list != "":
            list_id = as_int(raw_list)
            contacts = ctx.state.contacts.get(list_id) if list_id is not None and list_id in ctx.state.lists else None
            if contacts is None:
                out.append((m, None, str(raw_list), "NOT_ENOUGH_PERMISSION_TO_LIST_ID"))
            else:
                if len(out) + len(contacts) > MAX_RECIPIENTS:
                    raise too_many()
                out.extend((m, c, str(list_id), None) for c in contacts.values())
        else:
            out.append((m, None, None, None))
        if len(out) > MAX_RECIPIENTS:
            raise too_many()
    return out


def parse_schedule(raw: Any, now: int) -> tuple[int | None, bool]:
    """(schedule, valid). Absent / 0 / "" -> (now, True); int-able >= 0 -> (value, True); else (None, False)."""
    if raw is None or raw == "" or raw == 0 or raw == "0":
        return now, True
    value = as_int(raw)
    if value is None or value < 0:
        return None, False
    return value, True


def validate_message(ctx: Ctx, m: dict[str, Any], to: Any, forced: str | None, schedule_ok: bool) -> str:
    """The application status code for one recipient message."""
    if forced:
        return forced
    if m.get("to") in (None, "") and m.get("list_id") in (None, ""):
        return "MISSING_REQUIRED_FIELDS"
    if not is_e164(to):
        return "INVALID_RECIPIENT"
    body = m.get("body")
    if not isinstance(body, str) or not body.strip():
        return "EMPTY_MESSAGE"
    if not sender_ok(m.get("from")):
        return "INVALID_SENDER_ID"
    if not schedule_ok:
        return "INVALID_SCHEDULE"
    if ctx.account and ctx.account["status"] == "nocredit":
        return "INSUFFICIENT_CREDIT"
    return ctx.state.recipient_status.get(to, "SUCCESS")


def default_sender(state: Any) -> tuple[str, bool]:
    """(sender, is_shared_system_number) when ``from`` is omitted: the first dedicated SMS number if the account
    has one (a shared number cannot be used then), else the shared number."""
    for number in state.dedicated_numbers:
        if number.get("type") == "sms":
            return number["dedicated_number"], False
    return SHARED_NUMBER, True


def _sms_answer(ctx: Ctx, send: bool) -> dict[str, Any]:
    return sms_messages(ctx, expand_messages(ctx, ctx.body_object().get("messages")), send)


def sms_messages(ctx: Ctx, entries: list[Expanded], send: bool) -> dict[str, Any]:
    """Validate, truncate and price expanded SMS; with ``send`` record the accepted ones. Returns the answer ``data``."""
    clock = time.time()
    now = int(clock)
    acct = ctx.account or {}
    max_parts = sms_part_limit(acct)
    receipt = bool(ctx.state.poll_receipt_rules())
    messages: list[dict[str, Any]] = []
    total_price = 0.0
    for m, contact, list_id, forced in entries:
        to, text, schedule, status = recipient_outcome(ctx, m, contact, forced, now)
        text, parts = truncate_to_parts(text, max_parts) if text else (text, 1)
        accepted = status == "SUCCESS"
        price = parts * PART_PRICE if accepted else 0.0
        sender, shared = (m["from"], False) if m.get("from") else default_sender(ctx.state)
        msg: dict[str, Any] = {
            "direction": "out",
            "date": now if send else "",
            "to": to if to is not None else "",
            "body": text,
            "from": sender,
            "schedule": (schedule if schedule is not None else now) if send else "",
            "message_id": new_message_id(),
            "message_parts": parts,
            "message_price": price_str(price),
            "from_email": m.get("from_email"),
            "list_id": list_id,
            "custom_string": m.get("custom_string") if m.get("custom_string") is not None else "",
            "contact_id": str(contact["contact_id"]) if contact else None,
            "user_id": acct.get("user_id"),
            "subaccount_id": acct.get("subaccount_id"),
            "is_shared_system_number": shared,
            "country": m.get("country") or country_of(to),
            "carrier": "",
            "status": status,
        }
        messages.append(msg)
        if accepted:
            total_price += price
        if send and accepted:
            ctx.state.sent.append(msg)
            record_history(ctx, msg, contact, m.get("custom_string"), receipt, clock)
    return answer_totals(messages, total_price, acct)


def recipient_outcome(ctx: Ctx, m: dict[str, Any], contact: dict[str, Any] | None, forced: str | None, now: int) -> tuple:
    """Recipient (formatted to E.164 when possible), text, schedule and per-message status of one expanded
    message (SMS, MMS and voice sends and prices)."""
    to = contact.get("phone_number") if contact else m.get("to")
    to = None if to is None else str(to)
    to = to_e164(to, m.get("country") or default_country(ctx.account)) or to
    body = m.get("body")
    text = body if isinstance(body, str) else ("" if body is None else str(body))
    schedule, schedule_ok = parse_schedule(m.get("schedule"), now)
    return to, text, schedule, validate_message(ctx, m, to, forced, schedule_ok)


def answer_totals(messages: list[dict[str, Any]], total_price: float, acct: dict[str, Any]) -> dict[str, Any]:
    """The `data` of a send or price answer around its messages."""
    return {
        "total_price": round(total_price, 4),
        "total_count": len(messages),
        "queued_count": sum(1 for item in messages if item["status"] == "SUCCESS"),
        "blocked_count": sum(1 for item in messages if item["status"] in BLOCKED_STATUSES),
        "messages": messages,
        "_currency": currency_object(acct.get("currency", "AUD")),
    }


def record_history(ctx: Ctx, msg: dict[str, Any], contact: dict[str, Any] | None, custom: Any, receipt: bool, clock: float) -> dict[str, Any]:
    """Add the history row of an accepted SMS and start its delivery (API notes §7, §8)."""
    scheduled = int(msg["schedule"]) > int(clock)
    rec = {
        "direction": "out",
        "date": msg["date"],
        "to": msg["to"],
        "body": msg["body"],
        "status": "",
        "from": msg["from"],
        "schedule": str(msg["schedule"]),
        "status_code": None,
        "status_text": None,
        "error_code": None,
        "error_text": None,
        "message_id": msg["message_id"],
        "message_parts": msg["message_parts"],
        "message_price": msg["message_price"],
        "from_email": msg["from_email"],
        "list_id": msg["list_id"],
        "custom_string": custom if custom is not None else None,
        "contact_id": msg["contact_id"],
        "user_id": msg["user_id"],
        "subaccount_id": msg["subaccount_id"],
        "country": msg["country"],
        "carrier": msg["carrier"],
        "first_name": contact.get("first_name") if contact else None,
        "last_name": contact.get("last_name") if contact else None,
        "_api_username": ctx.username,
        "_sim_receipt": receipt,
    }
    ctx.state.add_history(rec)
    if scheduled:
        rec.update(delivery.SCHEDULED)
        ctx.state.scheduled[rec["message_id"]] = rec
    else:
        delivery.on_sent(ctx.state, rec, clock)
    return rec


@route("POST", r"/v3/sms/send")
def sms_send(ctx: Ctx):
    return ok(_sms_answer(ctx, send=True), "Messages queued for delivery.")


@route("POST", r"/v3/sms/price")
def sms_price(ctx: Ctx):
    data = _sms_answer(ctx, send=False)
    # the price answer's message objects carry fewer keys (SDK ``Sms`` model)
    keep = ("date", "to", "body", "from", "schedule", "message_id", "message_parts", "message_price",
            "custom_string", "contact_id", "list_id", "is_shared_system_number", "country", "status")
    data["messages"] = [{k: m[k] for k in keep} for m in data["messages"]]
    return ok(data, "Here is some pricing.")


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------


def release_due_scheduled(state: Any, now: int | None = None) -> None:
    """Bring scheduled messages, deliveries, receipts and replies up to ``now`` (see :mod:`clicksend_sim.delivery`)."""
    delivery.advance(state, now)


def parse_q(q: str | None) -> list[tuple[str, str]]:
    """``field:value[,field2:value2]`` -> [(field, value)]."""
    out: list[tuple[str, str]] = []
    for part in (q or "").split(","):
        if ":" in part:
            name, value = part.split(":", 1)
            out.append((name.strip().lower(), value.strip()))
    return out


def matches_filters(rec: dict[str, Any], filters: list[tuple[str, str]], use_or: bool = False) -> bool:
    if not filters:
        return True
    hits = (str(rec.get(f, "") if rec.get(f) is not None else "").lower() == v.lower() for f, v in filters)
    return any(hits) if use_or else all(hits)


def sort_records(ctx: Ctx, recs: list[dict[str, Any]], default: str = "date:asc") -> list[dict[str, Any]]:
    order_by = ctx.arg("order_by") or default
    field, _, direction = order_by.partition(":")
    field = field.strip() or "date"
    reverse = direction.strip().lower() == "desc"

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        v = r.get(field)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return (0, v, "", r.get("_seq", 0))
        iv = as_int(v)
        if iv is not None:
            return (0, iv, "", r.get("_seq", 0))
        return (1, 0, "" if v is None else str(v).lower(), r.get("_seq", 0))

    return sorted(recs, key=key, reverse=reverse)


#: the fields GET /v3/sms/history documents for ``q`` (API notes §7)
HISTORY_Q_FIELDS = frozenset({"status", "to", "from", "subaccount_id", "message_id"})


def history_page(ctx: Ctx, rows: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One page of the authenticated account's history rows, with ``q`` (``operator``), ``date_from``/``date_to``
    (inclusive) and ``order_by`` (default ``date:asc``); shared by SMS and voice history."""
    # q filters by the fields ClickSend documents for it; any other field (status_code, custom_string...) is ignored
    filters = [(field, value) for field, value in parse_q(ctx.arg("q")) if field in HISTORY_Q_FIELDS]
    use_or = (ctx.arg("operator") or "AND").upper() == "OR"
    ids = [v for f, v in filters if f == "message_id"]
    if ids and not use_or:
        rows = [by_id[i] for i in {i.upper() for i in ids} if i in by_id]
    date_from = ctx.int_arg("date_from")
    date_to = ctx.int_arg("date_to")
    user = ctx.username
    selected = [
        r for r in rows
        if r.get("_api_username") == user
        and (date_from is None or int(r["date"]) >= date_from)
        and (date_to is None or int(r["date"]) <= date_to)
        and matches_filters(r, filters, use_or)
    ]
    page = paginate(ctx, sort_records(ctx, selected))
    page["data"] = [public(r) for r in page["data"]]
    return page


@route("GET", r"/v3/sms/history")
def sms_history(ctx: Ctx):
    return ok(history_page(ctx, ctx.state.history, ctx.state.history_by_id), "Here are your data.")

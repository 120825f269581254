"""SMS campaigns: POST /v3/sms-campaigns/send (API notes §5 "Campaigns").

One contact list of up to 20 000 recipients per call, with a short answer: the SmsCampaign object of ClickSend's
OpenAPI example (no per-message list). Each contact gets an SMS exactly like ``/sms/send`` would send it
(validation, formatting, truncation, history, delivery, receipts). Simulator choices (UNCONFIRMED): the messages
carry ``custom_string`` ``"sms_campaign_<id>"`` (ClickSend adds one of its own, value unknown); a missing
``list_id``/``name``/``body`` or a bad ``from``/``schedule`` is a 400 with a field map; an unknown list is a 404;
over 20 000 contacts is a 400 ``TOO_MANY_RECIPIENTS``. Accepted campaign messages are in ``sim.sent`` too.
"""

from __future__ import annotations

import time
from typing import Any

from .core import Ctx, as_int, bad_request, not_found, ok, route
from .routes_sms import default_sender, parse_schedule, sms_messages, too_many
from .textrules import sender_ok


MAX_CAMPAIGN_RECIPIENTS = 20000
UNSUBSCRIBE_PLACEHOLDER = "StopMsg.me/xxxxx"


def _check(body: dict[str, Any], now: int) -> tuple[int, int]:
    errors: dict[str, str] = {}
    for name in ("list_id", "name", "body"):
        if body.get(name) in (None, ""):
            errors[name] = f"The {name.replace('_', ' ')} field is required."
    list_id = as_int(body.get("list_id"))
    if "list_id" not in errors and list_id is None:
        errors["list_id"] = "The list id must be an integer."
    if not sender_ok(body.get("from")):
        errors["from"] = "The sender ID is invalid."
    schedule, schedule_ok = parse_schedule(body.get("schedule"), now)
    if not schedule_ok:
        errors["schedule"] = "The schedule must be a Unix timestamp."
    if errors:
        raise bad_request("Invalid input.", errors)
    return int(list_id or 0), int(schedule or now)


@route("POST", r"/v3/sms-campaigns/send")
def sms_campaign_send(ctx: Ctx):
    body = ctx.body_object()
    now = int(time.time())
    list_id, schedule = _check(body, now)
    if list_id not in ctx.state.lists:
        raise not_found(f"List #{list_id} not found.")
    contacts = ctx.state.list_contacts(list_id)
    if len(contacts) > MAX_CAMPAIGN_RECIPIENTS:
        raise too_many(MAX_CAMPAIGN_RECIPIENTS)
    campaign_id = ctx.state.next_id("campaign")
    sender = body.get("from") or default_sender(ctx.state)[0]
    message = {"list_id": list_id, "body": str(body["body"]), "from": sender, "schedule": schedule,
               "custom_string": f"sms_campaign_{campaign_id}"}
    sms_messages(ctx, [(message, contact, str(list_id), None) for contact in contacts], send=True)
    acct = ctx.account or {}
    campaign = {
        "sms_campaign_id": campaign_id, "name": str(body["name"]), "user_id": acct.get("user_id"),
        "subaccount_id": acct.get("subaccount_id"), "list_id": list_id, "from": sender, "body": message["body"],
        "schedule": schedule, "status": "Scheduled" if schedule > now else "Queued", "date_added": now, "custom_string": None,
        "url_to_shorten": str(body.get("url_to_shorten") or ""),
        "unsubscribe_link": 1 if UNSUBSCRIBE_PLACEHOLDER in message["body"] else 0,
        "source": body.get("source"), "senders": body.get("senders"), "_total_count": len(contacts),
        "_list_name": ctx.state.lists[list_id]["list_name"],
    }
    ctx.state.campaigns[campaign_id] = campaign
    return ok(dict(campaign), "Your new campaign has been added.")

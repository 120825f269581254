"""Automation rules: /v3/automations/sms/inbound and /v3/automations/sms/receipts (API notes §9)."""

from __future__ import annotations

from typing import Any, Callable

from .core import Ctx, as_int, bad_request, not_found, ok, paginate, route


ACTIONS = frozenset(
    {
        "AUTO_REPLY",
        "EMAIL_USER",
        "EMAIL_FIXED",
        "URL",
        "SMS",
        "POLL",
        "GROUP_SMS",
        "MOVE_CONTACT",
        "CREATE_CONTACT",
        "CREATE_CONTACT_PLUS_EMAIL",
        "CREATE_CONTACT_PLUS_NAME_EMAIL",
        "CREATE_CONTACT_PLUS_NAME",
        "SMPP",
        "NONE",
    }
)
WEBHOOK_TYPES = frozenset({"post", "get", "json"})
#: the fields a PUT of each kind of rule must carry (OAS update-sms-inbound-automation, update-sms-delivery-receipt-rule)
PUT_FIELDS = {
    "inbound_rules": ("dedicated_number", "rule_name", "message_search_type", "message_search_term", "action", "action_address", "enabled"),
    "receipt_rules": ("rule_name", "match_type", "action", "action_address", "enabled"),
}


def _check_common(body: dict[str, Any], required: tuple, partial: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not partial:
        for name in required:
            if body.get(name) is None or body.get(name) == "":
                errors[name] = f"The {name.replace('_', ' ')} field is required."
    if "action" in body and body["action"] not in ACTIONS:
        errors["action"] = "The selected action is invalid."
    if "enabled" in body and as_int(body["enabled"]) not in (0, 1):
        errors["enabled"] = "The enabled field must be 0 or 1."
    return errors


def _inbound_fields(body: dict[str, Any], partial: bool) -> dict[str, Any]:
    errors = _check_common(body, ("dedicated_number", "rule_name", "message_search_type", "action", "enabled"), partial)
    if "message_search_type" in body and as_int(body["message_search_type"]) not in (0, 1, 2, 3):
        errors["message_search_type"] = "The message search type must be 0, 1, 2 or 3."
    wt = body.get("webhook_type")
    if wt is not None and wt not in WEBHOOK_TYPES:
        errors["webhook_type"] = "The webhook type must be post, get or json."
    if errors:
        raise bad_request("Invalid input.", errors)
    out: dict[str, Any] = {}
    for name in ("dedicated_number", "rule_name", "message_search_term", "action", "action_address", "body", "webhook_type"):
        if name in body and body[name] is not None:
            out[name] = str(body[name])
    for name in ("message_search_type", "enabled"):
        if name in body:
            out[name] = as_int(body[name])
    return out


def _rule(ctx: Ctx, table: dict[int, dict[str, Any]], key: str) -> dict[str, Any]:
    rule_id = as_int(ctx.params[key])
    if rule_id is None or rule_id not in table:
        raise not_found("Rule not found.")
    return table[rule_id]


@route("GET", r"/v3/automations/sms/inbound")
def inbound_rules_list(ctx: Ctx):
    rules = [dict(r) for r in ctx.state.inbound_rules.values()]
    return ok(paginate(ctx, rules, extra_links=True), "Your list of inbound rules.")


@route("POST", r"/v3/automations/sms/inbound")
def inbound_rule_create(ctx: Ctx):
    fields = _inbound_fields(ctx.body_object(), partial=False)
    rule = ctx.state.add_inbound_rule(**fields)
    return ok(dict(rule), "Your record has been added.")


# -- delivery-receipt rules -------------------------------------------------


def _receipt_fields(body: dict[str, Any], partial: bool) -> dict[str, Any]:
    errors = _check_common(body, ("rule_name", "action", "enabled"), partial)
    if errors:
        raise bad_request("Invalid input.", errors)
    out: dict[str, Any] = {}
    for name in ("rule_name", "action", "action_address"):
        if name in body and body[name] is not None:
            out[name] = str(body[name])
    for name in ("match_type", "enabled"):
        if name in body:
            out[name] = as_int(body[name])
    return out


@route("GET", r"/v3/automations/sms/receipts")
def receipt_rules_list(ctx: Ctx):
    return ok(paginate(ctx, [dict(r) for r in ctx.state.receipt_rules.values()]), "Here are your automation receipts.")


@route("POST", r"/v3/automations/sms/receipts")
def receipt_rule_create(ctx: Ctx):
    fields = _receipt_fields(ctx.body_object(), partial=False)
    rule_id = ctx.state.next_id("receipt_rule")
    rule = {"receipt_rule_id": rule_id, "rule_name": "", "match_type": 0, "action": "POLL", "action_address": "", "enabled": 1}
    rule.update(fields)
    ctx.state.receipt_rules[rule_id] = rule
    return ok(dict(rule), "Your record has been added.")


def _item_routes(base: str, store: str, id_key: str, fields: Callable[[dict[str, Any], bool], dict[str, Any]], noun: str) -> None:
    """GET, PUT (every field required, API notes §9) and DELETE of one rule, for each kind of automation rule."""
    path = base + "/{" + id_key + "}"

    @route("GET", path)
    def rule_get(ctx: Ctx):
        return ok(dict(_rule(ctx, getattr(ctx.state, store), id_key)), f"Here is your {noun}.")

    @route("PUT", path)
    def rule_update(ctx: Ctx):
        rule = _rule(ctx, getattr(ctx.state, store), id_key)
        body = ctx.body_object()
        # ClickSend's API marks every field of the update required (the term and address may be "")
        missing = {name: f"The {name.replace('_', ' ')} field is required." for name in PUT_FIELDS[store] if body.get(name) is None}
        if missing:
            raise bad_request("Invalid input.", missing)
        rule.update(fields(body, True))
        return ok(dict(rule), "Your record has been updated.")

    @route("DELETE", path)
    def rule_delete(ctx: Ctx):
        rule = _rule(ctx, getattr(ctx.state, store), id_key)
        del getattr(ctx.state, store)[rule[id_key]]
        return ok([], "Your record has been deleted.")


_item_routes(r"/v3/automations/sms/inbound", "inbound_rules", "inbound_rule_id", _inbound_fields, "inbound rule")
_item_routes(r"/v3/automations/sms/receipts", "receipt_rules", "receipt_rule_id", _receipt_fields, "automation receipt")

"""Contact lists and contacts: /v3/lists..., /v3/lists/{list_id}/contacts..., /v3/lists/{list_id}/remove-duplicates/,
/v3/search/contacts-lists (API notes §13, §14).

Simulator choices (the real behaviour is UNCONFIRMED): duplicates are allowed (a list can hold the same phone number
twice; ``remove-duplicates`` exists to clean them up); PUT merges the given fields into the stored contact; deleting
a list deletes its contacts; unknown body keys (``company_name``, ``city``...) are dropped silently, as ClickSend is
believed to do.
"""

from __future__ import annotations

import time
from typing import Any

from .core import Ctx, as_int, bad_request, not_found, ok, paginate, route
from .state import CONTACT_FIELDS


IDENTITY_FIELDS = ("phone_number", "email", "fax_number")


def _list_id(ctx: Ctx) -> int:
    list_id = as_int(ctx.params["list_id"])
    if list_id is None or list_id not in ctx.state.lists:
        raise not_found(f"List #{ctx.params['list_id']} not found.")
    return list_id


def _contact(ctx: Ctx, list_id: int) -> dict[str, Any]:
    contact_id = as_int(ctx.params["contact_id"])
    contact = ctx.state.contacts.get(list_id, {}).get(contact_id) if contact_id is not None else None
    if contact is None:
        raise not_found(f"Contact #{ctx.params['contact_id']} not found in list #{list_id}.")
    return contact


def _list_name(body: dict[str, Any]) -> str:
    name = body.get("list_name")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("Invalid input.", {"list_name": "The list name field is required."})
    return name


def _contact_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The known contact fields of a request body, as strings (or None); everything else is dropped."""
    fields: dict[str, Any] = {}
    for name in CONTACT_FIELDS:
        if name in body:
            value = body[name]
            fields[name] = None if value is None else str(value)
    return fields


def _check_contact(contact: dict[str, Any]) -> None:
    if not any(contact.get(name) for name in IDENTITY_FIELDS):
        raise bad_request(
            "At least one of phone_number, email or fax_number is required.",
            {"phone_number": "The phone number field is required when none of email / fax number are present."},
        )


# -- lists ------------------------------------------------------------------


@route("GET", r"/v3/lists")
def lists_index(ctx: Ctx):
    lists = [ctx.state.list_object(list_id) for list_id in ctx.state.lists]
    return ok(paginate(ctx, lists, extra_links=True), "Here are your contact lists.")


@route("POST", r"/v3/lists")
def list_create(ctx: Ctx):
    listing = ctx.state.add_list(_list_name(ctx.body_object()))
    return ok(listing, "New list has been created.")


@route("GET", r"/v3/lists/{list_id}")
def list_get(ctx: Ctx):
    return ok(ctx.state.list_object(_list_id(ctx)), "Here is your list.")


@route("PUT", r"/v3/lists/{list_id}")
def list_update(ctx: Ctx):
    list_id = _list_id(ctx)
    name = _list_name(ctx.body_object())
    ctx.state.lists[list_id]["list_name"] = name
    for contact in ctx.state.contacts[list_id].values():
        contact["_list_name"] = name
    return ok(ctx.state.list_object(list_id), f"List #{list_id} has been updated.")


@route("DELETE", r"/v3/lists/{list_id}")
def list_delete(ctx: Ctx):
    list_id = _list_id(ctx)
    del ctx.state.lists[list_id]
    ctx.state.contacts.pop(list_id, None)
    return ok([], f"List #{list_id} has been deleted.")


# -- contacts ---------------------------------------------------------------


@route("GET", r"/v3/lists/{list_id}/contacts")
def contacts_index(ctx: Ctx):
    list_id = _list_id(ctx)
    contacts = ctx.state.list_contacts(list_id)
    after = ctx.int_arg("updated_after")
    if after is not None:
        contacts = [c for c in contacts if int(c.get("date_updated") or 0) > after]
    if ctx.state.settings.get("bare_list_contacts"):
        return ok([dict(c) for c in contacts], "Here's your list of contacts.")  # robustness switch, not documented
    return ok(paginate(ctx, [dict(c) for c in contacts]), "Here's your list of contacts.")


def _duplicate_fields(body: Any) -> tuple[str, ...]:
    """The contact fields compared by remove-duplicates: ``fields`` as a list of names (ClickSend's code sample) or an
    object whose keys are names (its schema); default ``phone_number``."""
    fields = body.get("fields") if isinstance(body, dict) else None
    names = list(fields) if isinstance(fields, (list, dict)) else []
    known = tuple(str(n) for n in names if str(n) in CONTACT_FIELDS)
    return known or ("phone_number",)


@route("PUT", r"/v3/lists/{list_id}/remove-duplicates")
def remove_duplicates(ctx: Ctx):
    """Delete every contact equal to an older one of the same list on the compared fields (empty values never match)."""
    list_id = _list_id(ctx)
    names = _duplicate_fields(ctx.json)
    seen: set = set()
    doomed: list[int] = []
    for contact in ctx.state.contacts[list_id].values():
        key = tuple(str(contact.get(n) or "").strip().casefold() for n in names)
        if not any(key):
            continue
        if key in seen:
            doomed.append(contact["contact_id"])
        seen.add(key)
    for contact_id in doomed:
        del ctx.state.contacts[list_id][contact_id]
    return ok({"deleted": len(doomed)}, "Your list duplicate contacts has been deleted.")


@route("POST", r"/v3/lists/{list_id}/contacts")
def contact_create(ctx: Ctx):
    list_id = _list_id(ctx)
    fields = _contact_fields(ctx.body_object())
    _check_contact(fields)
    return ok(dict(ctx.state.add_contact(list_id, **fields)), "New contact has been created.")


@route("GET", r"/v3/lists/{list_id}/contacts/{contact_id}")
def contact_get(ctx: Ctx):
    return ok(dict(_contact(ctx, _list_id(ctx))), "Here is your contact.")


@route("PUT", r"/v3/lists/{list_id}/contacts/{contact_id}")
def contact_update(ctx: Ctx):
    list_id = _list_id(ctx)
    contact = _contact(ctx, list_id)
    merged = dict(contact, **_contact_fields(ctx.body_object()))
    _check_contact(merged)
    merged["date_updated"] = max(int(time.time()), int(contact.get("date_updated") or 0) + 1)
    contact.update(merged)
    return ok(dict(contact), f"Contact #{contact['contact_id']} has been updated successfully.")


@route("DELETE", r"/v3/lists/{list_id}/contacts/{contact_id}")
def contact_delete(ctx: Ctx):
    list_id = _list_id(ctx)
    contact = _contact(ctx, list_id)
    del ctx.state.contacts[list_id][contact["contact_id"]]
    return ok([], f"Contact #{contact['contact_id']} has been deleted.")


# -- search -----------------------------------------------------------------


@route("GET", r"/v3/search/contacts-lists")
def search_contacts_lists(ctx: Ctx):
    """Lists whose name, and contacts whose name, phone number or e-mail contains ``q`` (case-insensitive; a simulator choice)."""
    q = (ctx.arg("q") or "").strip().casefold()
    if not q:
        raise bad_request("Invalid input.", {"q": "The q field is required."})
    hits: list[dict[str, Any]] = []
    for list_id in ctx.state.lists:
        listing = ctx.state.list_object(list_id)
        if q in listing["list_name"].casefold():
            hits.append(
                {
                    "id": list_id,
                    "name": listing["list_name"],
                    "contact": listing["list_email_id"],
                    "type": "list",
                    "contacts_count": listing["_contacts_count"],
                }
            )
        for contact in ctx.state.contacts[list_id].values():
            name = " ".join(str(contact.get(k) or "") for k in ("first_name", "last_name")).strip()
            haystack = " ".join((name, str(contact.get("phone_number") or ""), str(contact.get("email") or ""))).casefold()
            if q in haystack:
                hits.append(
                    {
                        "id": contact["contact_id"],
                        "name": name,
                        "contact": contact.get("phone_number") or contact.get("email"),
                        "type": "contact",
                        "contacts_count": None,
                    }
                )
    return ok(paginate(ctx, hits), "Here are your search results.")

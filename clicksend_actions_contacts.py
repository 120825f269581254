# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Contacts and contact lists: create, update, delete, search.

ClickSend's contacts live inside lists: every contact endpoint is lists/{list_id}/contacts/..., and no endpoint
finds a contact by id, e-mail or phone alone. So searches read every page of a list, and update/delete find the
contact's list themselves when the caller does not give it. Every list read goes through clicksend_pages.iter_items (one
list) or clicksend_contacts.contact_pages (several), which read several pages at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

import clicksend_consts as consts
import clicksend_pages
import clicksend_params as checks
from clicksend_contacts import contact_pages, is_not_found, list_groups, phone_matcher
from clicksend_errors import ClickSendHTTPError
from clicksend_params import ActionFailed, ParameterError
from clicksend_text import plural
from clicksend_urls import api_path


# --- parameters -------------------------------------------------------------------------------------------------


def contact_fields(ctx, params, phone_required: bool) -> dict:
    """The contact parameters that were given, checked, under ClickSend's field names (company_name -> organization_name...)."""
    fields: dict = {}
    for param, field in consts.CONTACT_PARAM_FIELDS:
        value = params.string(param, required=phone_required and param == "phone_number")
        if value is None:
            continue
        if param in ("phone_number", "fax_number"):
            value = checks.phone_number(value, ctx.account.default_country, param)
        elif param == "email":
            value = checks.email(value, param)
        elif param == "country":
            value = checks.country_code(value, param)
        fields[field] = value
    return fields


def cleared_fields(params, changes: dict) -> dict:
    """`clear_fields`: parameter names whose ClickSend field update contact sets to empty; none may also be given a value."""
    raw = params.string("clear_fields")
    if raw is None:
        return {}
    known = dict(consts.CONTACT_PARAM_FIELDS)
    cleared: dict = {}
    for name in (piece.strip().lower() for piece in raw.split(",")):
        if not name:
            continue
        if name not in known:
            raise ParameterError("clear_fields", f"{name[:40]!r} is not a contact parameter; use any of {', '.join(known)}")
        if known[name] in changes:
            raise ParameterError("clear_fields", f"{name!r} is also given a new value; give either a value or clear it")
        cleared[name] = known[name]
    return cleared


def _ids(params) -> tuple:
    """contact_id (required) and contact_list_id (optional: the app finds the list when it is not given)."""
    return params.integer("contact_id", required=True, minimum=1), params.integer("contact_list_id", minimum=1)


def _list_id(params) -> int:
    return params.integer("contact_list_id", required=True, minimum=1)


# --- ClickSend reads ----------------------------------------------------------------------------------------------


def _list_missing(list_id: int, err: ClickSendHTTPError) -> ActionFailed:
    return ActionFailed(f"Contact list {list_id} does not exist at ClickSend (HTTP {err.status} {err.response_code or 'NOT_FOUND'})")


def _list_contacts(ctx, list_id: int) -> Iterator[dict]:
    """Every contact of one list, page after page; an unknown list fails naming it."""
    try:
        for contact in clicksend_pages.iter_items(ctx.client, api_path(consts.EP_LIST_CONTACTS, list_id=list_id)):
            if isinstance(contact, dict):
                yield contact
    except ClickSendHTTPError as err:
        if is_not_found(err):
            raise _list_missing(list_id, err) from None
        raise


def _get_contact(ctx, list_id: int, contact_id: int) -> dict:
    """GET one contact; on 404, one more read tells an unknown list from a contact that is not in it."""
    try:
        contact = ctx.client.get(api_path(consts.EP_LIST_CONTACT, list_id=list_id, contact_id=contact_id))
    except ClickSendHTTPError as err:
        if not is_not_found(err):
            raise
        try:
            ctx.client.get(api_path(consts.EP_LIST, list_id=list_id))
        except ClickSendHTTPError as list_err:
            if is_not_found(list_err):
                raise _list_missing(list_id, list_err) from None
            raise
        raise ActionFailed(f"Contact {contact_id} is not in contact list {list_id} (ClickSend answered HTTP 404 NOT_FOUND)") from None
    if not isinstance(contact, dict):
        raise ActionFailed(f"ClickSend answered GET contact {contact_id} of list {list_id} without a contact object")
    return contact


def _find_contact(ctx, contact_id: int) -> tuple:
    """(list_id, contact) of a contact whose list is not known: every list's contacts (see contact_pages), stopping at
    the first hit; nothing more is asked for once the contact is found."""
    ctx.progress(f"Looking for the list of contact {contact_id}")
    groups = list_groups(list(clicksend_pages.iter_items(ctx.client, consts.EP_LISTS)))

    def vanished(listing: dict) -> None:
        ctx.debug(f"list {listing['list_id']} was deleted while the lists were searched; passed over")

    for group in groups:
        pages = contact_pages(ctx, group, vanished)
        try:
            for listing, contacts, _final in pages:
                for contact in contacts:
                    if isinstance(contact, dict) and str(contact.get("contact_id")) == str(contact_id):
                        ctx.debug(f"contact {contact_id} found in list {listing['list_id']}")
                        return listing["list_id"], contact
        finally:
            pages.close()
    searched = sum(len(group) for group in groups)
    raise ActionFailed(f"Contact {contact_id} is in none of the account's contact lists ({searched} searched); check the contact ID")


def _locate(ctx, contact_id: int, list_id: Optional[int]) -> tuple:
    if list_id is None:
        return _find_contact(ctx, contact_id)
    return list_id, _get_contact(ctx, list_id, contact_id)


# --- contact lists ------------------------------------------------------------------------------------------------


def create_contact_list(ctx, params, result) -> str:
    name = params.string("list_name", required=True)
    listing = ctx.client.post(consts.EP_LISTS, {"list_name": name})
    if not isinstance(listing, dict) or listing.get("list_id") is None:
        raise ActionFailed("ClickSend answered POST lists without the new list; check the account's lists before trying again")
    result.add_data(listing)
    result.update_summary({"list_id": listing["list_id"]})
    return f"Created contact list {listing['list_id']} named {listing.get('list_name', name)!r}"


def search_contact_lists(ctx, params, result) -> str:
    wanted = params.string("list_name")
    needle = wanted.casefold() if wanted else None
    found = 0
    for listing in clicksend_pages.iter_items(ctx.client, consts.EP_LISTS):
        if not isinstance(listing, dict):
            continue
        if needle is not None and needle not in str(listing.get("list_name") or "").casefold():
            continue
        result.add_data(listing)
        found += 1
    result.update_summary({"total_lists": found})
    if wanted is None:
        return f"Found {plural(found, 'contact list')}"
    return f"Found {plural(found, 'contact list')} whose name contains {wanted!r}"


# --- contacts -----------------------------------------------------------------------------------------------------


def _summarise(result, contact: dict, list_id: Any) -> None:
    result.update_summary({"contact_id": contact.get("contact_id"), "list_id": contact.get("list_id", list_id)})


def _write(ctx, method: str, path: str, body: dict, duplicate: str, list_id: int) -> Any:
    """POST or PUT a contact; ClickSend's duplicate answer (ALREADY_EXISTS, as an HTTP error or in a 2xx envelope) becomes `duplicate`."""
    try:
        envelope = ctx.client.request(method, path, json_body=body)
    except ClickSendHTTPError as err:
        if err.response_code == consts.CODE_ALREADY_EXISTS:
            raise ActionFailed(duplicate) from None
        if is_not_found(err) and method == "POST":
            raise _list_missing(list_id, err) from None
        raise
    if str(envelope.get("response_code")) == consts.CODE_ALREADY_EXISTS:
        raise ActionFailed(duplicate)
    return envelope.get("data")


def create_contact(ctx, params, result) -> str:
    list_id = _list_id(params)
    fields = contact_fields(ctx, params, phone_required=True)
    duplicate = (
        f"Contact list {list_id} already has a contact with this phone number or e-mail (ClickSend: {consts.CODE_ALREADY_EXISTS}); "
        "use update contact to change it"
    )
    contact = _write(ctx, "POST", api_path(consts.EP_LIST_CONTACTS, list_id=list_id), fields, duplicate, list_id)
    if not isinstance(contact, dict) or contact.get("contact_id") is None:
        raise ActionFailed(f"ClickSend answered POST lists/{list_id}/contacts without the new contact; check the list before trying again")
    result.add_data(contact)
    _summarise(result, contact, list_id)
    return f"Created contact {contact['contact_id']} in contact list {contact.get('list_id', list_id)}"


def update_contact(ctx, params, result) -> str:
    contact_id, list_id = _ids(params)
    changes = contact_fields(ctx, params, phone_required=False)
    cleared = cleared_fields(params, changes)
    if not changes and not cleared:
        names = ", ".join(param for param, _ in consts.CONTACT_PARAM_FIELDS)
        raise ActionFailed(f"Nothing to change: give at least one of the parameters {names}, or clear_fields")
    list_id, current = _locate(ctx, contact_id, list_id)
    # the full set of writable fields: right whether ClickSend's PUT merges or replaces; a stored value is blanked only
    # when clear_fields names it
    body = {name: current[name] for name in consts.CONTACT_WRITABLE_FIELDS if current.get(name) is not None}
    body.update(changes)
    body.update(dict.fromkeys(cleared.values(), ""))
    duplicate = (
        f"Contact list {list_id} already has another contact with this phone number or e-mail "
        f"(ClickSend: {consts.CODE_ALREADY_EXISTS}); contact {contact_id} was not changed"
    )
    contact = _write(ctx, "PUT", api_path(consts.EP_LIST_CONTACT, list_id=list_id, contact_id=contact_id), body, duplicate, list_id)
    if not isinstance(contact, dict):
        contact = dict(current, **changes, **dict.fromkeys(cleared.values(), ""))
    result.add_data(contact)
    _summarise(result, contact, list_id)
    given = dict(consts.CONTACT_PARAM_FIELDS)
    updated = [param for param in given if given[param] in changes]
    result.update_summary({"updated_fields": updated, "cleared_fields": list(cleared)})
    what = ", ".join(updated + [f"{name} (cleared)" for name in cleared])
    return f"Updated {what} of contact {contact_id} in contact list {list_id}"


def delete_contact(ctx, params, result) -> str:
    contact_id, list_id = _ids(params)
    list_id, contact = _locate(ctx, contact_id, list_id)
    try:
        ctx.client.delete(api_path(consts.EP_LIST_CONTACT, list_id=list_id, contact_id=contact_id))
    except ClickSendHTTPError as err:
        # the contact was there a moment ago: a 404 now means it is gone (e.g. a retried DELETE whose first try went through)
        if not is_not_found(err):
            raise
        ctx.debug(f"contacts: DELETE of contact {contact_id} answered 404 after it was read: already deleted")
    result.add_data(contact)
    _summarise(result, contact, list_id)
    return f"Deleted contact {contact_id} from contact list {list_id}"


def _search(ctx, result, list_id: int, matches) -> int:
    ctx.progress(f"Reading every contact of list {list_id}")
    found = 0
    for contact in _list_contacts(ctx, list_id):
        if matches(contact):
            result.add_data(contact)
            found += 1
    result.update_summary({"total_matches": found})
    return found


def _found_text(found: int, list_id: int, what: str) -> str:
    return f"Found {plural(found, 'contact')} in contact list {list_id} with {what}"


def search_contact_by_email(ctx, params, result) -> str:
    list_id = _list_id(params)
    address = checks.email(params.string("email", required=True))
    wanted = address.casefold()
    found = _search(ctx, result, list_id, lambda contact: str(contact.get("email") or "").strip().casefold() == wanted)
    return _found_text(found, list_id, f"e-mail {address}")


def search_contact_by_phone(ctx, params, result) -> str:
    list_id = _list_id(params)
    country = ctx.account.default_country
    number = checks.phone_number(params.string("phone_number", required=True), country, "phone_number")
    found = _search(ctx, result, list_id, phone_matcher(number, country))
    return _found_text(found, list_id, f"phone number {number}")


HANDLERS = {
    "create_contact": create_contact,
    "update_contact": update_contact,
    "delete_contact": delete_contact,
    "create_contact_list": create_contact_list,
    "search_contact_lists": search_contact_lists,
    "search_contact_by_email": search_contact_by_email,
    "search_contact_by_phone": search_contact_by_phone,
}

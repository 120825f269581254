"""Contact and contact-list scenarios: each runs one action against a simulator holding a few lists and contacts."""

from tests.contract.scenarios import Scenario


JANE = {
    "phone_number": "0411 111 111",  # stored in local format: the phone search must still find it
    "email": "Jane@Example.com",
    "first_name": "Jane",
    "last_name": "Citizen",
    "organization_name": "Example SOC",
    "fax_number": "+61477141888",
    "address_line_1": "1 Collins St",
    "address_line_2": "Level 5",
    "address_city": "Melbourne",
    "address_state": "VIC",
    "address_postal_code": "3000",
    "address_country": "AU",
    "custom_1": "tier1",
}


def _lists(sim):
    """An empty list, then a list with Jane and a second contact; returns the ids."""
    sim.add_list("Marketing newsletter")
    listing = sim.add_list("SOC on-call", contacts=[JANE, {"phone_number": "+61422222222", "email": "bob@example.com"}])
    jane = sim.state.list_contacts(listing["list_id"])[0]
    return {"contact_list_id": listing["list_id"], "contact_id": jane["contact_id"]}


def _list_only(sim):
    return {"contact_list_id": _lists(sim)["contact_list_id"]}


def _contact_only(sim):
    return {"contact_id": _lists(sim)["contact_id"]}


def _no_ids(sim):
    _lists(sim)


def _duplicate(sim):
    return {"contact_list_id": _lists(sim)["contact_list_id"], "phone_number": "0422 222 222"}


ADDRESS = {
    "email": "sam@example.com",
    "first_name": "Sam",
    "last_name": "Analyst",
    "company_name": "Example SOC",
    "address_line_1": "1 Collins St",
    "address_line_2": "Level 5",
    "city": "Melbourne",
    "state": "VIC",
    "postal_code": "3000",
    "country": "au",
    "fax_number": "+61299999999",
    "custom_1": "tier1",
    "custom_2": "night shift",
    "custom_3": "badge 77",
    "custom_4": "VIP",
}

SCENARIOS = [
    Scenario("create_contact_list", "new list", params={"list_name": "SOC on-call"}),
    Scenario("create_contact_list", "blank name", params={"list_name": "   "}, expect="failed"),
    Scenario("search_contact_lists", "every list", setup=_no_ids),
    Scenario("search_contact_lists", "name contains, any case", params={"list_name": "on-CALL"}, setup=_no_ids),
    Scenario("create_contact", "every field", params=dict(ADDRESS, phone_number="0433 333 333"), setup=_list_only),
    # ClickSend allows the same number twice in a list (it offers remove-duplicates): the app does not refuse it either
    Scenario("create_contact", "same number twice in a list", params={"first_name": "Jane"}, setup=_duplicate),
    Scenario("create_contact", "unknown list", params={"contact_list_id": 999, "phone_number": "+61433333333"}, expect="failed"),
    Scenario("update_contact", "list given, every field", params=dict(ADDRESS, phone_number="+61 433 333 333"), setup=_lists),
    Scenario("update_contact", "list found by the app", params={"city": "Sydney"}, setup=_contact_only),
    Scenario("update_contact", "clear two fields", params={"clear_fields": "email,last_name", "custom_1": "tier2"}, setup=_lists),
    Scenario("update_contact", "unknown contact", params={"contact_id": 42, "city": "Sydney"}, setup=_list_only, expect="failed"),
    Scenario("delete_contact", "list given", setup=_lists),
    Scenario("delete_contact", "list found by the app", setup=_contact_only),
    Scenario("search_contact_by_email", "case-insensitive match", params={"email": "jane@EXAMPLE.com"}, setup=_list_only),
    Scenario("search_contact_by_email", "no match", params={"email": "nobody@example.com"}, setup=_list_only),
    Scenario("search_contact_by_phone", "stored in local format", params={"phone_number": "+61411111111"}, setup=_list_only),
    Scenario("search_contact_by_phone", "unknown list", params={"contact_list_id": 999, "phone_number": "+61411111111"}, expect="failed"),
]

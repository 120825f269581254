"""Contacts and contact lists: the exact requests ClickSend receives, and the result the playbook reads."""

import pytest

from tests.conftest import BASE_URL, envelope
from tests.contract.scenarios.contacts import ADDRESS


LISTS_URL = f"{BASE_URL}/lists"


def paged(items):
    """A requests_mock callback serving `items` as ClickSend pages (page, limit from the query)."""

    def reply(request, context):
        page = int(request.qs.get("page", ["1"])[0])
        limit = int(request.qs.get("limit", ["15"])[0])
        chunk = items[(page - 1) * limit : page * limit]
        last = max(1, -(-len(items) // limit))
        return envelope(
            {
                "total": len(items),
                "per_page": limit,
                "current_page": page,
                "last_page": last,
                "next_page_url": None,
                "prev_page_url": None,
                "from": None,
                "to": None,
                "data": chunk,
            }
        )

    return reply


def not_found(msg="Resource not found."):
    return {"status_code": 404, "json": envelope(None, msg, "NOT_FOUND", 404)}


def a_list(list_id, name="SOC on-call", count=1):
    return {
        "list_id": list_id,
        "list_name": name,
        "list_email_id": "KB0LHD6WXFVHZWTR",
        "_contacts_count": count,
        "_import_in_progress": 0,
        "_optout_in_progress": 0,
    }


def a_contact(contact_id, list_id=77, **fields):
    contact = {
        "contact_id": contact_id,
        "list_id": list_id,
        "phone_number": "+61411111111",
        "email": "jane@example.com",
        "fax_number": None,
        "first_name": "Jane",
        "last_name": "Citizen",
        "organization_name": "Example SOC",
        "address_line_1": "1 Collins St",
        "address_line_2": None,
        "address_city": "Melbourne",
        "address_state": "VIC",
        "address_postal_code": "3000",
        "address_country": "AU",
        "custom_1": "tier1",
        "custom_2": "",
        "custom_3": "",
        "custom_4": "",
        "date_added": 1783997542,
        "date_updated": 1783997542,
        "_list_name": "SOC on-call",
    }
    contact.update(fields)
    return contact


def calls(requests_mock):
    return [(r.method, r.path + (f"?{r.query}" if r.query else "")) for r in requests_mock.request_history]


# --- create contact list -----------------------------------------------------------------------------------------


def test_create_contact_list_posts_the_name_and_returns_the_list(run, requests_mock):
    requests_mock.post(LISTS_URL, json=envelope(a_list(1876543, count=0), "New list has been created."))
    run("create_contact_list", {"list_name": "  SOC on-call "})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("POST", "/v3/lists")]
    assert requests_mock.last_request.json() == {"list_name": "SOC on-call"}
    assert run.result["data"] == [a_list(1876543, count=0)]
    assert run.result["summary"] == {"list_id": 1876543}
    assert run.result["message"] == "Created contact list 1876543 named 'SOC on-call'"


@pytest.mark.parametrize("name", ["", "   ", None])
def test_create_contact_list_needs_a_name_and_sends_nothing(run, requests_mock, name):
    run("create_contact_list", {"list_name": name} if name is not None else {})
    assert run.result["status"] == "failed"
    assert "list_name" in run.result["message"]
    assert requests_mock.call_count == 0


# --- search contact lists ----------------------------------------------------------------------------------------


def test_search_contact_lists_reads_every_page(run, requests_mock):
    lists = [a_list(1000 + n, f"List {n}") for n in range(260)]
    requests_mock.get(LISTS_URL, json=paged(lists))
    run("search_contact_lists", {})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("GET", f"/v3/lists?page={page}&limit=100") for page in (1, 2, 3)]
    assert run.result["summary"] == {"total_lists": 260}
    assert [item["list_id"] for item in run.result["data"]] == [1000 + n for n in range(260)]
    assert run.result["data"][0]["_contacts_count"] == 1
    assert run.result["message"] == "Found 260 contact lists"


def test_search_contact_lists_matches_part_of_the_name_in_any_case(run, requests_mock):
    lists = [a_list(n, f"Filler {n}") for n in range(1, 251)] + [
        a_list(900, "SOC On-Call"),
        a_list(901, "Marketing"),
        a_list(902, "old soc on-call"),
    ]
    requests_mock.get(LISTS_URL, json=paged(lists))
    run("search_contact_lists", {"list_name": "on-CALL"})
    assert [item["list_id"] for item in run.result["data"]] == [900, 902]
    assert run.result["summary"] == {"total_lists": 2}
    assert run.result["message"] == "Found 2 contact lists whose name contains 'on-CALL'"
    assert requests_mock.call_count == 3


def test_search_contact_lists_without_a_match_succeeds_with_zero(run, requests_mock):
    requests_mock.get(LISTS_URL, json=paged([a_list(1, "Marketing")]))
    run("search_contact_lists", {"list_name": "payroll"})
    assert run.result["status"] == "success"
    assert run.result["summary"] == {"total_lists": 0}
    assert run.result["data"] == []


# --- create contact ----------------------------------------------------------------------------------------------

FULL = dict(ADDRESS, contact_list_id=77, phone_number="0411 111 111")


def test_create_contact_sends_clicksends_field_names(run, requests_mock):
    url = f"{LISTS_URL}/77/contacts"
    requests_mock.post(url, json=envelope(a_contact(552786), "New contact has been created."))
    run("create_contact", FULL)
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("POST", "/v3/lists/77/contacts")]
    assert requests_mock.last_request.json() == {
        "phone_number": "+61411111111",
        "email": "sam@example.com",
        "first_name": "Sam",
        "last_name": "Analyst",
        "organization_name": "Example SOC",
        "address_line_1": "1 Collins St",
        "address_line_2": "Level 5",
        "address_city": "Melbourne",
        "address_state": "VIC",
        "address_postal_code": "3000",
        "address_country": "AU",
        "fax_number": "+61299999999",
        "custom_1": "tier1",
        "custom_2": "night shift",
        "custom_3": "badge 77",
        "custom_4": "VIP",
    }
    assert run.result["data"] == [a_contact(552786)]
    assert run.result["summary"] == {"contact_id": 552786, "list_id": 77}
    assert run.result["message"] == "Created contact 552786 in contact list 77"


def test_create_contact_sends_only_the_fields_given(run, requests_mock):
    requests_mock.post(f"{LISTS_URL}/77/contacts", json=envelope(a_contact(5)))
    run("create_contact", {"contact_list_id": "77", "phone_number": "+61 411 111 111", "email": "", "city": "  "})
    assert requests_mock.last_request.json() == {"phone_number": "+61411111111"}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"contact_list_id": 77}, "phone_number"),
        ({"contact_list_id": 77, "phone_number": "12"}, "phone_number"),
        ({"contact_list_id": 77, "phone_number": "+61411111111", "country": "Australia"}, "country"),
        ({"contact_list_id": 77, "phone_number": "+61411111111", "country": "ZZ"}, "country"),
        ({"contact_list_id": "seventy", "phone_number": "+61411111111"}, "contact_list_id"),
        ({"phone_number": "+61411111111"}, "contact_list_id"),
        ({"contact_list_id": 77, "phone_number": "+61411111111", "email": "not-an-address"}, "email"),
    ],
)
def test_create_contact_bad_input_names_the_parameter_and_sends_nothing(run, requests_mock, params, named):
    run("create_contact", params)
    assert run.result["status"] == "failed"
    assert named in run.result["message"]
    assert requests_mock.call_count == 0


def test_create_contact_duplicate_gets_a_clear_message(run, requests_mock):
    body = envelope(None, "Contact already exists.", "ALREADY_EXISTS", 400)
    requests_mock.post(f"{LISTS_URL}/77/contacts", status_code=400, json=body)
    run("create_contact", {"contact_list_id": 77, "phone_number": "+61411111111"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "Contact list 77 already has a contact with this phone number or e-mail (ClickSend: ALREADY_EXISTS); use update contact to change it"
    )
    assert requests_mock.call_count == 1


def test_create_contact_duplicate_in_a_200_envelope_is_caught_too(run, requests_mock):
    requests_mock.post(f"{LISTS_URL}/77/contacts", json=envelope(None, "Contact already exists.", "ALREADY_EXISTS"))
    run("create_contact", {"contact_list_id": 77, "phone_number": "+61411111111"})
    assert run.result["status"] == "failed"
    assert "already has a contact" in run.result["message"]


def test_create_contact_in_an_unknown_list_names_it(run, requests_mock):
    requests_mock.post(f"{LISTS_URL}/404/contacts", **not_found())
    run("create_contact", {"contact_list_id": 404, "phone_number": "+61411111111"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Contact list 404 does not exist at ClickSend (HTTP 404 NOT_FOUND)"


# --- update contact ----------------------------------------------------------------------------------------------

READ_ONLY = ("contact_id", "list_id", "date_added", "date_updated", "_list_name")
# what the PUT must carry for a_contact(): every writable field that holds a value
STORED_BODY = {key: value for key, value in a_contact(552786).items() if key not in READ_ONLY and value is not None}


def test_update_contact_reads_then_puts_every_stored_field_with_the_changes(run, requests_mock):
    url = f"{LISTS_URL}/77/contacts/552786"
    requests_mock.get(url, json=envelope(a_contact(552786)))
    requests_mock.put(url, json=envelope(a_contact(552786, address_city="Sydney", phone_number="+61422222222")))
    # empty optional parameters count as not given: they never blank a stored value
    run(
        "update_contact",
        {"contact_id": 552786, "contact_list_id": 77, "city": "Sydney", "phone_number": "0422 222 222", "email": "", "last_name": " "},
    )
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("GET", "/v3/lists/77/contacts/552786"), ("PUT", "/v3/lists/77/contacts/552786")]
    assert requests_mock.last_request.json() == dict(STORED_BODY, address_city="Sydney", phone_number="+61422222222")
    assert run.result["data"][0]["address_city"] == "Sydney"
    # the parameters the caller gave, by their own names (not ClickSend's address_city)
    assert run.result["summary"] == {"contact_id": 552786, "list_id": 77, "updated_fields": ["phone_number", "city"], "cleared_fields": []}
    assert run.result["message"] == "Updated phone_number, city of contact 552786 in contact list 77"


def test_update_contact_sets_custom_fields_and_fax_and_clears_fields_on_request(run, requests_mock):
    url = f"{LISTS_URL}/77/contacts/552786"
    requests_mock.get(url, json=envelope(a_contact(552786)))
    requests_mock.put(url, json=envelope(a_contact(552786)))
    params = {"contact_id": 552786, "contact_list_id": 77, "custom_2": "tier2", "fax_number": "02 9999 9999", "clear_fields": "email, city"}
    run("update_contact", params)
    assert run.result["status"] == "success", run.result["message"]
    body = requests_mock.last_request.json()
    assert (body["custom_2"], body["fax_number"], body["email"], body["address_city"]) == ("tier2", "+61299999999", "", "")
    assert run.result["summary"]["updated_fields"] == ["fax_number", "custom_2"]
    assert run.result["summary"]["cleared_fields"] == ["email", "city"]
    assert run.result["message"] == "Updated fax_number, custom_2, email (cleared), city (cleared) of contact 552786 in contact list 77"


@pytest.mark.parametrize(
    ("clear", "needle"),
    [("nickname", "'nickname' is not a contact parameter"), ("city", "'city' is also given a new value")],
)
def test_clear_fields_names_what_is_wrong_before_any_request(run, requests_mock, clear, needle):
    run("update_contact", {"contact_id": 5, "contact_list_id": 77, "city": "Perth", "clear_fields": clear})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"Parameter 'clear_fields': {needle}")
    assert requests_mock.call_count == 0


def test_update_contact_maps_the_address_parameters(run, requests_mock):
    url = f"{LISTS_URL}/77/contacts/5"
    requests_mock.get(url, json=envelope(a_contact(5, organization_name=None, address_country=None)))
    requests_mock.put(url, json=envelope(a_contact(5)))
    run(
        "update_contact",
        {"contact_id": 5, "contact_list_id": 77, "company_name": "ACME", "state": "NSW", "postal_code": "2000", "country": "nz"},
    )
    body = requests_mock.last_request.json()
    assert (body["organization_name"], body["address_state"], body["address_postal_code"], body["address_country"]) == (
        "ACME",
        "NSW",
        "2000",
        "NZ",
    )
    assert "company_name" not in body and "state" not in body and "country" not in body


def test_update_contact_finds_the_list_with_few_requests(run, requests_mock):
    lists = [a_list(10, "Empty", count=0), a_list(11, "Other", count=150), a_list(12, "Target", count=2), a_list(13, "Never read", count=5)]
    requests_mock.get(LISTS_URL, json=paged(lists))
    requests_mock.get(f"{LISTS_URL}/11/contacts", json=paged([a_contact(n, 11) for n in range(1, 151)]))
    requests_mock.get(f"{LISTS_URL}/12/contacts", json=paged([a_contact(700, 12), a_contact(701, 12)]))
    requests_mock.put(f"{LISTS_URL}/12/contacts/701", json=envelope(a_contact(701, 12, first_name="Janet")))
    run("update_contact", {"contact_id": 701, "first_name": "Janet"})
    assert run.result["status"] == "success", run.result["message"]
    made = calls(requests_mock)
    assert made[:2] == [
        ("GET", "/v3/lists?page=1&limit=100"),
        ("GET", "/v3/lists/11/contacts?page=1&limit=100"),  # the first read goes alone
    ]
    # then list 11's page 2 and page 1 of the lists ahead, at once (so list 13's too); the empty list 10 is never read
    assert sorted(made[2:5]) == [
        ("GET", "/v3/lists/11/contacts?page=2&limit=100"),
        ("GET", "/v3/lists/12/contacts?page=1&limit=100"),
        ("GET", "/v3/lists/13/contacts?page=1&limit=100"),
    ]
    assert made[5:] == [("PUT", "/v3/lists/12/contacts/701")]
    assert requests_mock.last_request.json()["first_name"] == "Janet"
    assert run.result["summary"]["list_id"] == 12


def test_update_contact_in_no_list_fails_naming_the_id(run, requests_mock):
    requests_mock.get(LISTS_URL, json=paged([a_list(10, count=0), a_list(11, count=1)]))
    requests_mock.get(f"{LISTS_URL}/11/contacts", json=paged([a_contact(1, 11)]))
    requests_mock.get(f"{LISTS_URL}/10/contacts", json=paged([]))
    run("update_contact", {"contact_id": 999, "city": "Sydney"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Contact 999 is in none of the account's contact lists (2 searched); check the contact ID"
    assert [m for m, _ in calls(requests_mock)] == ["GET", "GET", "GET"]  # nothing written


def test_update_contact_not_in_the_given_list_names_both(run, requests_mock):
    requests_mock.get(f"{LISTS_URL}/77/contacts/999", **not_found())
    requests_mock.get(f"{LISTS_URL}/77", json=envelope(a_list(77)))
    run("update_contact", {"contact_id": 999, "contact_list_id": 77, "city": "Sydney"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Contact 999 is not in contact list 77 (ClickSend answered HTTP 404 NOT_FOUND)"
    assert calls(requests_mock) == [("GET", "/v3/lists/77/contacts/999"), ("GET", "/v3/lists/77")]


def test_update_contact_in_an_unknown_list_names_the_list(run, requests_mock):
    requests_mock.get(f"{LISTS_URL}/78/contacts/5", **not_found())
    requests_mock.get(f"{LISTS_URL}/78", **not_found())
    run("update_contact", {"contact_id": 5, "contact_list_id": 78, "city": "Sydney"})
    assert run.result["message"] == "Contact list 78 does not exist at ClickSend (HTTP 404 NOT_FOUND)"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"contact_id": 5}, "Nothing to change"),
        ({"contact_id": 5, "city": ""}, "Nothing to change"),
        ({"city": "Sydney"}, "contact_id"),
        ({"contact_id": "five", "city": "Sydney"}, "contact_id"),
        ({"contact_id": 5, "contact_list_id": 0, "city": "Sydney"}, "contact_list_id"),
        ({"contact_id": 5, "phone_number": "not a number"}, "phone_number"),
        ({"contact_id": 5, "country": "AUS"}, "country"),
    ],
)
def test_update_contact_bad_input_sends_nothing(run, requests_mock, params, named):
    run("update_contact", params)
    assert run.result["status"] == "failed"
    assert named in run.result["message"]
    assert requests_mock.call_count == 0


def test_update_contact_duplicate_number_is_explained(run, requests_mock):
    url = f"{LISTS_URL}/77/contacts/5"
    requests_mock.get(url, json=envelope(a_contact(5)))
    requests_mock.put(url, status_code=400, json=envelope(None, "Duplicate.", "ALREADY_EXISTS", 400))
    run("update_contact", {"contact_id": 5, "contact_list_id": 77, "phone_number": "+61422222222"})
    assert run.result["status"] == "failed"
    assert "ALREADY_EXISTS" in run.result["message"] and "contact 5 was not changed" in run.result["message"]


# --- delete contact ----------------------------------------------------------------------------------------------


def test_delete_contact_with_its_list(run, requests_mock):
    url = f"{LISTS_URL}/77/contacts/5"
    requests_mock.get(url, json=envelope(a_contact(5)))
    requests_mock.delete(url, json=envelope([], "Contact #5 has been deleted."))
    run("delete_contact", {"contact_id": 5, "contact_list_id": 77})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("GET", "/v3/lists/77/contacts/5"), ("DELETE", "/v3/lists/77/contacts/5")]
    assert run.result["data"] == [a_contact(5)]
    assert run.result["summary"] == {"contact_id": 5, "list_id": 77}
    assert run.result["message"] == "Deleted contact 5 from contact list 77"


def test_delete_retried_after_a_lost_answer_still_succeeds(run, requests_mock, monkeypatch):
    import clicksend_consts

    monkeypatch.setattr(clicksend_consts, "RETRY_BACKOFF_BASE", 0.001)
    url = f"{LISTS_URL}/77/contacts/5"
    requests_mock.get(url, json=envelope(a_contact(5)))
    requests_mock.delete(
        url, [{"status_code": 502, "text": "bad gateway"}, {"status_code": 404, "json": envelope(None, "Not found.", "NOT_FOUND", 404)}]
    )
    run("delete_contact", {"contact_id": 5, "contact_list_id": 77})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["message"] == "Deleted contact 5 from contact list 77"


def test_delete_contact_finds_its_list(run, requests_mock):
    requests_mock.get(LISTS_URL, json=paged([a_list(11), a_list(12)]))
    requests_mock.get(f"{LISTS_URL}/11/contacts", json=paged([a_contact(5, 11)]))
    requests_mock.delete(f"{LISTS_URL}/11/contacts/5", json=envelope([]))
    run("delete_contact", {"contact_id": "5"})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        ("GET", "/v3/lists?page=1&limit=100"),
        ("GET", "/v3/lists/11/contacts?page=1&limit=100"),
        ("DELETE", "/v3/lists/11/contacts/5"),
    ]


def test_delete_unknown_contact_names_it_and_deletes_nothing(run, requests_mock):
    requests_mock.get(LISTS_URL, json=paged([a_list(11)]))
    requests_mock.get(f"{LISTS_URL}/11/contacts", json=paged([a_contact(1, 11)]))
    run("delete_contact", {"contact_id": 5})
    assert run.result["status"] == "failed"
    assert "Contact 5" in run.result["message"]
    assert all(r.method == "GET" for r in requests_mock.request_history)


def test_delete_contact_bad_id_sends_nothing(run, requests_mock):
    run("delete_contact", {"contact_id": "5; DROP"})
    assert run.result["status"] == "failed"
    assert "contact_id" in run.result["message"]
    assert requests_mock.call_count == 0


# --- search contacts ---------------------------------------------------------------------------------------------


def big_list():
    contacts = [a_contact(n, 77, phone_number=f"+614{n:08d}", email=f"user{n}@example.com") for n in range(1, 301)]
    contacts[10]["email"] = "Jane.Doe@Example.COM"
    contacts[120]["phone_number"] = "0411 111 111"
    contacts[260]["email"] = "jane.doe@example.com"
    contacts[280]["phone_number"] = "+61 411-111-111"
    contacts[290]["phone_number"] = "ext. 12"  # not a number: compared as stored
    return contacts


def test_search_by_email_reads_every_page_and_returns_all_matches(run, requests_mock):
    requests_mock.get(f"{LISTS_URL}/77/contacts", json=paged(big_list()))
    run("search_contact_by_email", {"contact_list_id": 77, "email": "JANE.doe@example.com"})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("GET", f"/v3/lists/77/contacts?page={page}&limit=100") for page in (1, 2, 3)]
    assert [c["contact_id"] for c in run.result["data"]] == [11, 261]
    assert run.result["summary"] == {"total_matches": 2}
    assert run.result["message"] == "Found 2 contacts in contact list 77 with e-mail JANE.doe@example.com"


def test_search_by_phone_normalises_both_sides(run, requests_mock):
    requests_mock.get(f"{LISTS_URL}/77/contacts", json=paged(big_list()))
    run("search_contact_by_phone", {"contact_list_id": 77, "phone_number": "0411111111"})
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.call_count == 3
    assert [c["contact_id"] for c in run.result["data"]] == [121, 281]
    assert run.result["summary"] == {"total_matches": 2}
    assert run.result["message"] == "Found 2 contacts in contact list 77 with phone number +61411111111"


def test_search_by_phone_without_a_match_is_a_success(run, requests_mock):
    requests_mock.get(f"{LISTS_URL}/77/contacts", json=paged(big_list()))
    run("search_contact_by_phone", {"contact_list_id": 77, "phone_number": "+61499999999"})
    assert run.result["status"] == "success"
    assert run.result["summary"] == {"total_matches": 0}
    assert run.result["data"] == []
    assert run.result["message"] == "Found 0 contacts in contact list 77 with phone number +61499999999"


def test_search_in_an_unknown_list_names_it(run, requests_mock):
    requests_mock.get(f"{LISTS_URL}/9/contacts", **not_found())
    run("search_contact_by_email", {"contact_list_id": 9, "email": "a@example.com"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Contact list 9 does not exist at ClickSend (HTTP 404 NOT_FOUND)"


@pytest.mark.parametrize(
    ("identifier", "params", "named"),
    [
        ("search_contact_by_phone", {"contact_list_id": 77, "phone_number": "123"}, "phone_number"),
        ("search_contact_by_phone", {"contact_list_id": 77}, "phone_number"),
        ("search_contact_by_phone", {"phone_number": "+61411111111"}, "contact_list_id"),
        ("search_contact_by_email", {"contact_list_id": 77}, "email"),
        ("search_contact_by_email", {"contact_list_id": 77, "email": "nope"}, "email"),
        ("search_contact_by_email", {"contact_list_id": -1, "email": "a@example.com"}, "contact_list_id"),
    ],
)
def test_search_bad_input_sends_nothing(run, requests_mock, identifier, params, named):
    run(identifier, params)
    assert run.result["status"] == "failed"
    assert named in run.result["message"]
    assert requests_mock.call_count == 0


def test_debug_output_holds_no_phone_number_or_email(run, requests_mock):
    requests_mock.get(LISTS_URL, json=paged([a_list(11)]))
    requests_mock.get(f"{LISTS_URL}/11/contacts", json=paged([a_contact(5, 11)]))
    requests_mock.put(f"{LISTS_URL}/11/contacts/5", json=envelope(a_contact(5, 11)))
    run("update_contact", {"contact_id": 5, "phone_number": "+61433333333", "email": "new@example.com"})
    assert run.result["status"] == "success", run.result["message"]
    debug = "\n".join(run.platform.debug_log)
    assert "contact 5 found in list 11" in debug
    for secret in ("+61433333333", "new@example.com", "+61411111111", "jane@example.com"):
        assert secret not in debug

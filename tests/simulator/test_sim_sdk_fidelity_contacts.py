"""Lists and contacts in the simulator, driven by ClickSend's official Python SDK (clicksend-client, import name ``clicksend``).

The SDK's models are strict: when it parses an answer, the key names and value types match ClickSend's OpenAPI
document. The SDK's list methods take no page/limit, so pagination and the error envelopes are checked over plain HTTP.
"""

from __future__ import annotations

import pytest

from .helpers import assert_envelope


clicksend = pytest.importorskip("clicksend")

from clicksend import ApiClient, Configuration, ContactsApi, ListsApi  # noqa: E402
from clicksend.exceptions import ApiException  # noqa: E402
from clicksend.models import CreateListRequest, CreateNewContactRequest  # noqa: E402


@pytest.fixture
def api(sim):
    cfg = Configuration(host=sim.root_url, username=sim.username, password=sim.api_key)
    with ApiClient(cfg) as client:
        yield client


def test_list_crud(api, sim):
    lists = ListsApi(api)
    created = lists.create_list(create_list_request=CreateListRequest(list_name="SOC on-call"))
    assert created.response_code == "SUCCESS"
    list_id = created.data.list_id
    assert isinstance(list_id, int) and created.data.list_name == "SOC on-call"
    assert created.data.contacts_count == 0 and len(created.data.list_email_id) == 16

    viewed = lists.view_lists()
    assert viewed.data.total == 1 and viewed.data.data[0].list_id == list_id
    assert viewed.data.first_page_url and viewed.data.path

    assert lists.view_specific_list(str(list_id)).data.list_name == "SOC on-call"
    renamed = lists.update_list(str(list_id), create_list_request=CreateListRequest(list_name="SOC"))
    assert renamed.data.list_name == "SOC"
    assert lists.delete_list(str(list_id)).response_code == "SUCCESS"
    with pytest.raises(ApiException) as err:
        lists.view_specific_list(str(list_id))
    assert err.value.status == 404


def test_contact_crud(api, sim):
    list_id = sim.add_list("SOC on-call")["list_id"]
    request = CreateNewContactRequest(
        phone_number="+61411111111",
        first_name="Jane",
        last_name="Citizen",
        email="jane@example.com",
        organization_name="Example SOC",
        address_city="Melbourne",
        address_state="VIC",
        address_postal_code="3000",
        address_country="AU",
        address_line_1="1 Collins St",
        custom_1="tier1",
    )
    created = ListsApi(api).create_new_contact(str(list_id), create_new_contact_request=request)
    contact = created.data
    assert (contact.list_id, contact.phone_number, contact.organization_name, contact.address_country) == (
        list_id,
        "+61411111111",
        "Example SOC",
        "AU",
    )
    assert contact.list_name == "SOC on-call" and isinstance(contact.date_added, int)

    contacts = ContactsApi(api)
    got = contacts.get_specific_contact(str(list_id), str(contact.contact_id))
    assert got.data.email == "jane@example.com"

    updated = contacts.update_contact(
        str(list_id), str(contact.contact_id), create_new_contact_request=CreateNewContactRequest(address_city="Sydney")
    )
    assert updated.data.address_city == "Sydney"
    assert updated.data.email == "jane@example.com"  # PUT merges in the simulator

    listed = ListsApi(api).view_list_contacts(str(list_id))
    assert listed.data.total == 1 and listed.data.data[0].contact_id == contact.contact_id

    assert contacts.delete_contact(str(list_id), str(contact.contact_id)).response_code == "SUCCESS"
    with pytest.raises(ApiException) as err:
        contacts.get_specific_contact(str(list_id), str(contact.contact_id))
    assert err.value.status == 404


def test_search_contacts_lists(api, client, sim):
    sim.add_list("Gorne", contacts=[{"phone_number": "+16783270696", "first_name": "Gorne"}])
    # the SDK declares no model for this answer (it returns None), so the shape is checked over plain HTTP
    assert ListsApi(api).view_contact_lists(q="gorne") is None
    body = assert_envelope(client.get("/search/contacts-lists", params={"q": "gorne"}))
    assert sorted(hit["type"] for hit in body["data"]["data"]) == ["contact", "list"]
    hit = next(h for h in body["data"]["data"] if h["type"] == "list")
    assert set(hit) == {"id", "name", "contact", "type", "contacts_count"} and hit["contacts_count"] == 1
    assert_envelope(client.get("/search/contacts-lists"), 400, "BAD_REQUEST")


def test_contact_rules_over_http(client, sim):
    list_id = sim.add_list("SOC")["list_id"]
    base = f"/lists/{list_id}/contacts"
    body = assert_envelope(client.post(base, json={"first_name": "No way to reach"}), 400, "BAD_REQUEST")
    assert "phone_number" in body["data"]
    assert_envelope(client.post(base, json={"phone_number": "+61411111111"}))
    assert_envelope(client.post(base, json={"phone_number": "+61411111111"}))  # duplicates are allowed
    assert_envelope(client.post(base, json={"email": "only@example.com", "company_name": "dropped"}))
    stored = sim.state.list_contacts(list_id)[-1]
    assert stored["organization_name"] is None  # wrong field names are lost, as at ClickSend
    assert_envelope(client.get("/lists/1/contacts"), 404, "NOT_FOUND")
    other = sim.add_list("Other", contacts=[{"phone_number": "+61422222222"}])["list_id"]
    foreign = sim.state.list_contacts(other)[0]["contact_id"]
    assert_envelope(client.get(f"{base}/{foreign}"), 404, "NOT_FOUND")
    assert_envelope(client.put(f"{base}/{stored['contact_id']}", json={"email": None}), 400, "BAD_REQUEST")


def test_contacts_paginate(client, sim):
    list_id = sim.add_list("Big", contacts=[{"phone_number": f"+614{n:08d}"} for n in range(20000000, 20000250)])["list_id"]
    page = assert_envelope(client.get(f"/lists/{list_id}/contacts", params={"page": 3, "limit": 100}))["data"]
    assert (page["total"], page["current_page"], page["last_page"], page["from"], page["to"], len(page["data"])) == (250, 3, 3, 201, 250, 50)
    default = assert_envelope(client.get(f"/lists/{list_id}/contacts"))["data"]
    assert default["per_page"] == 15 and default["next_page_url"].endswith("?page=2")


def test_duplicates_and_remove_duplicates(api, client, sim):
    list_id = sim.add_list("SOC")["list_id"]
    base = f"/lists/{list_id}/contacts"
    for body in ({"phone_number": "+61411111111", "first_name": "Jane"}, {"phone_number": "+61411111111", "first_name": "Janet"},
                 {"phone_number": "+61422222222", "first_name": "Jane"}, {"email": "x@example.com"}, {"email": "x@example.com"}):
        assert_envelope(client.post(base, json=body))
    assert client.get(f"/lists/{list_id}").json()["data"]["_contacts_count"] == 5
    first = sim.state.list_contacts(list_id)[0]
    assert_envelope(client.put(f"{base}/{sim.state.list_contacts(list_id)[2]['contact_id']}", json={"phone_number": "+61411111111"}))

    removed = ListsApi(api).remove_duplicate_contacts(str(list_id))  # no body: compare phone numbers
    assert (removed.response_code, removed.data.deleted) == ("SUCCESS", 2)
    kept = sim.state.list_contacts(list_id)
    assert kept[0]["contact_id"] == first["contact_id"]  # the oldest copy stays
    assert [c["email"] for c in kept[1:]] == ["x@example.com", "x@example.com"]  # no phone number: never a duplicate
    body = assert_envelope(client.put(f"/lists/{list_id}/remove-duplicates/", json={"fields": ["email"]}))
    assert body["data"] == {"deleted": 1}
    assert client.get(f"/lists/{list_id}").json()["data"]["_contacts_count"] == 2
    by_name = client.put(f"/lists/{list_id}/remove-duplicates/", json={"fields": {"first_name": "", "last_name": ""}})
    assert by_name.json()["data"] == {"deleted": 0}
    assert_envelope(client.put("/lists/1/remove-duplicates/"), 404, "NOT_FOUND")


def test_bare_list_contacts_switch(client, sim):
    list_id = sim.add_list("Big", contacts=[{"phone_number": f"+614{n:08d}"} for n in range(20)])["list_id"]
    assert client.get(f"/lists/{list_id}/contacts").json()["data"]["per_page"] == 15
    sim.bare_list_contacts = True
    body = assert_envelope(client.get(f"/lists/{list_id}/contacts", params={"page": 2}))
    assert isinstance(body["data"], list) and len(body["data"]) == 20
    assert body["data"][0]["list_id"] == list_id
    sim.reset()
    assert sim.bare_list_contacts is False

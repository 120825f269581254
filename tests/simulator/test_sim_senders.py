"""Sender IDs: GET /numbers (standard envelope, page numbers), GET /own-numbers and GET /alpha-tags (no envelope, cursor)."""

from __future__ import annotations

import pytest
import requests

from .helpers import assert_envelope, send


NUMBER_KEYS = {"dedicated_number", "country", "price", "_country_name", "notes", "type", "number_type", "number_category",
               "number_guid", "form_submission_id", "status"}


def test_dedicated_numbers(client, sim):
    sim.add_dedicated_number("+61431111112", "AU")
    sim.add_dedicated_number("+61431111113", "AU", type="mms")
    sim.add_dedicated_number("12345", "AU", number_type="shortcode")
    sim.add_dedicated_number("+18885550100", number_type="tollfree")
    page = assert_envelope(client.get("/numbers"))["data"]
    assert page["total"] == 4 and page["per_page"] == 15 and page["_currency"]["currency_name_short"] == "AUD"
    first = page["data"][0]
    assert set(first) == NUMBER_KEYS
    assert (first["dedicated_number"], first["_country_name"]) == ("+61431111112", "Australia")
    assert (first["number_type"], first["type"]) == ("longcode", "sms")
    assert set(first["status"]) == {"value", "label", "description", "name"}
    assert page["data"][3]["country"] == "US"

    def numbers(**params):
        return [n["dedicated_number"] for n in client.get("/numbers", params=params).json()["data"]["data"]]

    assert numbers(q="number_type:shortcode") == ["12345"]
    assert numbers(q="type:mms,country:au") == ["+61431111113"]
    assert numbers(q2="type:sms", excluding_number_type="tollfree") == ["+61431111112", "12345"]
    for n in range(20):
        sim.add_dedicated_number(f"+614320000{n:02d}")
    assert client.get("/numbers", params={"page": 2}).json()["data"]["data"][0]["dedicated_number"] == "+61432000011"


def test_a_dedicated_number_replaces_the_shared_number(client, sim):
    assert send(client, {"to": "+61411111111", "body": "x"}).json()["data"]["messages"][0]["is_shared_system_number"] is True
    sim.add_dedicated_number("+61431111112")
    msg = send(client, {"to": "+61411111111", "body": "x"}).json()["data"]["messages"][0]
    assert (msg["from"], msg["is_shared_system_number"]) == ("+61431111112", False)


def _cursor_walk(client, path, key, **params):
    """Follow the cursor (the offset of ``next``) like a client must; returns the pages' item lists."""
    pages = []
    while True:
        resp = client.get(path, params=params)
        assert resp.status_code == 200
        body = resp.json()
        assert set(body) == {key, "_metadata"} and set(body["_metadata"]["pagination"]) == {"self", "next", "page_size"}
        pages.append(body[key])
        nxt = body["_metadata"]["pagination"]["next"]
        if nxt is None:
            return pages
        assert nxt.startswith(f"https://rest.clicksend.com/v3{path}?")
        params = dict(params, offset=whole_cursor(nxt))


def whole_cursor(link):
    """The offset of a next link, read whole: ClickSend's cursor holds a '#' (OAS GET /v3/own-numbers example)."""
    query = link.split("?", 1)[1]
    return next(part[len("offset="):] for part in query.split("&") if part.startswith("offset="))


def test_own_numbers_cursor_pagination_and_filter(client, sim):
    for n in range(12):
        sim.add_own_number(f"+614110000{n:02d}", label=f"phone {n}", status="PENDING" if n % 4 == 0 else "APPROVED")
    pages = _cursor_walk(client, "/own-numbers", "own_numbers")
    assert [len(p) for p in pages] == [10, 2]
    assert [n["phone_number"] for p in pages for n in p] == [f"+614110000{n:02d}" for n in range(12)]
    item = pages[0][0]
    assert (item["country"], item["status"], item["verified_timestamp"], item["is_nearing_expiration"]) == ("AU", "PENDING", None, False)
    assert pages[0][1]["verified_timestamp"] is not None
    desc = _cursor_walk(client, "/own-numbers", "own_numbers", page_size=5, sort_direction="desc")
    assert [len(p) for p in desc] == [5, 5, 2] and desc[0][0]["phone_number"] == "+61411000011"
    pending = client.get("/own-numbers", params={"filter[status][0]": "PENDING"}).json()["own_numbers"]
    assert [n["label"] for n in pending] == ["phone 0", "phone 4", "phone 8"]
    assert client.get("/own-numbers", params={"page_size": 100000}).json()["_metadata"]["pagination"]["page_size"] == 500
    assert client.get("/own-numbers", params={"offset": "unknown"}).json()["own_numbers"] == []


def test_the_own_numbers_cursor_is_two_ids_joined_by_a_hash_and_works_only_whole(client, sim):
    for n in range(3):
        sim.add_own_number(f"+614110000{n:02d}")
    nxt = client.get("/own-numbers", params={"page_size": 2}).json()["_metadata"]["pagination"]["next"]
    cursor = whole_cursor(nxt)
    first, _, before = cursor.partition("#")
    assert first and before and "&page_size=2" in nxt
    assert [n["phone_number"] for n in client.get("/own-numbers", params={"page_size": 2, "offset": cursor}).json()["own_numbers"]] == [
        "+61411000002"
    ]
    assert client.get("/own-numbers", params={"page_size": 2, "offset": first}).json()["own_numbers"] == []


def test_alpha_tags(client, sim):
    sim.add_alpha_tag("SOCTeam", countries=["AU", "NZ"])
    sim.add_alpha_tag("Acme", status="PENDING")
    body = client.get("/alpha-tags").json()
    assert [(t["alpha_tag"], t["status"], t["countries"]) for t in body["alpha_tags"]] == [("SOCTeam", "APPROVED", ["AU", "NZ"]),
                                                                                          ("Acme", "PENDING", [])]
    assert body["_metadata"]["pagination"]["next"] is None and body["_metadata"]["pagination"]["page_size"] == 10
    one = client.get("/alpha-tags", params={"page_size": 1}).json()
    assert [t["alpha_tag"] for t in one["alpha_tags"]] == ["SOCTeam"] and one["_metadata"]["pagination"]["next"]
    # GET /v3/alpha-tags documents no offset: the simulator ignores one
    again = client.get("/alpha-tags", params={"page_size": 1, "offset": whole_cursor(one["_metadata"]["pagination"]["next"])}).json()
    assert [t["alpha_tag"] for t in again["alpha_tags"]] == ["SOCTeam"]
    assert client.get("/alpha-tags", auth=("x", "y")).status_code == 401


def test_control_routes_for_senders(client, sim):
    root = sim.root_url + "/_sim"
    assert requests.post(root + "/numbers", json={"number": "+61431111112"}, timeout=5).json()["country"] == "AU"
    assert requests.post(root + "/own-numbers", json={"phone_number": "+61411111111"}, timeout=5).json()["status"] == "APPROVED"
    assert requests.post(root + "/alpha-tags", json={"tag": "SOCTeam"}, timeout=5).json()["alpha_tag"] == "SOCTeam"
    assert requests.post(root + "/numbers", json={}, timeout=5).status_code == 400
    sim.reset()
    assert client.get("/numbers").json()["data"]["total"] == 0


def test_the_sdk_parses_every_sender_listing(sim):
    sdk = pytest.importorskip("clicksend")
    sim.add_dedicated_number("+61431111112")
    sim.add_own_number("+61411111111", label="on-call phone")
    sim.add_alpha_tag("SOCTeam", countries=["AU"])
    cfg = sdk.Configuration(host=sim.root_url, username=sim.username, password=sim.api_key)
    with sdk.ApiClient(cfg) as api:
        numbers = sdk.NumbersApi(api).view_your_numbers()
        assert numbers.data.data[0].dedicated_number == "+61431111112" and numbers.data.currency.currency_name_short == "AUD"
        own = sdk.OwnNumbersApi(api).list_own_numbers()
        assert own.own_numbers[0].label == "on-call phone" and own.metadata.pagination.page_size == 10
        tags = sdk.AlphaTagsApi(api).list_alpha_tags(page_size=5)
        assert tags.alpha_tags[0].countries == ["AU"] and tags.metadata.pagination.next is None

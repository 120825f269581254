"""Contacts and lists end to end: connector -> fake platform -> simulator over real HTTP."""


def paths(sim):
    return [(r["method"], r["path"]) for r in sim.requests]


def test_contact_lifecycle(sim, sim_run):
    sim_run("create_contact_list", {"list_name": "SOC on-call"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    list_id = sim_run.result["summary"]["list_id"]

    sim_run(
        "create_contact",
        {
            "contact_list_id": list_id,
            "phone_number": "0411 111 111",
            "email": "Jane@Example.com",
            "company_name": "Example SOC",
            "city": "Melbourne",
        },
    )
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    contact_id = sim_run.result["summary"]["contact_id"]
    stored = sim.state.contacts[list_id][contact_id]
    assert (stored["phone_number"], stored["organization_name"], stored["address_city"]) == ("+61411111111", "Example SOC", "Melbourne")

    sim_run("search_contact_by_phone", {"contact_list_id": list_id, "phone_number": "+61 411 111 111"})
    assert sim_run.result["summary"] == {"total_matches": 1}
    sim_run("search_contact_by_email", {"contact_list_id": list_id, "email": "jane@example.COM"})
    assert [c["contact_id"] for c in sim_run.result["data"]] == [contact_id]

    sim.requests.clear()
    sim_run("update_contact", {"contact_id": contact_id, "last_name": "Citizen", "email": ""})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert stored["last_name"] == "Citizen"
    assert stored["email"] == "Jane@Example.com"  # an empty parameter never blanks a stored field
    assert stored["organization_name"] == "Example SOC"
    assert paths(sim) == [("GET", "/v3/lists"), ("GET", f"/v3/lists/{list_id}/contacts"), ("PUT", f"/v3/lists/{list_id}/contacts/{contact_id}")]

    sim_run("delete_contact", {"contact_id": contact_id, "contact_list_id": list_id})
    assert sim_run.result["status"] == "success", sim_run.result["message"]
    assert contact_id not in sim.state.contacts[list_id]
    assert sim_run.result["data"][0]["phone_number"] == "+61411111111"


def test_search_reads_every_page_of_a_large_list(sim, sim_run):
    contacts = [{"phone_number": f"+614{n:08d}", "email": f"user{n}@example.com"} for n in range(20000000, 20000260)]
    contacts[255]["email"] = "wanted@example.com"
    list_id = sim.add_list("Everyone", contacts=contacts)["list_id"]
    sim_run("search_contact_by_email", {"contact_list_id": list_id, "email": "WANTED@example.com"})
    assert sim_run.result["summary"] == {"total_matches": 1}
    assert [r["query"]["page"] for r in sim.requests] == ["1", "2", "3"]
    assert {r["query"]["limit"] for r in sim.requests} == {"100"}


def test_search_contact_lists_over_pages_and_by_name(sim, sim_run):
    for n in range(120):
        sim.add_list(f"Filler {n}")
    sim.add_list("Marketing Newsletter")
    sim_run("search_contact_lists", {})
    assert sim_run.result["summary"] == {"total_lists": 121}
    sim_run("search_contact_lists", {"list_name": "newsletter"})
    assert [item["list_name"] for item in sim_run.result["data"]] == ["Marketing Newsletter"]
    assert "_contacts_count" in sim_run.result["data"][0]


def test_duplicate_contact_is_allowed_as_clicksend_allows_it_and_unknown_ids_fail_clearly(sim, sim_run):
    list_id = sim.add_list("SOC", contacts=[{"phone_number": "+61411111111"}])["list_id"]
    sim_run("create_contact", {"contact_list_id": list_id, "phone_number": "0411111111"})
    assert sim_run.result["status"] == "success", sim_run.result["message"]  # ClickSend keeps duplicates (remove-duplicates exists)
    assert len(sim.state.contacts[list_id]) == 2

    sim_run("delete_contact", {"contact_id": 123})
    assert sim_run.result["status"] == "failed"
    assert sim_run.result["message"] == "Contact 123 is in none of the account's contact lists (1 searched); check the contact ID"

    sim_run("delete_contact", {"contact_id": 123, "contact_list_id": 4})
    assert sim_run.result["message"] == "Contact list 4 does not exist at ClickSend (HTTP 404 NOT_FOUND)"
    assert [r["method"] for r in sim.requests].count("DELETE") == 0


def test_bad_input_reaches_no_simulator(sim, sim_run):
    sim_run("create_contact", {"contact_list_id": 1, "phone_number": "+61411111111", "country": "Australia"})
    assert sim_run.result["status"] == "failed"
    assert "Parameter 'country'" in sim_run.result["message"]
    assert sim.requests == []

"""Contacts and lists: create a list, add a contact, find it by phone and e-mail, update it, delete it (opt-out)."""


def _summary(out):
    return out["result_data"][0]["summary"]


def run(demo):
    listing = demo.action("Create a contact list for the on-call team", "create_contact_list", {"list_name": "SOC on-call (demo)"})
    list_id = _summary(listing)["list_id"]
    demo.action("Check the list exists (name match, any case)", "search_contact_lists", {"list_name": "on-call (DEMO)"})
    contact = demo.action(
        "Add a contact; company and address go to ClickSend's organization_name / address_* fields",
        "create_contact",
        {
            "contact_list_id": list_id,
            "phone_number": "0411 111 111",
            "email": "Jane@Example.com",
            "first_name": "Jane",
            "last_name": "Citizen",
            "company_name": "Example SOC",
            "city": "Melbourne",
            "state": "VIC",
            "postal_code": "3000",
            "country": "au",
        },
    )
    contact_id = _summary(contact)["contact_id"]
    demo.action(
        "Add the same number twice to one list: ClickSend keeps duplicates (it offers remove-duplicates), so the app does too",
        "create_contact",
        {"contact_list_id": list_id, "phone_number": "+61411111111", "first_name": "Jane (desk phone)"},
    )
    demo.action(
        "Find the contact by phone, written another way",
        "search_contact_by_phone",
        {"contact_list_id": list_id, "phone_number": "+61 411 111 111"},
    )
    demo.action("Find the contact by e-mail, any case", "search_contact_by_email", {"contact_list_id": list_id, "email": "jane@EXAMPLE.com"})
    demo.action(
        "Update only the city; the app finds the contact's list itself and blanks nothing",
        "update_contact",
        {"contact_id": contact_id, "city": "Sydney", "email": ""},
    )
    demo.action("Opt-out: delete the contact", "delete_contact", {"contact_id": contact_id, "contact_list_id": list_id})
    demo.action("Deleting it again names the unknown contact", "delete_contact", {"contact_id": contact_id}, expect="failed")

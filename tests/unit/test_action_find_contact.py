"""find contact: every list of the account, page by page, within a page budget, stopping at the limit."""

import pytest

import clicksend_consts
from tests.conftest import BASE_URL, envelope
from tests.unit.test_actions_contacts import a_contact, a_list, calls, not_found, paged


LISTS_URL = f"{BASE_URL}/lists"


def contacts_url(list_id):
    return f"{BASE_URL}/lists/{list_id}/contacts"


def serve(requests_mock, lists, contacts):
    """`lists`: list objects; `contacts`: list id -> its contacts."""
    requests_mock.get(LISTS_URL, json=paged(lists))
    for list_id, items in contacts.items():
        requests_mock.get(contacts_url(list_id), json=paged(items))


def page_call(path, page=1):
    return ("GET", f"{path}?page={page}&limit=100")


def test_every_list_is_searched_lists_reporting_no_contacts_last(run, requests_mock):
    serve(
        requests_mock,
        [a_list(1, "Newsletter", count=0), a_list(2, "SOC on-call", count=2), a_list(3, "Escalation", count=1)],
        {
            1: [a_contact(10, list_id=1, phone_number="0411 111 111", email="other@example.com")],
            2: [a_contact(20, list_id=2), a_contact(21, list_id=2, phone_number="+61422222222", email="bob@example.com")],
            3: [a_contact(30, list_id=3, phone_number="+61433333333", email="JANE@example.com")],
        },
    )
    run("find_contact", {"phone_number": "0411111111", "email": "jane@example.com"})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        page_call("/v3/lists"),
        page_call("/v3/lists/2/contacts"),
        page_call("/v3/lists/3/contacts"),
        page_call("/v3/lists/1/contacts"),
    ]
    assert [(item["contact_id"], item["list_id"], item["list_name"]) for item in run.result["data"]] == [
        (20, 2, "SOC on-call"),
        (30, 3, "Escalation"),
        (10, 1, "Newsletter"),
    ]
    assert run.result["data"][0] == dict(a_contact(20, list_id=2), list_name="SOC on-call")
    assert run.result["summary"] == {"total_matches": 3, "lists_searched": 3, "lists_total": 3, "pages_read": 4}
    assert run.result["message"] == (
        "Found 3 contacts with phone number +61411111111 or e-mail jane@example.com in the account's contact lists: searched 3 of "
        "3 lists, 4 pages read"
    )


def test_the_search_stops_at_the_limit_without_another_request(run, requests_mock):
    many = [a_contact(100 + n, list_id=2) for n in range(150)]
    serve(requests_mock, [a_list(2, count=150), a_list(3, count=1)], {2: many, 3: [a_contact(30, list_id=3)]})
    run("find_contact", {"phone_number": "+61411111111", "limit": 2})
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [page_call("/v3/lists"), page_call("/v3/lists/2/contacts")]
    assert [item["contact_id"] for item in run.result["data"]] == [100, 101]
    assert run.result["message"].endswith("searched 1 of 2 lists, 2 pages read; stopped at the limit of 2")


def test_every_page_of_a_list_is_read(run, requests_mock):
    people = [a_contact(100 + n, list_id=2, phone_number="+61422222222") for n in range(250)] + [a_contact(999, list_id=2)]
    serve(requests_mock, [a_list(2, count=251)], {2: people})
    run("find_contact", {"phone_number": "+61411111111"})
    read = calls(requests_mock)[1:]
    # page 1 first; pages 2 and 3 go together (in either order)
    assert read[0] == page_call("/v3/lists/2/contacts", 1)
    assert sorted(read[1:]) == [page_call("/v3/lists/2/contacts", page) for page in (2, 3)]
    assert [item["contact_id"] for item in run.result["data"]] == [999]


def test_the_page_budget_bounds_the_requests_and_fails_keeping_what_was_found(run, requests_mock, monkeypatch):
    monkeypatch.setattr(clicksend_consts, "FIND_CONTACT_MAX_PAGES", 3)
    people = [a_contact(100 + n, list_id=2, phone_number="+61422222222") for n in range(250)]
    people[5] = a_contact(105, list_id=2)
    serve(requests_mock, [a_list(2, count=250), a_list(3, count=1)], {2: people, 3: [a_contact(30, list_id=3)]})
    run("find_contact", {"phone_number": "+61411111111"})
    assert run.result["status"] == "failed"
    assert len(requests_mock.request_history) == 3
    assert [item["contact_id"] for item in run.result["data"]] == [105]
    assert run.result["message"] == (
        "Found 1 contact with phone number +61411111111 in the account's contact lists: searched 0 of 2 lists, 3 pages read; the search "
        "stopped at 3 pages, the most one search reads, so the other lists were not searched (ClickSend offers no search across "
        "lists: search contact by phone or by email reads one list)"
    )


def test_a_list_deleted_during_the_search_is_skipped_and_named(run, requests_mock):
    requests_mock.get(LISTS_URL, json=paged([a_list(2, count=1), a_list(3, count=1)]))
    requests_mock.get(contacts_url(2), **not_found())
    requests_mock.get(contacts_url(3), json=paged([a_contact(30, list_id=3)]))
    run("find_contact", {"email": "Jane@Example.com"})
    assert run.result["status"] == "success", run.result["message"]
    assert [item["contact_id"] for item in run.result["data"]] == [30]
    assert run.result["message"].endswith("searched 2 of 2 lists, 3 pages read; list 2 was deleted while the app searched")


def test_no_match_is_a_success(run, requests_mock):
    serve(requests_mock, [a_list(2)], {2: [a_contact(20, list_id=2)]})
    run("find_contact", {"email": "nobody@example.com"})
    assert run.result["status"] == "success"
    assert run.result["summary"] == {"total_matches": 0, "lists_searched": 1, "lists_total": 1, "pages_read": 2}


def test_an_account_without_lists(run, requests_mock):
    requests_mock.get(LISTS_URL, json=envelope(None))
    run("find_contact", {"phone_number": "+61411111111"})
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["message"].endswith("searched 0 of 0 lists, 1 page read")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Parameter 'phone_number': give a phone_number or an email (or both) to look for"),
        ({"phone_number": "12"}, "Parameter 'phone_number': '12' is not a valid phone number (numbers without '+' are read as AU numbers)"),
        ({"email": "jane@example.com", "limit": 0}, "Parameter 'limit': must be at least 1, not 0"),
        ({"email": "jane@example.com", "limit": 1001}, "Parameter 'limit': must be at most 1000, not 1001"),
    ],
)
def test_bad_parameters_are_refused_before_any_request(run, requests_mock, params, message):
    run("find_contact", params)
    assert run.result["status"] == "failed"
    assert run.result["message"] == message
    assert requests_mock.call_count == 0


def test_a_refused_list_read_fails_with_clicksends_answer(run, requests_mock):
    serve(requests_mock, [a_list(2)], {})
    requests_mock.get(contacts_url(2), status_code=500, json=envelope(None, "Oops", "INTERNAL_SERVER_ERROR", 500))
    run("find_contact", {"phone_number": "+61411111111"})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend refused GET lists/2/contacts with HTTP 500")


def test_a_list_read_to_its_end_counts_as_searched_when_the_budget_runs_out_after_it(run, requests_mock, monkeypatch):
    monkeypatch.setattr(clicksend_consts, "FIND_CONTACT_MAX_PAGES", 3)  # the lists page and list 2's two pages
    serve(
        requests_mock,
        [a_list(2, count=150), a_list(3, count=1)],
        {2: [a_contact(100 + n, list_id=2, phone_number="+61422222222") for n in range(150)], 3: [a_contact(30, list_id=3)]},
    )
    run("find_contact", {"phone_number": "+61411111111"})
    assert run.result["summary"]["lists_searched"] == 1
    assert "searched 1 of 2 lists" in run.result["message"]
    assert page_call("/lists/3/contacts") not in calls(requests_mock)


def test_the_page_budget_goes_to_the_list_at_hand_before_the_first_pages_of_the_others(run, requests_mock, monkeypatch):
    monkeypatch.setattr(clicksend_consts, "FIND_CONTACT_MAX_PAGES", 5)  # the lists page, list 1, list 2's three pages
    people = [a_contact(200 + n, list_id=2, phone_number="+61422222222") for n in range(300)]
    people[250] = a_contact(777, list_id=2)  # on list 2's third page
    contacts = {1: [a_contact(10, list_id=1, phone_number="+61499999999")], 2: people}
    contacts.update({n: [a_contact(n * 10, list_id=n, phone_number="+61499999999")] for n in range(3, 10)})
    serve(requests_mock, [a_list(1, count=1), a_list(2, count=300)] + [a_list(n, count=1) for n in range(3, 10)], contacts)
    run("find_contact", {"phone_number": "+61411111111"})
    assert [item["contact_id"] for item in run.result["data"]] == [777]
    assert run.result["summary"]["lists_searched"] == 2

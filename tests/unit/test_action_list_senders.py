"""list senders: GET numbers (the envelope, page numbers), then GET own-numbers and GET alpha-tags (no envelope, cursor
pagination); the asset's default_from marked."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import BASE_URL, asset_config, envelope
from tests.unit.test_actions_contacts import paged


NUMBERS_URL = f"{BASE_URL}/numbers"
OWN_URL = f"{BASE_URL}/own-numbers"
TAGS_URL = f"{BASE_URL}/alpha-tags"
PUBLIC = "https://rest.clicksend.com/v3"


def dedicated(number, country="AU", number_type="longcode"):
    return {
        "dedicated_number": number,
        "country": country,
        "price": "18.59",
        "_country_name": "Australia",
        "type": "sms",
        "number_type": number_type,
        "status": {"value": 0, "label": "REGISTRATION_NOT_REQUIRED", "description": "Your number is ready to go.", "name": "Ready to use"},
    }


def own(number, status="APPROVED", country="AU", id_="own-1"):
    return {"id": id_, "phone_number": number, "country": country, "label": "SOC lead", "status": status}


def tag(name, status="APPROVED", countries=(), id_="tag-1"):
    return {"id": id_, "alpha_tag": name, "status": status, "reason": "", "countries": list(countries)}


def cursor_page(key, items, next_offset=None, path="own-numbers"):
    link = f"{PUBLIC}/{path}?offset={next_offset}&page_size=500&sort_direction=asc" if next_offset else None
    return {key: items, "_metadata": {"pagination": {"self": f"{PUBLIC}/{path}", "next": link, "page_size": 500}}}


def calls(requests_mock):
    return [(urlsplit(r.url).path, {k: v[0] for k, v in parse_qs(urlsplit(r.url).query).items()}) for r in requests_mock.request_history]


def serve(requests_mock, numbers=(), owns=(), tags=()):
    requests_mock.get(NUMBERS_URL, json=paged(list(numbers)))
    requests_mock.get(OWN_URL, json=cursor_page("own_numbers", list(owns)))
    requests_mock.get(TAGS_URL, json=cursor_page("alpha_tags", list(tags), path="alpha-tags"))


def test_reads_each_service_once_and_lists_every_usable_sender(run, requests_mock):
    serve(
        requests_mock,
        [dedicated("+61431111112"), dedicated("12345", number_type="shortcode")],
        [own("+61422222222"), own("+61433333333", status="PENDING", id_="own-2")],
        [tag("SOCTeam", countries=["au", "NZ"]), tag("SOCAlerts", id_="tag-2"), tag("Rejected1", status="REJECTED", id_="tag-3")],
    )
    run("list_senders", config=asset_config(default_from="socteam"))
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        ("/v3/numbers", {"page": "1", "limit": "100"}),
        ("/v3/own-numbers", {"page_size": "500"}),
        ("/v3/alpha-tags", {"page_size": "1000"}),
    ]
    assert run.result["data"] == [
        {
            "sender": "+61431111112",
            "sender_type": "dedicated number",
            "phone_number": "+61431111112",
            "country": "AU",
            "status": "Ready to use",
            "number_type": "longcode",
            "is_default": False,
        },
        {
            "sender": "12345",
            "sender_type": "dedicated number",
            "phone_number": None,
            "country": "AU",
            "status": "Ready to use",
            "number_type": "shortcode",
            "is_default": False,
        },
        {
            "sender": "+61422222222",
            "sender_type": "own number",
            "phone_number": "+61422222222",
            "country": "AU",
            "status": "APPROVED",
            "number_type": None,
            "is_default": False,
        },
        {
            "sender": "SOCTeam",
            "sender_type": "alpha tag",
            "phone_number": None,
            "country": "AU, NZ",
            "status": "APPROVED",
            "number_type": None,
            "is_default": True,
        },
        {
            "sender": "SOCAlerts",
            "sender_type": "alpha tag",
            "phone_number": None,
            "country": "all",
            "status": "APPROVED",
            "number_type": None,
            "is_default": False,
        },
    ]
    assert run.result["summary"] == {
        "total_senders": 5,
        "dedicated_numbers": 2,
        "own_numbers": 1,
        "alpha_tags": 2,
        "default_from": "socteam",
        "pages_read": 3,
    }
    assert run.result["message"] == (
        "Found 5 senders the ClickSend account can use: 2 dedicated numbers, 1 own number and 2 alpha tags; 3 pages read; left out "
        "1 own number not approved and 1 alpha tag not approved (waiting for approval or rejected); the asset's default_from socteam "
        "is among them (type alpha tag, marked is_default)"
    )


def test_cursor_pages_are_asked_for_with_the_offset_of_the_next_link_never_by_following_it(run, requests_mock):
    requests_mock.get(NUMBERS_URL, json=paged([]))
    requests_mock.get(
        OWN_URL,
        [
            {"json": cursor_page("own_numbers", [own("+61411111111", id_="a")], next_offset="b")},
            {"json": cursor_page("own_numbers", [own("+61422222222", id_="b")], next_offset="c")},
            {"json": cursor_page("own_numbers", [own("+61433333333", id_="c")])},
        ],
    )
    requests_mock.get(TAGS_URL, json=cursor_page("alpha_tags", [], path="alpha-tags"))
    run("list_senders")
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock)[1:4] == [
        ("/v3/own-numbers", {"page_size": "500"}),
        ("/v3/own-numbers", {"page_size": "500", "offset": "b"}),
        ("/v3/own-numbers", {"page_size": "500", "offset": "c"}),
    ]
    assert all(r.url.startswith(BASE_URL) for r in requests_mock.request_history)
    assert [item["sender"] for item in run.result["data"]] == ["+61411111111", "+61422222222", "+61433333333"]
    assert run.result["summary"]["pages_read"] == 5


# ClickSend's own-numbers cursor is two ids joined by '#', written unencoded in its links (OAS GET /v3/own-numbers)
CURSOR = "f99872cc-11a6-48ba-a9f2-bcfb6dd1e3d4#8fa5ebc2-777b-45db-a448-ec76a40d4384"


@pytest.mark.parametrize("written", [CURSOR, CURSOR.replace("#", "%23")], ids=["as in the OAS example", "percent-encoded"])
def test_an_own_numbers_cursor_with_a_hash_is_sent_back_whole(run, requests_mock, written):
    requests_mock.get(NUMBERS_URL, json=paged([]))
    requests_mock.get(
        OWN_URL,
        [
            {"json": cursor_page("own_numbers", [own("+61411111111", id_="a")], next_offset=written)},
            {"json": cursor_page("own_numbers", [own("+61422222222", id_="b")])},
        ],
    )
    requests_mock.get(TAGS_URL, json=cursor_page("alpha_tags", [], path="alpha-tags"))
    run("list_senders")
    assert run.result["status"] == "success", run.result["message"]
    second = requests_mock.request_history[2]
    assert "offset=f99872cc-11a6-48ba-a9f2-bcfb6dd1e3d4%238fa5ebc2-777b-45db-a448-ec76a40d4384" in second.url
    assert calls(requests_mock)[2] == ("/v3/own-numbers", {"page_size": "500", "offset": CURSOR})
    assert [item["sender"] for item in run.result["data"]] == ["+61411111111", "+61422222222"]


def test_alpha_tags_are_read_in_one_page_and_a_next_link_is_not_followed(run, requests_mock):
    """GET alpha-tags documents page_size (at most 1000) and no offset: the app reads one page and says when there is more."""
    requests_mock.get(NUMBERS_URL, json=paged([]))
    requests_mock.get(OWN_URL, json=cursor_page("own_numbers", []))
    requests_mock.get(TAGS_URL, json=cursor_page("alpha_tags", [tag("SOCTeam")], next_offset="tag-2", path="alpha-tags"))
    run("list_senders")
    assert run.result["status"] == "success", run.result["message"]
    assert [path for path, _ in calls(requests_mock)].count("/v3/alpha-tags") == 1
    assert calls(requests_mock)[-1] == ("/v3/alpha-tags", {"page_size": "1000"})
    assert run.result["message"].endswith(
        "; ClickSend says the account has more than 1000 alpha tags, but GET alpha-tags documents no way to ask for the page after "
        "its first, so only the first 1000 were read"
    )


def test_every_page_of_dedicated_numbers_is_read(run, requests_mock):
    serve(requests_mock, [dedicated(f"+614311{n:05d}") for n in range(150)])
    run("list_senders")
    assert [query.get("page") for _, query in calls(requests_mock)] == ["1", "2", None, None]
    assert run.result["summary"]["dedicated_numbers"] == 150


def test_a_national_default_from_is_matched_in_e164(run, requests_mock):
    serve(requests_mock, [dedicated("+61431111112")])
    run("list_senders", config=asset_config(default_from="0431 111 112"))
    assert run.result["data"][0]["is_default"] is True
    assert run.result["summary"]["default_from"] == "+61431111112"
    assert run.result["message"].endswith("the asset's default_from +61431111112 is among them (type dedicated number, marked is_default)")


def test_a_default_from_the_account_does_not_have_is_named(run, requests_mock):
    serve(requests_mock, [dedicated("+61431111112")], tags=[tag("SOCTeam", status="PENDING")])
    run("list_senders", config=asset_config(default_from="SOCTeam"))
    assert run.result["status"] == "success"
    assert run.result["message"] == (
        "Found 1 sender the ClickSend account can use: 1 dedicated number; 3 pages read; left out 1 alpha tag not approved (waiting for "
        "approval or rejected); the asset's default_from SOCTeam is not among them, so ClickSend may refuse it or send from another number"
    )


def test_no_sender_at_all(run, requests_mock):
    serve(requests_mock)
    run("list_senders")
    assert run.result["status"] == "success"
    assert run.result["data"] == []
    assert run.result["message"] == (
        "The ClickSend account has no dedicated number, approved own number or approved alpha tag (3 pages read): ClickSend sends from "
        "a shared number, where the country has one; the asset has no default_from"
    )


@pytest.mark.parametrize(
    ("own_answer", "message"),
    [
        ({"data": []}, "ClickSend answered GET own-numbers (page 1) without a list of own_numbers"),
        ([], "ClickSend answered GET own-numbers with HTTP 200 but not with a JSON object"),
        (
            {"own_numbers": [own("+61411111111")], "_metadata": {"pagination": {"next": f"{PUBLIC}/own-numbers?page_size=500"}}},
            "ClickSend answered GET own-numbers with a next-page link that has no offset cursor",
        ),
    ],
)
def test_a_broken_cursor_answer_fails_clearly(run, requests_mock, own_answer, message):
    requests_mock.get(NUMBERS_URL, json=paged([]))
    requests_mock.get(OWN_URL, json=own_answer)
    run("list_senders")
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(message)


def test_a_cursor_that_comes_back_stops_the_read(run, requests_mock):
    requests_mock.get(NUMBERS_URL, json=paged([]))
    requests_mock.get(
        OWN_URL,
        [
            {"json": cursor_page("own_numbers", [own("+61411111111", id_="a")], next_offset="b")},
            {"json": cursor_page("own_numbers", [own("+61422222222", id_="b")], next_offset="b")},
        ],
    )
    run("list_senders")
    assert run.result["status"] == "failed"
    assert run.result["message"] == "ClickSend answered GET own-numbers with a next-page cursor it gave before; the app stopped reading there"
    assert len(requests_mock.request_history) == 3


def test_an_error_answer_of_a_cursor_service_is_clicksends_error(run, requests_mock):
    requests_mock.get(NUMBERS_URL, json=paged([]))
    requests_mock.get(OWN_URL, status_code=403, json=envelope(None, "Not allowed.", "FORBIDDEN", 403))
    run("list_senders")
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend refused GET own-numbers with HTTP 403 FORBIDDEN: Not allowed.")

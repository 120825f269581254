"""The asset's guard rails (allowed_destinations, max_cost_per_action, max_recipients_per_action): the asset fields as
the app checks them, and the exact requests a guarded send or price makes (or does not make)."""

from urllib.parse import parse_qs, urlsplit

import pytest

import clicksend_guards as guards
import clicksend_params as checks
from tests.conftest import BASE_URL, asset_config, envelope
from tests.unit.test_actions_contacts import a_list, paged


SEND = f"{BASE_URL}/sms/send"
PRICE = f"{BASE_URL}/sms/price"
LIST_ID = 77
CURRENCY = {"currency_name_short": "AUD", "currency_prefix_d": "$", "currency_prefix_c": "c", "currency_name_long": "Australian Dollars"}
BASE = {"username": "u", "key": "k"}


def sent(requests_mock):
    """(method, path, query with its exact case) of every request, in order."""
    return [
        (r.method, urlsplit(r.url).path, {k: v[0] for k, v in parse_qs(urlsplit(r.url).query).items()}) for r in requests_mock.request_history
    ]


def answer(messages, price="0.0792"):
    items = [dict({"status": "SUCCESS", "message_id": f"ID-{m.get('to')}", "message_price": price, "message_parts": 1}, **m) for m in messages]
    total = round(float(price) * len(items), 6)
    return envelope({"total_price": total, "total_count": len(items), "queued_count": len(items), "messages": items, "_currency": CURRENCY})


def echo(price="0.0792"):
    """A send or price answer that names each message of the request (a list object stands for two contacts)."""

    def reply(request, context):
        messages = []
        for message in request.json()["messages"]:
            if "list_id" in message:
                messages += [dict(message, to="+61411111111", list_id=str(message["list_id"])), dict(message, to="+61422222222")]
            else:
                messages.append(message)
        return answer(messages, price)

    return reply


def contacts(*numbers):
    return paged([{"contact_id": i, "list_id": LIST_ID, "phone_number": n} for i, n in enumerate(numbers, 1)])


# --- the asset fields -----------------------------------------------------------------------------------------------


def test_unset_guards_allow_everything_with_the_default_recipient_cap():
    settings = checks.settings_from_config(BASE)
    assert (settings.allowed_destinations, settings.max_cost_per_action, settings.max_recipients_per_action) == ((), None, 10000)


def test_allowed_destinations_are_normalised_and_deduplicated():
    config = dict(BASE, allowed_destinations=" +61, +1 415,au , ,+61,NZ")
    assert checks.settings_from_config(config).allowed_destinations == ("+61", "+1415", "AU", "NZ")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("+61, 61", "'61' is neither an E.164 prefix such as +61 or +1415 nor an ISO 3166 alpha-2 country code such as AU"),
        ("+0", "'+0' is not an E.164 prefix: give '+' and 1 to 15 digits, such as +61 or +1415"),
        ("+61x", "'+61x' is not an E.164 prefix"),
        ("+1234567890123456", "is not an E.164 prefix"),
        ("XX", "'XX' is not an ISO 3166 alpha-2 country code such as US or AU"),
        ("Australia", "'Australia' is neither an E.164 prefix"),
        (" , ", "names no prefix or country; leave it empty to allow every destination"),
    ],
)
def test_bad_allowed_destinations_are_refused_naming_the_field(raw, reason):
    with pytest.raises(checks.ParameterError, match=r"^Asset field 'allowed_destinations': ") as caught:
        checks.settings_from_config(dict(BASE, allowed_destinations=raw))
    assert reason in str(caught.value)


@pytest.mark.parametrize(("raw", "value"), [(5, 5.0), ("0.25", 0.25), (0.1, 0.1)])
def test_max_cost_per_action_is_an_amount(raw, value):
    assert checks.settings_from_config(dict(BASE, max_cost_per_action=raw)).max_cost_per_action == value


@pytest.mark.parametrize("raw", [0, -1, "abc", True, float("nan"), float("inf"), "1e999"])
def test_bad_max_cost_per_action_is_refused_naming_the_field(raw):
    with pytest.raises(checks.ParameterError, match=r"^Asset field 'max_cost_per_action': must be an amount above 0 in the account's currency"):
        checks.settings_from_config(dict(BASE, max_cost_per_action=raw))


@pytest.mark.parametrize(
    ("raw", "reason"), [(0, "must be at least 1"), (1_000_001, "must be at most 1000000"), ("many", "must be a whole number")]
)
def test_bad_max_recipients_per_action_is_refused_naming_the_field(raw, reason):
    with pytest.raises(checks.ParameterError, match=f"^Asset field 'max_recipients_per_action': {reason}"):
        checks.settings_from_config(dict(BASE, max_recipients_per_action=raw))


def test_a_bad_guard_field_fails_every_action_before_any_request(run, requests_mock):
    out = run("send_message", {"to": "+61411111111", "message": "x"}, config=asset_config(allowed_destinations="+61,Oz"))
    assert out["status"] == "failed" and "Asset field 'allowed_destinations': 'Oz' is not an ISO 3166" in str(out)
    assert requests_mock.call_count == 0


@pytest.mark.parametrize(
    ("entries", "number", "allowed"),
    [
        (("+61",), "+61411111111", True),
        (("+1415",), "+14155550100", True),
        (("+1415",), "+14165550100", False),
        (("US",), "+14155550100", True),
        (("US",), "+14165550100", False),  # +1 416 is Canada: a country is the number's own, not its calling code
        (("CA", "+44"), "+14165550100", True),
        (("AU",), "+447911123456", False),
        ((), "+61411111111", False),
    ],
)
def test_a_number_is_allowed_by_its_prefix_or_its_own_country(entries, number, allowed):
    assert guards.allows(entries, number) is allowed


# --- allowed_destinations on sends and prices ---------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["send_message", "send_voice_message", "calculate_price"])
def test_numbers_outside_the_allow_list_are_refused_before_any_request_naming_them(run, requests_mock, identifier):
    run(identifier, {"to": "+61411111111,+14155550100,+447911123456", "message": "x"}, config=asset_config(allowed_destinations="+61, NZ"))
    assert run.result["status"] == "failed"
    outcome = "ClickSend was asked for no price" if identifier == "calculate_price" else "nothing was sent to ClickSend"
    assert run.result["message"] == (f"Refused: +14155550100, +447911123456 are outside the asset's allowed_destinations (+61, NZ); {outcome}")
    assert run.result["summary"]["refused_by"] == "allowed_destinations"  # a playbook branches on it
    assert requests_mock.call_count == 0


def test_an_mms_outside_the_allow_list_is_refused_before_any_request(run, requests_mock):
    params = {"to": "+14155550100", "message": "x", "media_url": "https://example.com/a.jpg", "from": "SOCTeam"}
    run("send_mms", params, config=asset_config(allowed_destinations="AU"))
    assert run.result["message"] == "Refused: +14155550100 is outside the asset's allowed_destinations (AU); nothing was sent to ClickSend"
    assert [r.method for r in requests_mock.request_history] == ["HEAD"]  # the image's size, from its own host: nothing to ClickSend


def test_a_long_refusal_names_ten_numbers_and_counts_the_rest(run, requests_mock):
    numbers = [f"+1415555{n:04d}" for n in range(13)]
    run("send_message", {"to": ",".join(numbers), "message": "x"}, config=asset_config(allowed_destinations="AU"))
    assert run.result["message"].startswith(f"Refused: {', '.join(numbers[:10])}, and 3 more are outside")


def test_a_list_is_read_and_sent_to_as_the_numbers_checked(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}", json=envelope(a_list(LIST_ID, count=2)))
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}/contacts", json=contacts("0411 111 111", "+61422222222"))
    requests_mock.post(SEND, json=echo())
    run("send_message", {"contact_list_id": LIST_ID, "message": "x"}, config=asset_config(allowed_destinations="AU"))
    assert run.result["status"] == "success", run.result["message"]
    assert sent(requests_mock) == [
        ("GET", f"/v3/lists/{LIST_ID}", {}),
        ("GET", f"/v3/lists/{LIST_ID}/contacts", {"page": "1", "limit": "100"}),
        ("POST", "/v3/sms/send", {}),
    ]
    # the very numbers checked, not the list (ClickSend would send to whoever is in it by then)
    assert [m["to"] for m in requests_mock.last_request.json()["messages"]] == ["+61411111111", "+61422222222"]
    assert "list_id" not in str(requests_mock.last_request.json())


def test_a_list_member_outside_the_allow_list_refuses_the_send(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}", json=envelope(a_list(LIST_ID, count=3)))
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}/contacts", json=contacts("+61411111111", "+14155550100", "+447911123456"))
    run("send_message", {"to": "+61433333333", "contact_list_id": LIST_ID, "message": "x"}, config=asset_config(allowed_destinations="+61"))
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        f"Refused: contact list {LIST_ID} holds 2 numbers outside the asset's allowed_destinations (+61): +14155550100, +447911123456; "
        "nothing was sent to ClickSend"
    )
    assert [method for method, _, _ in sent(requests_mock)] == ["GET", "GET"]


# --- max_recipients_per_action ---------------------------------------------------------------------------------------


def test_too_many_numbers_are_refused_before_any_request(run, requests_mock):
    run("send_message", {"to": "+61411111111,+61422222222,+61433333333", "message": "x"}, config=asset_config(max_recipients_per_action=2))
    assert run.result["message"] == (
        "Refused: this send would reach 3 recipients (3 numbers in 'to'), more than the asset's max_recipients_per_action of 2; "
        "nothing was sent to ClickSend"
    )
    assert requests_mock.call_count == 0


def test_a_huge_to_is_refused_without_reading_every_number(run, requests_mock, monkeypatch):
    import clicksend_params

    parsed = []
    real = clicksend_params.phone_number
    monkeypatch.setattr(clicksend_params, "phone_number", lambda *a, **k: parsed.append(a[0]) or real(*a, **k))
    numbers = ",".join(f"+614{index:08d}" for index in range(50_000))
    run("send_message", {"to": numbers, "message": "x"}, config=asset_config(max_recipients_per_action=3))
    assert run.result["message"] == (
        "Refused: this send would reach more than 3 recipients ('to' holds more than 3 numbers; the app stopped reading it there), "
        "more than the asset's max_recipients_per_action of 3; nothing was sent to ClickSend"
    )
    assert len(parsed) == 4 and requests_mock.call_count == 0


def test_duplicates_do_not_count_towards_the_cap(run, requests_mock):
    requests_mock.post(SEND, json=echo())
    params = {"to": "+61411111111,0411111111,+61411111111,+61422222222", "message": "x"}
    run("send_message", params, config=asset_config(max_recipients_per_action=2))
    assert run.result["status"] == "success", run.result["message"]
    assert [m["to"] for m in requests_mock.last_request.json()["messages"]] == ["+61411111111", "+61422222222"]


def test_the_price_of_a_huge_to_is_not_cut_by_the_recipient_cap(run, requests_mock):
    requests_mock.post(PRICE, json=echo())
    run("calculate_price", {"to": "+61411111111,+61422222222,+61433333333", "message": "x"}, config=asset_config(max_recipients_per_action=1))
    assert run.result["status"] == "success", run.result["message"]
    assert len(requests_mock.last_request.json()["messages"]) == 3


def test_the_recipient_cap_counts_distinct_numbers_of_to_and_the_list_together(run, requests_mock):
    """5 numbers in `to` and a list of 10 that holds 5 of them reach 10 people: within a cap of 10."""
    given = [f"+6141111110{n}" for n in range(5)]
    listed = given + [f"+6142222220{n}" for n in range(5)]
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}", json=envelope(a_list(LIST_ID, count=10)))
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}/contacts", json=contacts(*listed))
    requests_mock.post(SEND, json=echo())
    run("send_message", {"to": ",".join(given), "contact_list_id": LIST_ID, "message": "x"}, config=asset_config(max_recipients_per_action=10))
    assert run.result["status"] == "success", run.result["message"]
    assert [m["to"] for m in requests_mock.last_request.json()["messages"]] == listed
    run("send_message", {"to": ",".join(given), "contact_list_id": LIST_ID, "message": "x"}, config=asset_config(max_recipients_per_action=9))
    assert run.result["message"] == (
        "Refused: this send would reach more than 9 recipients (5 numbers in 'to' and 4 other numbers of list 77 and more), more than the "
        "asset's max_recipients_per_action of 9; nothing was sent to ClickSend"
    )
    assert run.result["summary"] == {"refused_by": "max_recipients_per_action"}


def test_a_big_list_is_read_only_until_the_send_is_past_the_cap(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}", json=envelope(a_list(LIST_ID, count=40000)))
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}/contacts", json=contacts(*(f"+614{n:08d}" for n in range(40000))))
    run("send_message", {"to": "+61499999999", "contact_list_id": LIST_ID, "message": "x"}, config=asset_config(max_recipients_per_action=150))
    assert run.result["message"] == (
        f"Refused: this send would reach more than 150 recipients (1 number in 'to' and 149 other numbers of list {LIST_ID} and more), more "
        "than the asset's max_recipients_per_action of 150; nothing was sent to ClickSend"
    )
    pages = [query for _, path, query in sent(requests_mock) if path.endswith("/contacts")]
    assert len(pages) <= 10  # page 1, then at most 8 read at once: never the 400 pages of the list
    assert all(path != "/v3/sms/send" for _, path, _ in sent(requests_mock))


def test_a_list_of_unknown_size_is_counted_as_read(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}", json=envelope({"list_id": LIST_ID, "list_name": "x"}))
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}/contacts", json=contacts("+61411111111", "+61422222222", "+61433333333"))
    run("send_message", {"contact_list_id": LIST_ID, "message": "x"}, config=asset_config(max_recipients_per_action=2))
    assert run.result["message"].startswith(f"Refused: this send would reach more than 2 recipients (2 numbers of list {LIST_ID} and more)")
    assert [method for method, _, _ in sent(requests_mock)] == ["GET", "GET"]


def test_the_recipient_cap_limits_a_send_but_not_a_price(run, requests_mock):
    requests_mock.post(PRICE, json=echo())
    params = {"to": "+61411111111,+61422222222", "message": "x"}
    run("calculate_price", params, config=asset_config(max_recipients_per_action=1))
    assert run.result["status"] == "success", run.result["message"]
    run("send_message", params, config=asset_config(max_recipients_per_action=1))
    assert run.result["status"] == "failed" and "max_recipients_per_action of 1" in run.result["message"]
    assert [path for _, path, _ in sent(requests_mock)] == ["/v3/sms/price"]


# --- max_cost_per_action ---------------------------------------------------------------------------------------------


def test_a_send_within_the_cap_is_priced_first_with_the_same_body(run, requests_mock):
    requests_mock.post(PRICE, json=echo())
    requests_mock.post(SEND, json=echo())
    run("send_message", {"to": "+61411111111,+61422222222", "message": "Alert 123"}, config=asset_config(max_cost_per_action=0.2))
    assert run.result["status"] == "success", run.result["message"]
    assert run.result["message"] == "Queued 2 of 2 messages; priced first at 0.1584 AUD, within the asset's max_cost_per_action of 0.2 AUD"
    assert [path for _, path, _ in sent(requests_mock)] == ["/v3/sms/price", "/v3/sms/send"]
    price_body, send_body = (r.json() for r in requests_mock.request_history)
    assert price_body == send_body
    requests_mock.reset_mock()
    run("send_message", {"to": "+61411111111", "message": "Alert 123"})  # no cap: no price request
    assert [path for _, path, _ in sent(requests_mock)] == ["/v3/sms/send"]


def test_a_send_over_the_cap_is_refused_saying_the_price_and_the_cap(run, requests_mock):
    requests_mock.post(PRICE, json=echo())
    run("send_message", {"to": "+61411111111,+61422222222", "message": "x"}, config=asset_config(max_cost_per_action=0.15))
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "Refused: ClickSend prices this send at 0.1584 AUD, more than the asset's max_cost_per_action of 0.15 AUD; nothing was sent to ClickSend"
    )
    assert run.result["summary"] == {"refused_by": "max_cost_per_action", "price": 0.1584, "limit": 0.15, "currency": "AUD"}
    assert [path for _, path, _ in sent(requests_mock)] == ["/v3/sms/price"]


def test_a_parameter_cannot_raise_the_cap(run, requests_mock):
    requests_mock.post(PRICE, json=echo())
    params = {"to": "+61411111111", "message": "x", "max_cost_per_action": 100, "max_recipients_per_action": 100}
    run("send_message", params, config=asset_config(max_cost_per_action=0.01))
    assert run.result["status"] == "failed" and "max_cost_per_action of 0.01 AUD" in run.result["message"]
    assert [path for _, path, _ in sent(requests_mock)] == ["/v3/sms/price"]


def test_an_mms_is_priced_at_mms_price_with_its_media(run, requests_mock):
    requests_mock.post(f"{BASE_URL}/mms/price", json=echo("0.5000"))
    params = {"to": "+61411111111", "message": "x", "media_url": "https://example.com/a.jpg", "from": "SOCTeam"}
    run("send_mms", params, config=asset_config(max_cost_per_action=0.4))
    assert run.result["message"].startswith("Refused: ClickSend prices this send at 0.5 AUD, more than")
    assert [path for _, path, _ in sent(requests_mock)] == ["/a.jpg", "/v3/mms/price"]
    assert requests_mock.last_request.json()["media_file"] == "https://example.com/a.jpg"


def test_a_voice_message_is_priced_at_voice_price(run, requests_mock):
    requests_mock.post(f"{BASE_URL}/voice/price", json=echo("0.0900"))
    requests_mock.post(f"{BASE_URL}/voice/send", json=echo("0.0900"))
    run("send_voice_message", {"to": "+61411111111", "message": "x"}, config=asset_config(max_cost_per_action=1))
    assert run.result["status"] == "success", run.result["message"]
    assert [path for _, path, _ in sent(requests_mock)] == ["/v3/voice/price", "/v3/voice/send"]
    assert requests_mock.request_history[0].json()["messages"][0]["country"] == "AU"


def test_a_spend_cap_reads_the_list_and_prices_the_numbers_it_will_send(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}", json=envelope(a_list(LIST_ID, count=2)))
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}/contacts", json=contacts("+61411111111", "+61422222222"))
    requests_mock.post(PRICE, json=echo())
    run("send_message", {"contact_list_id": LIST_ID, "message": "x"}, config=asset_config(max_cost_per_action=0.1))
    assert run.result["message"].startswith("Refused: ClickSend prices this send at 0.1584 AUD")
    priced = requests_mock.last_request.json()["messages"]
    assert [message["to"] for message in priced] == ["+61411111111", "+61422222222"]
    assert all("list_id" not in message for message in priced)


def test_a_capped_voice_send_works_out_each_recipients_country_once(run, requests_mock, monkeypatch):
    import clicksend_actions_messaging

    looked_up = []
    real = clicksend_actions_messaging.region_of
    monkeypatch.setattr(clicksend_actions_messaging, "region_of", lambda number: looked_up.append(number) or real(number))
    requests_mock.post(f"{BASE_URL}/voice/price", json=echo("0.0900"))
    requests_mock.post(f"{BASE_URL}/voice/send", json=echo("0.0900"))
    run("send_voice_message", {"to": "+61411111111,+64211234567", "message": "x"}, config=asset_config(max_cost_per_action=1))
    assert run.result["status"] == "success", run.result["message"]
    assert sorted(looked_up) == ["+61411111111", "+64211234567"]  # priced and sent with the same countries, each read once
    assert [m["country"] for m in requests_mock.last_request.json()["messages"]] == ["AU", "NZ"]


FIVE = [f"+6141111110{n}" for n in range(5)]


@pytest.mark.parametrize(
    ("given", "priced", "wrong"),
    [
        ([FIVE[0]], {"messages": [{"to": FIVE[0], "status": "SUCCESS"}]}, f"gave {FIVE[0]} no usable price (None, status SUCCESS)"),
        ([FIVE[0]], {"messages": [{"to": FIVE[0], "status": "SUCCESS", "message_price": "NaN"}]}, f"gave {FIVE[0]} no usable price ('NaN'"),
        ([FIVE[0]], {"messages": []}, f"priced 0 of the 1 recipients (not {FIVE[0]})"),
        # the answers that fooled 2.1.0's cap, each for a send over the cap
        (FIVE, {"messages": [{"to": FIVE[0], "status": "SUCCESS", "message_price": "0.0792"}]}, "priced 1 of the 5 recipients (not "),
        ([FIVE[0]], {"messages": [{"to": FIVE[0], "status": "SUCCESS", "message_price": "-50"}]}, f"gave {FIVE[0]} no usable price ('-50'"),
        ([FIVE[0]], {"messages": [{"to": "+61499999999", "status": "SUCCESS", "message_price": "0.01"}]}, "priced +61499999999 that the send"),
        ([FIVE[0]], {"messages": [{"to": FIVE[0], "status": "QUEUED_MAYBE"}]}, f"gave {FIVE[0]} no usable price (None, status QUEUED_MAYBE)"),
        ([FIVE[0]], {"messages": [{"to": FIVE[0], "status": "THROTTLED"}]}, f"gave {FIVE[0]} no usable price (None, status THROTTLED)"),
        ([FIVE[0]], {"messages": [{"to": FIVE[0], "message_price": "0.01"}] * 2}, f"priced {FIVE[0]} more than once"),
    ],
    ids=["no-price", "nan", "none", "1-of-5", "negative", "other-numbers", "unknown-status", "throttled", "twice"],
)
def test_a_price_answer_that_does_not_price_each_recipient_one_for_one_refuses_the_send(run, requests_mock, given, priced, wrong):
    requests_mock.post(PRICE, json=envelope(dict(priced, total_price=0, _currency=CURRENCY)))
    run("send_message", {"to": ",".join(given), "message": "x"}, config=asset_config(max_cost_per_action=0.1))
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"Refused: ClickSend's price answer {wrong}"), run.result["message"]
    assert run.result["message"].endswith(
        ", so the send could not be held to the asset's max_cost_per_action of 0.1 AUD; nothing was sent to ClickSend"
    )
    assert run.result["summary"] == {"refused_by": "max_cost_per_action", "price": None, "limit": 0.1, "currency": "AUD"}
    assert [path for _, path, _ in sent(requests_mock)] == ["/v3/sms/price"]


def test_the_higher_of_total_price_and_the_message_prices_counts(run, requests_mock):
    requests_mock.post(PRICE, json=envelope({"total_price": "junk", "messages": [{"to": "+61411111111", "message_price": "2.5"}]}))
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "u", "default_country_sms": "AU", "_currency": CURRENCY}))
    run("send_message", {"to": "+61411111111", "message": "x"}, config=asset_config(max_cost_per_action=1))
    assert run.result["message"].startswith("Refused: ClickSend prices this send at 2.5 AUD, more than the asset's max_cost_per_action of 1 AUD")


def test_an_mms_price_without_a_currency_is_held_to_the_cap_in_the_accounts_currency(run, requests_mock):
    """ClickSend's MMS answers are documented without _currency (OAS send_mms_data): the account's currency is named."""
    usd = dict(CURRENCY, currency_name_short="USD")
    quote = answer([{"to": "+61411111111"}], price="0.5000")["data"]
    del quote["_currency"]
    requests_mock.post(f"{BASE_URL}/mms/price", json=envelope(quote))
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "u", "default_country_sms": "AU", "_currency": usd}))
    params = {"to": "+61411111111", "message": "x", "media_url": "https://example.com/a.jpg", "from": "SOCTeam"}
    run("send_mms", params, config=asset_config(max_cost_per_action=0.4))
    assert run.result["message"] == (
        "Refused: ClickSend prices this send at 0.5 USD, more than the asset's max_cost_per_action of 0.4 USD; nothing was sent to ClickSend"
    )
    assert run.result["summary"] == {"refused_by": "max_cost_per_action", "price": 0.5, "limit": 0.4, "currency": "USD"}


def test_a_failed_price_request_sends_nothing(run, requests_mock):
    requests_mock.post(PRICE, status_code=500, json=envelope(None, "Oops", "INTERNAL_SERVER_ERROR", 500))
    requests_mock.post(SEND, json=echo())
    run("send_message", {"to": "+61411111111", "message": "x"}, config=asset_config(max_cost_per_action=1))
    assert run.result["status"] == "failed" and "sms/price" in run.result["message"]
    assert all(path != "/v3/sms/send" for _, path, _ in sent(requests_mock))


# --- test connectivity -----------------------------------------------------------------------------------------------


def test_test_connectivity_shows_the_rule_and_the_caps(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "soc", "default_country_sms": "AU", "_currency": CURRENCY}))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=paged([]))
    requests_mock.get(f"{BASE_URL}/automations/sms/receipts", json=paged([]))
    run("test_connectivity", config=asset_config(allowed_destinations="+61,+1 415,NZ", max_cost_per_action=2.5, max_recipients_per_action=50))
    assert run.result["status"] == "success", run.result["message"]
    assert (
        "Guard rails: sends and prices go only to +61, +1415, NZ; each send is priced first and refused above 2.5 AUD; "
        "a send reaches at most 50 recipients (max_recipients_per_action)"
    ) in run.result["message"]


def test_describe_says_when_no_guard_is_set():
    text = guards.describe(checks.settings_from_config(BASE))
    assert text == (
        "Guard rails: sends and prices go to any destination (allowed_destinations is empty); no spend cap (max_cost_per_action is empty); "
        "a send reaches at most 10000 recipients (max_recipients_per_action)"
    )


def test_a_list_under_a_spend_cap_is_read_once_and_sent_as_priced(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}", json=envelope(a_list(LIST_ID, count=2)))
    requests_mock.get(f"{BASE_URL}/lists/{LIST_ID}/contacts", json=contacts("+61411111111", "+61422222222"))
    requests_mock.post(PRICE, json=echo())
    requests_mock.post(SEND, json=echo())
    run("send_message", {"contact_list_id": LIST_ID, "message": "x"}, config=asset_config(max_cost_per_action=1))
    assert run.result["status"] == "success", run.result["message"]
    assert [(method, path) for method, path, _ in sent(requests_mock)] == [
        ("GET", f"/v3/lists/{LIST_ID}"),
        ("GET", f"/v3/lists/{LIST_ID}/contacts"),
        ("POST", "/v3/sms/price"),
        ("POST", "/v3/sms/send"),
    ]
    assert requests_mock.request_history[2].json() == requests_mock.request_history[3].json()


def test_an_unpriced_recipient_clicksend_would_not_send_costs_nothing(run, requests_mock):
    quote = {
        "total_price": "0.0792",
        "_currency": CURRENCY,
        "messages": [
            {"to": "+61411111111", "status": "SUCCESS", "message_price": "0.0792"},
            {"to": "+61400000000", "status": "INVALID_RECIPIENT"},  # no price: ClickSend would not send it
        ],
    }
    requests_mock.post(PRICE, json=envelope(quote))
    requests_mock.post(SEND, json=echo())
    run("send_message", {"to": "+61411111111,+61400000000", "message": "x"}, config=asset_config(max_cost_per_action=1))
    assert run.result["status"] == "success", run.result["message"]
    assert "priced first at 0.0792" in run.result["message"]



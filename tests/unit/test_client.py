"""The HTTP layer: envelope, errors, retries, pagination, URL rules and secrecy."""

import pytest
import requests
from urllib3.exceptions import NewConnectionError

import clicksend_client as cc
from tests.conftest import API_KEY, BASE_URL, envelope


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return cc.ClickSendClient(BASE_URL, "user", API_KEY, timeout=7, sleep=sleeps.append)


def test_get_returns_data_and_sends_timeout_auth_and_user_agent(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"user_id": 1}))
    assert client.get("account") == {"user_id": 1}
    request = requests_mock.last_request
    assert request.timeout == 7
    assert request.verify  # True, or the platform's CA bundle path when REQUESTS_CA_BUNDLE is set
    assert request.headers["User-Agent"] == "splunk-soar-clicksend/2.0.0"
    assert request.headers["Authorization"].startswith("Basic ")


def test_verify_false_is_honoured_even_with_a_platform_ca_bundle(requests_mock, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    requests_mock.get(f"{BASE_URL}/account", json=envelope({}))
    cc.ClickSendClient(BASE_URL, "user", API_KEY, verify=False).get("account")
    assert requests_mock.last_request.verify is False


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_is_retried_on_transient_statuses_and_honours_retry_after(client, requests_mock, sleeps, status):
    requests_mock.get(
        f"{BASE_URL}/account",
        [{"status_code": status, "json": envelope(None, "busy", "X", status), "headers": {"Retry-After": "2"}}, {"json": envelope({"ok": 1})}],
    )
    assert client.get("account") == {"ok": 1}
    assert requests_mock.call_count == 2
    assert sleeps == [2.0]


def test_get_gives_up_after_bounded_attempts_and_says_so(client, requests_mock, sleeps):
    requests_mock.get(
        f"{BASE_URL}/account", status_code=503, json=envelope(None, "down", "SERVICE_UNAVAILABLE", 503), headers={"Retry-After": "1"}
    )
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    assert requests_mock.call_count == 4
    assert sleeps == [1.0, 1.0, 1.0]
    assert str(err.value) == "ClickSend refused GET account with HTTP 503 SERVICE_UNAVAILABLE: down; gave up after 4 attempts and 3 s of waiting"


def test_retry_after_longer_than_the_app_waits_is_not_waited_for(client, requests_mock, sleeps):
    requests_mock.get(
        f"{BASE_URL}/account", status_code=429, json=envelope(None, "slow down", "TOO_MANY_REQUESTS", 429), headers={"Retry-After": "3600"}
    )
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    assert sleeps == []
    assert "asked to retry after 3600 s, longer than the app waits (30 s)" in str(err.value)


def test_backoff_without_retry_after_grows(client, requests_mock, sleeps):
    requests_mock.get(f"{BASE_URL}/account", status_code=502, text="bad gateway")
    with pytest.raises(cc.ClickSendHTTPError):
        client.get("account")
    assert len(sleeps) == 3
    assert 1.0 <= sleeps[0] <= 1.25 and 2.0 <= sleeps[1] <= 2.5 and 4.0 <= sleeps[2] <= 5.0


def test_post_is_never_retried(client, requests_mock, sleeps):
    requests_mock.post(f"{BASE_URL}/sms/send", status_code=503, json=envelope(None, "down", "X", 503))
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.post("sms/send", {"messages": []})
    assert requests_mock.call_count == 1
    assert sleeps == []
    assert err.value.outcome_unknown is False
    assert str(err.value).endswith("(nothing was sent)")


def test_post_502_may_have_been_processed(client, requests_mock):
    requests_mock.post(f"{BASE_URL}/sms/send", status_code=502, text="<html><title>502 Bad Gateway</title></html>")
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.post("sms/send", {"messages": []})
    assert err.value.outcome_unknown is True
    assert "502 Bad Gateway" in str(err.value)
    assert "outcome is unknown" in str(err.value)


def test_idempotent_post_may_be_retried(client, requests_mock, sleeps):
    requests_mock.post(f"{BASE_URL}/sms/price", [{"status_code": 503, "text": "x"}, {"json": envelope({"p": 1})}])
    assert client.post("sms/price", {}, idempotent=True) == {"p": 1}


def test_connection_refused_on_get_is_retried_then_explained(client, requests_mock, sleeps):
    refused = requests.exceptions.ConnectionError(NewConnectionError(None, "Connection refused"))
    requests_mock.get(f"{BASE_URL}/account", exc=refused)
    with pytest.raises(cc.ClickSendConnectionError) as err:
        client.get("account")
    assert requests_mock.call_count == 4
    assert str(err.value).startswith("The app could not connect to ClickSend at rest.clicksend.com during GET account; gave up after 4 attempts")


def test_connection_refused_on_send_says_nothing_was_sent(client, requests_mock):
    refused = requests.exceptions.ConnectionError(NewConnectionError(None, "Connection refused"))
    requests_mock.post(f"{BASE_URL}/sms/send", exc=refused)
    with pytest.raises(cc.ClickSendConnectionError) as err:
        client.post("sms/send", {})
    assert err.value.outcome_unknown is False
    assert str(err.value).endswith("(nothing was sent)")


def test_reset_on_send_says_outcome_unknown(client, requests_mock):
    requests_mock.post(f"{BASE_URL}/sms/send", exc=requests.exceptions.ConnectionError("Connection reset by peer"))
    with pytest.raises(cc.ClickSendConnectionError) as err:
        client.post("sms/send", {})
    assert err.value.outcome_unknown is True
    assert "lost the connection" in str(err.value)


def test_read_timeout_on_get_is_not_retried(client, requests_mock, sleeps):
    requests_mock.get(f"{BASE_URL}/account", exc=requests.exceptions.ReadTimeout)
    with pytest.raises(cc.ClickSendConnectionError) as err:
        client.get("account")
    assert requests_mock.call_count == 1
    assert str(err.value) == "ClickSend did not answer GET account within 7 s"


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        (
            {"text": "<html><head><title>Service Unavailable</title></head><body>x</body></html>"},
            "not with its JSON envelope: Service Unavailable",
        ),
        ({"text": '{"http_code": 200, "resp'}, "not with its JSON envelope"),
        ({"json": {"hello": "world"}}, "not with its JSON envelope"),
        ({"json": ["a"]}, "not with its JSON envelope"),
        ({"text": ""}, "not with its JSON envelope: (empty body)"),
    ],
)
def test_answers_that_are_not_the_envelope_are_clear_errors(client, requests_mock, kwargs, needle):
    requests_mock.get(f"{BASE_URL}/account", **kwargs)
    with pytest.raises(cc.ClickSendResponseError) as err:
        client.get("account")
    assert needle in str(err.value)


def test_400_field_errors_are_included(client, requests_mock):
    requests_mock.post(
        f"{BASE_URL}/lists", status_code=400, json=envelope({"list_name": "List name field is required."}, "Invalid input.", "BAD_REQUEST", 400)
    )
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.post("lists", {})
    assert str(err.value) == (
        "ClickSend refused POST lists with HTTP 400 BAD_REQUEST: Invalid input. (list_name: List name field is required.) (nothing was sent)"
    )
    assert err.value.response_code == "BAD_REQUEST"


def test_the_key_never_appears_in_error_text(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", status_code=500, text=f"<html>debug: key={API_KEY}</html>")
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    assert API_KEY not in str(err.value)
    assert API_KEY not in repr(client)
    assert "***" in str(err.value)


def test_pagination_reads_every_page_at_the_largest_size(client, requests_mock):
    def page(request, context):
        number = int(request.qs["page"][0])
        return envelope({"current_page": number, "last_page": 3, "data": [{"n": number * 10 + i} for i in range(2)]})

    requests_mock.get(f"{BASE_URL}/lists", json=page)
    items = list(client.iter_items("lists", {"q": "x"}))
    assert [i["n"] for i in items] == [10, 11, 20, 21, 30, 31]
    assert [r.qs["page"] for r in requests_mock.request_history] == [["1"], ["2"], ["3"]]
    assert all(r.qs["limit"] == ["100"] and r.qs["q"] == ["x"] for r in requests_mock.request_history)


def test_pagination_without_last_page_follows_next_page_url_or_full_pages(client, requests_mock):
    def page(request, context):
        number = int(request.qs["page"][0])
        if number == 1:
            return envelope({"current_page": 1, "next_page_url": "https://elsewhere.example/v3/lists?page=2", "data": [{"n": 1}]})
        if number == 2:
            return envelope({"current_page": 2, "data": [{"n": 2}] * 100})
        return envelope({"current_page": 3, "data": [{"n": 3}]})

    requests_mock.get(f"{BASE_URL}/lists", json=page)
    assert len(list(client.iter_items("lists"))) == 102
    assert all(r.url.startswith(BASE_URL) for r in requests_mock.request_history)


def test_pagination_stops_at_the_cap_with_a_message(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists", json=envelope({"current_page": 1, "last_page": 99, "data": [{"n": 1}]}))
    with pytest.raises(cc.ClickSendError) as err:
        list(client.iter_items("lists", max_pages=2))
    assert "more than 2 pages" in str(err.value)


@pytest.mark.parametrize("empty", [[], None])
def test_an_empty_collection_answered_as_data_list_or_null_is_no_items(client, requests_mock, empty):
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=envelope(empty))
    assert list(client.iter_items("automations/sms/inbound")) == []


def test_the_key_and_basic_token_are_masked_in_every_error_text(client, requests_mock):
    import base64

    token = base64.b64encode(f"user:{API_KEY}".encode()).decode()
    requests_mock.post(f"{BASE_URL}/lists", status_code=400, json=envelope({"key": API_KEY}, f"bad key {API_KEY}", "BAD_REQUEST", 400))
    requests_mock.get(f"{BASE_URL}/account", status_code=502, text=f"<html><body>Authorization: Basic {token}</body></html>")
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.post("lists", {})
    assert API_KEY not in str(err.value) and "***" in str(err.value)
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    assert token not in str(err.value) and "Basic ***" in str(err.value)


def test_pagination_with_wrong_shape_is_an_error(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/lists", json=envelope("{}"))
    with pytest.raises(cc.ClickSendResponseError):
        list(client.iter_items("lists"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://rest.clicksend.com/v3/", "https://rest.clicksend.com/v3"),
        ("", "https://rest.clicksend.com/v3"),
        ("http://127.0.0.1:8080/v3", "http://127.0.0.1:8080/v3"),
        ("http://127.5.0.1/v3", "http://127.5.0.1/v3"),
        ("http://localhost:9/v3", "http://localhost:9/v3"),
        ("http://[::1]:9/v3", "http://[::1]:9/v3"),
    ],
)
def test_base_url_accepted(url, expected):
    assert cc.normalise_base_url(url) == expected


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("http://rest.clicksend.com/v3", "must use https"),
        ("http://10.0.0.5/v3", "must use https"),
        ("https://user:pw@rest.clicksend.com/v3", "must not contain credentials"),
        ("rest.clicksend.com", "must be an http(s) URL"),
        ("ftp://rest.clicksend.com", "must be an http(s) URL"),
        ("https://rest.clicksend.com/v3?x=1", "query string"),
    ],
)
def test_base_url_refused(url, needle):
    with pytest.raises(ValueError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        cc.normalise_base_url(url)

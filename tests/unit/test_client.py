"""ClickSend's protocol in the client: envelope, errors, retries, redirects, Retry-After and secrecy of error texts."""


import pytest
import requests
from urllib3.exceptions import NewConnectionError

import clicksend_client as cc
import clicksend_consts as consts
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
    assert request.headers["User-Agent"] == f"splunk-soar-clicksend/{consts.APP_VERSION}"
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.headers["Accept-Encoding"] == "gzip, deflate"  # the encodings the app decodes itself, with a cap


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


def test_post_is_not_retried_when_clicksend_may_have_processed_it(client, requests_mock, sleeps):
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


def test_connection_refused_on_send_is_retried_and_says_nothing_was_sent(client, requests_mock, sleeps):
    refused = requests.exceptions.ConnectionError(NewConnectionError(None, "Connection refused"))
    requests_mock.post(f"{BASE_URL}/sms/send", exc=refused)
    with pytest.raises(cc.ClickSendConnectionError) as err:
        client.post("sms/send", {})
    assert requests_mock.call_count == 4 and len(sleeps) == 3
    assert err.value.outcome_unknown is False and err.value.never_sent
    assert "during POST sms/send; gave up after 4 attempts" in str(err.value)
    assert str(err.value).endswith("(nothing was sent)")


def test_a_send_answered_429_is_retried_and_429_again_gives_up_saying_nothing_was_sent(client, requests_mock, sleeps):
    busy = envelope(None, "slow", "TOO_MANY_REQUESTS", 429)
    requests_mock.post(f"{BASE_URL}/sms/send", status_code=429, json=busy, headers={"Retry-After": "1"})
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.post("sms/send", {})
    assert requests_mock.call_count == 4 and sleeps == [1.0, 1.0, 1.0]
    assert str(err.value) == (
        "ClickSend refused POST sms/send with HTTP 429 TOO_MANY_REQUESTS: slow; ClickSend is rate-limiting this account; "
        "gave up after 4 attempts and 3 s of waiting (nothing was sent)"
    )


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


# --- ids in paths ----------------------------------------------------------------------------------------------


def test_a_path_with_a_dot_segment_is_refused_before_anything_is_sent(client, requests_mock):
    with pytest.raises(cc.InvalidPathValue) as err:
        client.put("sms/inbound-read/.")
    assert requests_mock.call_count == 0
    assert str(err.value) == "The app refused to send PUT sms/inbound-read/. to ClickSend: it has an empty, '.' or '..' segment"


# --- redirects and Retry-After ---------------------------------------------------------------------------------


def test_every_request_refuses_redirects(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", status_code=302, headers={"Location": "http://elsewhere.example/v3/account"})
    elsewhere = requests_mock.get("http://elsewhere.example/v3/account", json=envelope({}))
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    assert requests_mock.call_count == 1 and not elsewhere.called
    assert str(err.value) == (
        "ClickSend answered GET account with HTTP 302, a redirect to http://elsewhere.example/v3/account; "
        "the app does not follow redirects: check the asset's base_url"
    )


def test_a_redirect_without_location_says_so(client, requests_mock):
    requests_mock.post(f"{BASE_URL}/sms/send", status_code=307)
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.post("sms/send", {})
    assert "HTTP 307, a redirect without a location" in str(err.value) and "(nothing was sent to that location)" in str(err.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3.0), (" 3 ", 3.0), ("²", None), ("٣", None), ("3.5", None), ("-1", None), ("", None), (None, None), ("x" * 100, None),
     ("Mon, 99 Foo 2025 99:99:99 GMT", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("\x00\xff", None)],
)  # fmt: skip
def test_retry_after_parsing_never_raises(value, expected):
    assert cc._retry_after_seconds(value) == expected


def test_a_huge_retry_after_is_longer_than_the_app_waits():
    assert cc._retry_after_seconds("9" * 400) > 1e300


# --- secrets -----------------------------------------------------------------------------------------------------


def test_redact_data_masks_every_form_of_the_key_in_keys_and_values():
    import base64
    from urllib.parse import quote

    key = "k3y/with+odd=chars"
    client = cc.ClickSendClient(BASE_URL, "jörg", key)
    latin = base64.b64encode(f"jörg:{key}".encode("latin-1")).decode()
    utf8 = base64.b64encode(f"jörg:{key}".encode()).decode()
    original = {
        "a": [f"x{key}y", {key: quote(key, safe="")}, (latin, utf8)],
        "b": f"jörg:{key}",
        "n": 5,
        "none": None,
        "t": True,
    }
    masked = client.redact_data(original)
    assert masked == {"a": ["x***y", {"***": "***"}, ["***", "***"]], "b": "***", "n": 5, "none": None, "t": True}
    assert original["a"][0] == f"x{key}y"  # a copy: the original is untouched
    assert client.redact_data(f"<{key}>") == "<***>" and client.redact_data(7) == 7


def test_redact_data_survives_any_nesting_depth():
    client = cc.ClickSendClient(BASE_URL, "user", API_KEY)
    deep = API_KEY
    for _ in range(100000):
        deep = [deep]
    masked = client.redact_data(deep)
    for _ in range(100000):
        masked = masked[0]
    assert masked == "***"


def test_the_basic_token_requests_would_build_for_a_latin_1_username_is_masked(requests_mock):
    import base64

    client = cc.ClickSendClient(BASE_URL, "jörg", API_KEY)
    token = base64.b64encode(f"jörg:{API_KEY}".encode("latin-1")).decode()
    requests_mock.get(f"{BASE_URL}/account", status_code=500, text=f"auth was Basic {token}")
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    assert requests_mock.last_request.headers["Authorization"] == f"Basic {token}"
    assert token not in str(err.value) and "Basic ***" in str(err.value)


def test_a_username_latin_1_cannot_encode_does_not_crash_and_goes_as_utf_8(requests_mock):
    import base64

    requests_mock.get(f"{BASE_URL}/account", json=envelope({}))
    cc.ClickSendClient(BASE_URL, "山田", API_KEY).get("account")
    sent = requests_mock.last_request.headers["Authorization"]
    assert base64.b64decode(sent[6:]).decode("utf-8") == f"山田:{API_KEY}"


@pytest.mark.parametrize("kept", [4, 10, len(API_KEY) - 1])
def test_a_cut_that_ends_inside_a_secret_masks_the_fragment(client, requests_mock, kept):
    # the server echoes only the start of the key, so that the app's own cut at 200 characters ends inside it
    requests_mock.get(f"{BASE_URL}/account", status_code=500, text="z" * (200 - kept) + API_KEY[: kept + 3])
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    assert str(err.value).endswith("non-JSON body: " + "z" * (200 - kept) + "***")


def test_field_errors_and_messages_are_masked_before_they_are_cut(client, requests_mock):
    data = {"key": "y" * 185 + API_KEY, "other": "fine"}
    requests_mock.post(f"{BASE_URL}/lists", status_code=400, json=envelope(data, "m" * 190 + API_KEY, "BAD_REQUEST", 400))
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.post("lists", {})
    text = str(err.value)
    for size in range(4, len(API_KEY) + 1):
        assert API_KEY[:size] not in text
    assert "m" * 190 + "***" in text and "key: " + "y" * 185 + "***" in text
    assert err.value.response_msg == "m" * 190 + "***"
    assert err.value.data == {"key": "y" * 185 + "***", "other": "fine"}


def test_an_error_text_is_one_line_and_bounded_whatever_the_server_says(client, requests_mock):
    requests_mock.get(
        f"{BASE_URL}/account",
        status_code=400,
        json=envelope({f"f{i}": "v\n" * 50 for i in range(10000)}, "line1\nline2\r\x1b[2J" + "x" * 100000, "C\nODE", 400),
    )
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client.get("account")
    text = str(err.value)
    assert "\n" not in text and "\x1b" not in text and "\r" not in text
    assert len(text) < 700
    assert text.startswith("ClickSend refused GET account with HTTP 400 C ODE: line1 line2 [2J")


def test_a_deeply_nested_json_answer_is_not_an_unexpected_error(client, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", text="[" * 100000 + "]" * 100000)
    with pytest.raises(cc.ClickSendResponseError) as err:
        client.get("account")
    assert "not with its JSON envelope" in str(err.value)

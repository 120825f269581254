"""The asset's base_url and the ids in request paths (clicksend_urls)."""

import re

import pytest

import clicksend_errors as ce
import clicksend_urls as cu


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://rest.clicksend.com/v3/", "https://rest.clicksend.com/v3"),
        ("", "https://rest.clicksend.com/v3"),
        ("http://127.0.0.1:8080/v3", "http://127.0.0.1:8080/v3"),
        ("http://127.5.0.1/v3", "http://127.5.0.1/v3"),
        ("http://localhost:9/v3", "http://localhost:9/v3"),
        ("http://[::1]:9/v3", "http://[::1]:9/v3"),
        ("https://rest.clicksend.com:443/v3", "https://rest.clicksend.com:443/v3"),
        ("https://rest.clicksend.com:/v3", "https://rest.clicksend.com:/v3"),
        ("https://bücher.example/v3", "https://bücher.example/v3"),
        ("https://rest.clicksend.com./v3", "https://rest.clicksend.com./v3"),
    ],
)
def test_base_url_accepted(url, expected):
    assert cu.normalise_base_url(url) == expected


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("http://rest.clicksend.com/v3", "must use https"),
        ("http://10.0.0.5/v3", "must use https"),
        ("https://user:pw@rest.clicksend.com/v3", "must not contain credentials"),
        ("rest.clicksend.com", "must be an http(s) URL"),
        ("ftp://rest.clicksend.com", "must be an http(s) URL"),
        ("https://rest.clicksend.com/v3?x=1", "query string"),
        ("https://rest.clicksend.com/v3?", "query string or fragment ('?' or '#')"),
        ("https://rest.clicksend.com/v3#", "query string or fragment ('?' or '#')"),
        ("https://rest.clicksend.com:99999/v3", "base_url's port 99999 is out of range (1-65535)"),
        ("https://rest.clicksend.com:0/v3", "base_url's port 0 is out of range (1-65535)"),
        ("https://rest.clicksend.com:http/v3", "base_url's port 'http' is not a number"),
        ("https://rest.clicksend.com:８０/v3", "base_url's port '８０' is not a number"),
        ("https://rest click send.com/v3", "must not contain spaces or control characters"),
        ("https://rest.clicksend.com\t/v3", "must not contain spaces or control characters"),
        ("https://rest.clicksend.com/v\x003", "must not contain spaces or control characters"),
        ("https://rest<clicksend>.com/v3", "base_url's host 'rest<clicksend>.com' contains '<'"),
        ("https://rest..clicksend.com/v3", "has an empty label"),
        ("https://[::1/v3", "base_url is not a valid URL"),
        ("https://[fe80::zz]/v3", "IPv6"),
        ("https://[::1]x/v3", "after the host where only a ':port' may follow"),
        ("https://rest.clicksend.com/v3/../v2", "must not contain '.' or '..' segments"),
        ("https://:443/v3", "must be an http(s) URL"),
    ],
)
def test_base_url_refused(url, needle):
    with pytest.raises(ValueError, match=re.escape(needle)):
        cu.normalise_base_url(url)


def test_base_url_refusals_are_value_errors_not_crashes_for_any_port_text():
    for port in ("65536", "1" * 40, "-1", "+1", " 1", "1e3"):
        with pytest.raises(ValueError, match="base_url"):
            cu.normalise_base_url(f"https://rest.clicksend.com:{port}/v3")


def test_api_path_quotes_every_id():
    assert cu.api_path("lists/{list_id}/contacts/{contact_id}", list_id=12, contact_id="a:b") == "lists/12/contacts/a%3Ab"
    assert cu.api_path("sms/{message_id}/cancel", message_id="BF7AD270-0DE2-418B") == "sms/BF7AD270-0DE2-418B/cancel"
    assert cu.api_path("x/{id}", id="ü+:@") == "x/%C3%BC%2B%3A%40"


@pytest.mark.parametrize(
    "value", ["", None, ".", "..", "a/b", "a\\b", "a?b", "a#b", "100%", "a b", "a\tb", "a\nb", "a\x00b", "a\x7fb", "a\u200bb", "\u3000"]
)
def test_api_path_refuses_what_cannot_be_a_clicksend_id(value):
    with pytest.raises(ce.InvalidPathValue) as err:
        cu.api_path("sms/inbound-read/{message_id}", message_id=value)
    assert isinstance(err.value, ce.ClickSendError) and isinstance(err.value, ValueError)
    assert err.value.field == "message_id"
    assert str(err.value).startswith("message_id ") and "cannot be a ClickSend id" in str(err.value)
    assert "\n" not in str(err.value) and "\t" not in str(err.value)

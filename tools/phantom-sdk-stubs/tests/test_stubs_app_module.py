from __future__ import annotations

import encryption_helper
import phantom
import phantom.app as ph
import phantom.base_connector as base_conn
import pytest
from phantom.action_result import ActionResult
from phantom.base_connector import BaseConnector


def test_constants_and_reexports():
    assert ph.APP_SUCCESS is True and ph.APP_ERROR is False
    assert (ph.APP_SUCCESS_STR, ph.APP_ERROR_STR) == ("success", "failed")
    assert ph.ACTION_ID_TEST_ASSET_CONNECTIVITY == "test_asset_connectivity"
    assert ph.ACTION_ID_INGEST_ON_POLL == "on_poll"
    assert ph.APP_JSON_EXCEPTION_OCCURED == "exception_occured"
    assert ph.APP_JSON_CONT_SUCC == "containers_successful"
    assert ph.APP_ERR_ACTION_DICT_NOT_FOUND.format(action_id="x") == "Unknown action. Unable to find action info for 'x' in App JSON"
    assert ph.BaseConnector is BaseConnector and ph.ActionResult is ActionResult
    assert phantom.app is ph
    assert hasattr(base_conn, "connector_obj")
    assert set(ph.CONTAINS_VALIDATORS) == {
        "domain",
        "ip",
        "hash",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "host name",
        "mac address",
        "url",
        "email",
    }


def test_is_fail_is_success():
    assert ph.is_fail(False) and ph.is_fail(None) and not ph.is_fail(True)
    assert ph.is_success(True) and not ph.is_success(False)


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        (ph.is_ip, ["10.0.0.1", "2001:db8::1"], ["300.1.1.1", "example.com", "", None]),
        (ph.is_email, ["a.b@example.com", "x+y@sub.example.org"], ["not-an-email", "a@b", "a@@b.com", "a b@c.com"]),
        (ph.is_domain, ["example.com", "a.b.co"], ["localhost", "-bad-.com", "exa mple.com"]),
        (ph.is_hostname, ["localhost", "web-1.example.com"], ["bad_host!", ""]),
        (ph.is_url, ["https://example.com/x?y=1", "http://10.0.0.1:8080/"], ["example.com", "https://", "http://exa mple.com"]),
        (ph.is_md5, ["d41d8cd98f00b204e9800998ecf8427e"], ["d41d8cd98f00b204e9800998ecf8427", "z" * 32]),
        (ph.is_sha1, ["da39a3ee5e6b4b0d3255bfef95601890afd80709"], ["da39"]),
        (ph.is_sha256, ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"], ["e3b0"]),
        (ph.is_sha512, ["a" * 128], ["a" * 127]),
        (ph.is_hash, ["a" * 32, "a" * 40, "a" * 64, "a" * 128], ["a" * 33]),
        (ph.is_mac, ["00:1A:2b:3c:4d:5e", "00-1a-2b-3c-4d-5e"], ["00:1a:2b:3c:4d", "00:1a-2b:3c:4d:5e"]),
    ],
)
def test_validators(validator, good, bad):
    for value in good:
        assert validator(value), value
    for value in bad:
        assert not validator(value), value


def test_value_helpers():
    assert ph.get_list_from_string(" a, b,,a , c ") == ["a", "b", "c"]
    assert ph.get_list_from_string("a,,a", drop_blanks=False, remove_duplicates=False) == ["a", "", "a"]
    assert ph.get_list_from_string(None) == []
    assert ph.to_bool("True") is True and ph.to_bool("no") is False and ph.to_bool(1) is True and ph.to_bool(None) is False
    assert ph.get_str_val({"k": " v "}, "k") == "v"
    assert ph.get_str_val({}, "k", "d") == "d"
    assert ph.get_value({"k": " v "}, "k", strip_it=False) == " v "
    assert ph.get_req_value({"k": " v "}, "k") == "v"


def test_encryption_helper_round_trip_and_errors():
    cipher = encryption_helper.encrypt("token-value", "42")
    assert cipher != "token-value" and "token-value" not in cipher
    assert encryption_helper.decrypt(cipher, "42") == "token-value"
    with pytest.raises(ValueError):
        encryption_helper.decrypt(cipher, "43")
    with pytest.raises(ValueError):
        encryption_helper.decrypt("", "42")
    with pytest.raises(ValueError):
        encryption_helper.decrypt("!!not base64!!", "42")

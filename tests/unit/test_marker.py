"""Reply-thread markers: `soar:<container>:<tag>`, the tag an HMAC-SHA256 only this asset's secret can make."""

import hashlib
import hmac
import re

import pytest

import clicksend_marker
from clicksend_marker import known_secret, looks_like_marker, make, verified_container
from tests.unit.test_action_on_poll import FORGED, SECRET


TO = "+61411111111"


def test_a_marker_is_the_container_and_the_first_80_bits_of_the_hmac_of_asset_container_and_recipient():
    tag = hmac.new(SECRET.encode(), f"to:1:42:{TO}".encode(), hashlib.sha256).hexdigest()[:20]
    assert make(SECRET, "1", 42, TO) == f"soar:42:{tag}"
    assert re.fullmatch(r"soar:42:[0-9a-f]{20}", make(SECRET, "1", 42, TO))
    assert len(make(SECRET, "1", 999_999_999_999, TO)) <= 50  # within ClickSend's custom_string limit (50, to be safe)


@pytest.mark.parametrize(
    "other",
    [(SECRET, "1", 43, TO), (SECRET, "2", 42, TO), ("another secret", "1", 42, TO), (SECRET, "1", 42, "+61499999999")],
    ids=["another container", "another asset", "another secret", "another recipient"],
)
def test_the_tag_differs_with_container_asset_secret_and_recipient(other):
    assert make(*other).rsplit(":", 1)[1] != make(SECRET, "1", 42, TO).rsplit(":", 1)[1]


@pytest.mark.parametrize("container_id", [1, 42, 999_999_999_999])
def test_a_marker_this_asset_made_verifies_to_its_container_with_the_number_it_went_to(container_id):
    assert verified_container(make(SECRET, "1", container_id, TO), SECRET, "1", TO) == container_id
    assert verified_container(f"  {make(SECRET, '1', container_id, TO)}\n", SECRET, "1", "+61 411 111 111") == container_id


@pytest.mark.parametrize("number", ["+61499999999", "", None, "61411111112"])
def test_a_marker_copied_to_another_number_verifies_to_nothing(number):
    assert verified_container(make(SECRET, "1", 42, TO), SECRET, "1", number) is None


def test_a_210_marker_verifies_to_nothing_but_is_recognised_for_the_log():
    legacy = "soar:42:" + hmac.new(SECRET.encode(), b"1:42", hashlib.sha256).hexdigest()[:20]
    assert verified_container(legacy, SECRET, "1", TO) is None
    assert clicksend_marker.legacy_container(legacy, SECRET, "1") == 42
    assert clicksend_marker.legacy_container(make(SECRET, "1", 42, TO), SECRET, "1") is None


def test_a_marker_needs_a_recipient():
    with pytest.raises(ValueError):
        make(SECRET, "1", 42, "")


@pytest.mark.parametrize("forged", sorted(FORGED))
def test_a_forged_marker_verifies_to_nothing(forged):
    assert verified_container(FORGED[forged], SECRET, "1", TO) is None


@pytest.mark.parametrize("secret", [None, ""])
def test_without_a_secret_no_marker_verifies(secret):
    assert verified_container(make(SECRET, "1", 42, TO), secret, "1", TO) is None


@pytest.mark.parametrize("custom_string", [None, "", "ticket-9", 42, "soar:1234567890123:" + "0" * 20])
def test_no_marker_at_all_verifies_to_nothing(custom_string):
    assert verified_container(custom_string, SECRET, "1", TO) is None


@pytest.mark.parametrize(("text", "expected"), [("soar:42:x", True), ("  SOAR:anything", True), ("soarx", False), ("", False), (None, False)])
def test_what_looks_like_a_marker(text, expected):
    assert looks_like_marker(text) is expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"thread_marker_secret": SECRET}, SECRET),
        ({}, None),
        ({"thread_marker_secret": ""}, None),
        ({"thread_marker_secret": 7}, None),
        ({"thread_marker_secret": ["x"]}, None),
        ({"thread_marker_secret": "s3cret"}, None),  # too short to be one the app made
    ],
)
def test_known_secret_is_only_a_long_enough_string_of_the_state(state, expected):
    assert clicksend_marker.STATE_KEY == "thread_marker_secret"
    assert known_secret(state) == expected


class Counting:
    """A state file that counts its writes."""

    def __init__(self, state):
        self.state, self.writes = dict(state), 0

    def read(self):
        return dict(self.state)

    def update(self, change):
        state = self.read()
        outcome = change(state)
        self.state, self.writes = state, self.writes + 1
        return outcome


def test_the_secret_is_written_once_in_the_assets_life_not_on_every_send():
    store = Counting({})
    first = clicksend_marker.asset_secret(store)
    assert [clicksend_marker.asset_secret(store) for _ in range(3)] == [first] * 3
    assert store.writes == 1 and re.fullmatch(r"[0-9a-f]{64}", first)


@pytest.mark.parametrize("stored", [None, 123, ["x"], ""])
def test_a_stored_value_that_is_no_secret_is_replaced_not_used(stored):
    store = Counting({"thread_marker_secret": stored})
    secret = clicksend_marker.asset_secret(store)
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert store.state["thread_marker_secret"] == secret and store.writes == 1  # kept: later markers verify with it
    assert clicksend_marker.asset_secret(store) == secret and store.writes == 1

"""The key is masked in every way a server may write it back: any case, percent-encoded (every character or some,
upper- or lower-case hex), JSON and HTML escapes, base64 of the key alone or inside other text, base64url without
padding, hex. Each form is checked in an error body, a redirect's Location and an answer's data, and across a cut."""

import base64

import pytest

import clicksend_client as cc
from clicksend_masking import Secrets
from tests.conftest import API_KEY, BASE_URL, USERNAME


PAIR = f"{USERNAME}:{API_KEY}"


def spelled(each):
    return "".join(each(index, char) for index, char in enumerate(API_KEY))


FORMS = {
    "lower case": API_KEY.lower(),
    "upper case": API_KEY.upper(),
    "every character percent-encoded": spelled(lambda _, c: f"%{ord(c):02X}"),
    "percent-encoded, lower-case hex": spelled(lambda _, c: f"%{ord(c):02x}"),
    "every other character percent-encoded": spelled(lambda i, c: f"%{ord(c):02x}" if i % 2 else c),
    "JSON escapes": spelled(lambda _, c: f"\\u{ord(c):04x}"),
    "HTML decimal references": spelled(lambda _, c: f"&#{ord(c)};"),
    "HTML hex references": spelled(lambda _, c: f"&#x{ord(c):x};"),
    "a mix of every escape": spelled(lambda i, c: [c, f"%{ord(c):02x}", f"\\u{ord(c):04X}", f"&#{ord(c)};", f"&#X{ord(c):X};"][i % 5]),
    "base64 of the key": base64.b64encode(API_KEY.encode()).decode(),
    "base64url of user:key without padding": base64.urlsafe_b64encode(PAIR.encode()).decode().rstrip("="),
    "hex of the key": API_KEY.encode().hex(),
    "hex of the key, upper case": API_KEY.encode().hex().upper(),
}
# the key inside longer base64 text: the characters that encode the key alone are masked; the one or two at each end
# that also encode their neighbours stay, and with them at most two bytes of the key at each end
INSIDE_BASE64 = {
    f"alignment {offset}": base64.b64encode(b"token=" + b"x" * offset + API_KEY.encode() + b";").decode() for offset in range(3)
}


def client():
    return cc.ClickSendClient(BASE_URL, USERNAME, API_KEY)


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_an_error_body_quoting_the_key_in_any_form_is_masked(requests_mock, form):
    requests_mock.get(f"{BASE_URL}/account", status_code=500, text=f'{{"error": "bad key {form} given"}}')
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client().get("account")
    assert form not in str(err.value) and "bad key *** given" in str(err.value)


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_a_redirect_location_quoting_the_key_in_any_form_is_masked(requests_mock, form):
    requests_mock.get(f"{BASE_URL}/account", status_code=302, headers={"Location": f"https://evil.example/?k={form}"})
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client().get("account")
    assert form[:40] not in str(err.value) and "https://evil.example/?k=***" in str(err.value)


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_answer_data_quoting_the_key_in_any_form_is_masked(form):
    masked = client().redact_data({"note": f"see {form}.", form: [form]})
    assert masked == {"note": "see ***.", "***": ["***"]}


@pytest.mark.parametrize("form", INSIDE_BASE64.values(), ids=INSIDE_BASE64.keys())
def test_the_key_inside_base64_text_is_masked(form):
    masked = client().redact(f"cookie {form} end")
    head, mask, tail = masked.partition("***")
    assert mask and form not in masked
    assert len(head) <= len("cookie ") + 11 and len(tail) <= 4 + len(" end")  # "token=" and its neighbours; ";" and "=" padding


@pytest.mark.parametrize("kept", [4, 9])
def test_a_cut_inside_a_percent_encoded_key_masks_the_fragment(requests_mock, kept):
    encoded = spelled(lambda _, c: f"%{ord(c):02x}")
    # the cut at 200 characters falls after `kept` encoded characters and one digit of the next
    requests_mock.get(f"{BASE_URL}/account", status_code=500, text="z" * (200 - 3 * kept - 2) + encoded)
    with pytest.raises(cc.ClickSendHTTPError) as err:
        client().get("account")
    assert str(err.value).endswith("non-JSON body: " + "z" * (200 - 3 * kept - 2) + "***")


def test_text_without_the_key_is_left_as_it_is():
    text = "Sent to +61411111111 at 100% & more: \\u00e9 &#233; " + base64.b64encode(b"something else entirely").decode()
    assert client().redact(text) == text


def test_html_references_with_leading_zeros_or_without_the_semicolon_are_masked():
    for form in (
        spelled(lambda _, c: f"&#{ord(c):04d};"),
        spelled(lambda _, c: f"&#x{ord(c):04x};"),
        spelled(lambda _, c: f"&#{ord(c)}"),
    ):
        assert client().redact(f"key {form} end") == "key *** end"


def test_a_key_with_characters_json_and_html_escape_is_masked_in_their_escapes():
    import html
    import json

    key = 'k%e&y\\q/"<x>\'z'
    secrets = cc.ClickSendClient(BASE_URL, USERNAME, key)
    for form in (json.dumps(key)[1:-1], json.dumps(key)[1:-1].replace("/", "\\/"), html.escape(key, quote=True)):
        assert secrets.redact(f"[{form}]") == "[***]"


def test_a_key_pasted_with_spaces_or_a_line_break_around_it_is_used_and_masked_trimmed():
    from clicksend_params import settings_from_config

    settings = settings_from_config({"base_url": BASE_URL, "username": USERNAME, "key": f" {API_KEY}\n"})
    assert settings.api_key == API_KEY


def test_the_base64_of_a_very_short_key_masks_no_ordinary_words():
    assert cc.ClickSendClient(BASE_URL, "ops", "ab").redact("fix why YW") == "fix why YW"


def test_a_character_the_pattern_matches_ignoring_case_is_masked_in_the_fast_path_too():
    # 'ſ' (long s) matches 's' ignoring case; text without escapes takes the fast path, which must agree
    assert cc.ClickSendClient(BASE_URL, USERNAME, "ks-key-12345678").redact("kſ-key-12345678") == "***"


def test_the_patterns_are_compiled_only_once_a_text_may_hold_the_key():
    # compiling them costs a cold action about 10 ms: a run whose texts hold no escape and no literal form skips it
    secrets = Secrets(USERNAME, API_KEY)
    assert secrets.mask("Queued 1 of 1 message to +61411111111") == "Queued 1 of 1 message to +61411111111"
    assert secrets._compiled is None
    assert secrets.mask("100% done") == "100% done"
    assert secrets._compiled is not None


def test_clean_gives_one_masked_line_no_longer_than_asked():
    secrets = Secrets(USERNAME, API_KEY)
    text = f"line one\n\tline two {API_KEY}\x00 " + "x" * 500
    cleaned = secrets.clean(text, 60)
    assert "\n" not in cleaned and "\x00" not in cleaned and API_KEY not in cleaned
    assert cleaned.startswith("line one line two ***") and len(cleaned) <= 60


def test_data_masks_keys_and_values_at_any_depth_and_leaves_other_values_alone():
    secrets = Secrets(USERNAME, API_KEY)
    deep = {"a": [1, 2.5, None, True, {API_KEY: f"x{API_KEY}y"}]}
    assert secrets.data(deep) == {"a": [1, 2.5, None, True, {"***": "x***y"}]}

"""Indicators in inbound SMS: the forms smishing uses, as a table; bounded time on hostile input; the artifacts on poll
saves and the fields list inbound messages returns; the asset option that turns extraction off."""

import ast
import json
import pathlib
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clicksend_consts as consts
import clicksend_indicators as ci
from tests.conftest import BASE_URL, ROOT, envelope


U, D, E, P = ci.URL, ci.DOMAIN, ci.EMAIL, ci.PHONE


def found(body, region="AU"):
    return [(i.kind, i.value) for i in ci.extract(body, region)]


CASES = [
    # (what, body, expected indicators in order)
    ("scheme URL", "Pay at https://evil.example/pay now", [(U, "https://evil.example/pay"), (D, "evil.example")]),
    ("bare domain with a path", "Your parcel is held: evil.example/x", [(U, "http://evil.example/x"), (D, "evil.example")]),
    ("bare domain alone", "Log in at evil.example today", [(D, "evil.example")]),
    ("www without a path", "see www.evil.example", [(U, "http://www.evil.example"), (D, "www.evil.example")]),
    ("upper-case scheme and host", "HTTPS://EVIL.EXAMPLE/Login?Id=AbC", [(U, "https://evil.example/Login?Id=AbC"), (D, "evil.example")]),
    ("mixed-case scheme", "Go to HtTp://Evil.Example/A", [(U, "http://evil.example/A"), (D, "evil.example")]),
    ("hxxp defanged", "hxxp://evil.example/a", [(U, "http://evil.example/a"), (D, "evil.example")]),
    ("hXXps with [.]", "hXXps://evil[.]example/a", [(U, "https://evil.example/a"), (D, "evil.example")]),
    ("[:] and [.]", "hxxps[:]//login[.]evil[.]example", [(U, "https://login.evil.example"), (D, "login.evil.example")]),
    ("(.) and {.}", "evil(.)example/p and bad{.}example", [(U, "http://evil.example/p"), (D, "evil.example"), (D, "bad.example")]),
    ("[dot]", "visit evil[dot]example", [(D, "evil.example")]),
    ("defanged e-mail", "write to billing[@]evil[.]example", [(E, "billing@evil.example")]),
    ("trailing full stop", "Click evil.example/x.", [(U, "http://evil.example/x"), (D, "evil.example")]),
    ("trailing punctuation run", "now: https://evil.example/x!!!", [(U, "https://evil.example/x"), (D, "evil.example")]),
    ("brackets around", "(see evil.example/x).", [(U, "http://evil.example/x"), (D, "evil.example")]),
    ("quotes around", '"https://evil.example/q"', [(U, "https://evil.example/q"), (D, "evil.example")]),
    ("ellipsis", "evil.example/x…", [(U, "http://evil.example/x"), (D, "evil.example")]),
    ("bracket the URL opened stays", "https://evil.example/a_(b)", [(U, "https://evil.example/a_(b)"), (D, "evil.example")]),
    ("glued to a word", "Visit:https://evil.example/x", [(U, "https://evil.example/x"), (D, "evil.example")]),
    ("user part is not the host", "https://bank.example@evil.example/x", [(U, "https://bank.example@evil.example/x"), (D, "evil.example")]),
    ("port", "http://evil.example:8080/x", [(U, "http://evil.example:8080/x"), (D, "evil.example")]),
    (
        "a backslash ends the host and is a '/', as in browsers",
        "https://evil.example\\@bank.example/",
        [(U, "https://evil.example/@bank.example/"), (D, "evil.example")],
    ),
    ("a fake scheme glued before the real one", "(http)https://evil.example/login", [(U, "https://evil.example/login"), (D, "evil.example")]),
    ("an empty port", "https://evil.example:/x", [(U, "https://evil.example:/x"), (D, "evil.example")]),
    ("an ideographic full stop", "evil。example/x", [(U, "http://evil.example/x"), (D, "evil.example")]),
    ("shortener: URL only", "bit.ly/3xYz", [(U, "http://bit.ly/3xYz")]),
    ("shortener with scheme", "https://tinyurl.com/abc", [(U, "https://tinyurl.com/abc")]),
    ("shortener t.co", "t.co/AbC9", [(U, "http://t.co/AbC9")]),
    ("country-code domain", "secure-anz.com.au/login", [(U, "http://secure-anz.com.au/login"), (D, "secure-anz.com.au")]),
    ("new gTLD", "parcel-fee.top/pay", [(U, "http://parcel-fee.top/pay"), (D, "parcel-fee.top")]),
    ("IP host: URL, no domain", "http://203.0.113.7/a", [(U, "http://203.0.113.7/a")]),
    ("bare IP: nothing", "203.0.113.7/a", []),
    ("e-mail", "mail support@evil.example now", [(E, "support@evil.example")]),
    ("mailto", "mailto:help@evil.example", [(E, "help@evil.example")]),
    ("e-mail domain not a domain indicator", "a.b@mail.example.", [(E, "a.b@mail.example")]),
    ("national phone number", "call 1300 123 456", [(P, "+611300123456")]),
    ("international phone number", "call +44 20 7946 0958.", [(P, "+442079460958")]),
    ("mobile number", "text 0411 111 111", [(P, "+61411111111")]),
    ("digits in a URL are no phone", "evil.example/0411111111", [(U, "http://evil.example/0411111111"), (D, "evil.example")]),
    ("each once", "evil.example evil.example/x EVIL.EXAMPLE", [(D, "evil.example"), (U, "http://evil.example/x")]),
    ("file names", "open invoice.pdf or setup.exe or notes.txt", []),
    ("abbreviations", "e.g. i.e. etc. a.m. U.S. Mr.Smith", []),
    ("numbers", "3.14 and 1.2.3.4.5 and v2.0", []),
    ("unknown TLD without a scheme", "foo.notatld/x", []),
    ("any delegated TLD", "usps-redelivery.autos/x", [(U, "http://usps-redelivery.autos/x"), (D, "usps-redelivery.autos")]),
    ("words that are no TLD", "Go to my.account or secure.login to verify.update", []),
    ("a public suffix alone", "com.au/x and co.uk", []),
    ("a word and a country code with a path", "done.it/x", [(U, "http://done.it/x"), (D, "done.it")]),
    ("a word and a country code with www", "www.done.it", [(U, "http://www.done.it"), (D, "www.done.it")]),
    ("a word and a country code with a scheme", "https://Yes.No", [(U, "https://yes.no"), (D, "yes.no")]),
    ("an e-mail under a country code", "info@done.it", [(E, "info@done.it")]),
    ("unknown TLD with a scheme", "https://foo.notatld/x", [(U, "https://foo.notatld/x"), (D, "foo.notatld")]),
    ("no scheme, odd label", "-evil.example/x", []),
    ("nothing", "YES", []),
    ("empty", "", []),
]


@pytest.mark.parametrize(("body", "expected"), [(body, expected) for _, body, expected in CASES], ids=[case[0] for case in CASES])
def test_extraction_table(body, expected):
    assert found(body) == expected


PROSE = ["Yes.No worries", "Thanks.Love you", "All done.it", "ok.so see you", "see readme.md", "run setup.py:12"]
NAMES_ALONE = {  # body -> the domain it names: what smishing writes without a scheme, path or www.
    "Verify at paypal-verify.com now": "paypal-verify.com",  # a generic top-level domain
    "PAYPAL-VERIFY.COM": "paypal-verify.com",  # capitals throughout are no sentence
    "secure-login.ru": "secure-login.ru",  # a hyphen under a country code
    "sber24.ru": "sber24.ru",  # a digit
    "login.evil.ru": "login.evil.ru",  # three labels
    "anz.com.au": "anz.com.au",  # a suffix of two labels
    "ato-refund.gov.au.tax-help.net.ng": "ato-refund.gov.au.tax-help.net.ng",
}


@pytest.mark.parametrize("body", PROSE)
def test_a_name_alone_that_reads_as_prose_is_no_domain(body):
    assert found(body) == []


@pytest.mark.parametrize(("body", "domain"), NAMES_ALONE.items())
def test_a_name_alone_that_smishing_writes_is_a_domain(body, domain):
    assert found(body) == [(D, domain)]


MAPPED_HOSTS = {  # body -> (URL or None, domain): UTS-46 mapping, then punycode in the URL and the domain alike
    "ｅｖｉｌ．com": (None, "evil.com"),  # full-width letters and full stop
    "https://ｅｖｉｌ．example/Ｘ": ("https://evil.example/Ｘ", "evil.example"),  # the path as written
    "https://пример.рф/путь": ("https://xn--e1afmkfd.xn--p1ai/путь", "xn--e1afmkfd.xn--p1ai"),
    "ПРИМЕР.РФ/x": ("http://xn--e1afmkfd.xn--p1ai/x", "xn--e1afmkfd.xn--p1ai"),  # capitals mapped
    "https://pаypal.com/login": ("https://xn--pypal-4ve.com/login", "xn--pypal-4ve.com"),  # a Cyrillic а: a homograph
    "https://straße.example": ("https://xn--strae-oqa.example", "xn--strae-oqa.example"),  # ß kept (non-transitional)
    "i❤.ws/x": ("http://xn--i-7iq.ws/x", "xn--i-7iq.ws"),  # a symbol browsers accept
    "pay\u00adpal-verify.com": (None, "paypal-verify.com"),  # a soft hyphen is ignored
    "XN--E1AFMKFD.XN--P1AI": (None, "xn--e1afmkfd.xn--p1ai"),  # punycode as written
    "привет.ru": (None, "xn--b1agh1afp.ru"),  # a word in another script before a country code is no English prose
    "https://%65vil.example/x": ("https://evil.example/x", "evil.example"),  # percent escapes decoded
    "https://Bank@ｅｖｉｌ.example:8080/x": ("https://bank@evil.example:8080/x", "evil.example"),  # user part and port kept
}
REFUSED_HOSTS = [  # what browsers refuse is no indicator
    "https://xn--a-.example/x",  # punycode of nothing foreign
    "https://xn--abc.example/x",  # punycode of control characters
    "https://ev\ufffdil.example/x",  # a code point UTS-46 disallows
    "https://%ff.example/x",  # escapes that are no UTF-8
    "https://\u0301evil.example/x",  # a leading combining mark
    "https://evil\u200d.example/x",  # a joiner where the script needs none
    "https://a\u05d0.example/x",  # the bidi rule
]


@pytest.mark.parametrize(("body", "expected"), MAPPED_HOSTS.items())
def test_hosts_are_read_as_a_browser_reads_them(body, expected):
    url, domain = expected
    assert found(body) == ([(U, url)] if url else []) + [(D, domain)]


@pytest.mark.parametrize("body", REFUSED_HOSTS)
def test_hosts_a_browser_refuses_are_no_indicators(body):
    assert found(body) == []


URLS_BROWSERS_ACCEPT = {  # body -> the URL a browser opens; its host, evil.com, is the domain
    "https:evil.com/login": "https://evil.com/login",  # no slashes
    "https:/evil.com/x": "https://evil.com/x",  # one slash
    "https:///evil.com": "https://evil.com",  # three
    "https:\\\\evil.com\\x": "https://evil.com/x",  # backslashes are slashes
    "HTTPS:\\/evil.com\\a\\b?q=\\c#\\d": "https://evil.com/a/b?q=\\c#\\d",  # in the path only, not in the query
    "hxxps:evil[.]com/x": "https://evil.com/x",  # defanged too
    "Visit:https:evil.com/x": "https://evil.com/x",  # glued to a word
    "evil.com\\x": "http://evil.com/x",  # without a scheme
}


@pytest.mark.parametrize(("body", "url"), URLS_BROWSERS_ACCEPT.items())
def test_forms_browsers_accept_are_read_as_urls(body, url):
    assert found(body) == [(U, url), (D, "evil.com")]


def test_an_e_mail_domain_is_read_as_a_browser_reads_hosts():
    assert found("help@ｅｖｉｌ．example or info@пример.рф") == [(E, "help@evil.example"), (E, "info@xn--e1afmkfd.xn--p1ai")]


def test_without_a_region_only_international_numbers_count():
    assert found("call 1300 123 456 or +44 20 7946 0958", region=None) == [(P, "+442079460958")]


def test_a_shortener_url_is_marked_shortened():
    (url,) = ci.extract("bit.ly/x")
    assert url.shortened and url.kind == U


def test_a_body_that_is_not_text_has_no_indicators():
    assert ci.extract(None) == [] and ci.extract(12345) == []


def test_at_most_indicators_max_are_reported():
    body = " ".join(f"host{n}.example" for n in range(consts.INDICATORS_MAX + 20))
    assert len(ci.extract(body)) == consts.INDICATORS_MAX


def test_only_the_first_scan_chars_are_read():
    body = "x " * consts.INDICATOR_SCAN_CHARS + "evil.example/x"
    assert ci.extract(body) == []


@pytest.mark.parametrize(
    "hostile",
    [
        "a." * 200_000,
        "a" * 400_000,
        "http://" + "a." * 200_000,
        "@" * 100_000 + "." * 100_000,
        "[.]" * 100_000,
        "hxxp" * 100_000,
        "(" * 100_000 + "evil.example" + ")" * 100_000,
        "1" * 400_000,
        "-" * 100_000 + ".example",
        "https://" + "".join(chr(0x4E00 + n) for n in range(20_000)) + ".example/",
        "https://xn--" + "a1" * 100_000 + ".example/",
        "https:" + "\\" * 400_000,
        "ｅ．" * 200_000,
    ],
    ids=[
        "dots",
        "one long token",
        "long URL",
        "ats and dots",
        "defang marks",
        "hxxp run",
        "brackets",
        "digits",
        "dashes",
        "long IDN label",
        "long punycode label",
        "backslashes",
        "full-width",
    ],
)
def test_hostile_bodies_take_little_time(hostile):
    started = time.perf_counter()
    ci.extract(hostile, "AU")
    assert time.perf_counter() - started < 10.0  # linear: well under a second; a quadratic scan would take minutes


def test_artifacts_use_soar_standard_cef_fields_with_contains_types():
    body = "evil.example/x help@evil.example 0411 111 111 bit.ly/q"
    made = ci.artifacts({"message_id": "M1"}, ci.extract(body, "AU"))
    assert [(a["name"], a["cef"], a["cef_types"]) for a in made] == [
        ("URL in SMS", *cef("requestURL", "http://evil.example/x", "url")),
        ("Domain in SMS", *cef("destinationDnsDomain", "evil.example", "domain")),
        ("E-mail address in SMS", *cef("toEmail", "help@evil.example", "email")),
        ("Shortened URL in SMS", *cef("requestURL", "http://bit.ly/q", "url")),
        ("Phone number in SMS", *cef("phone_number", "+61411111111", "phone number")),
    ]
    assert len({a["source_data_identifier"] for a in made}) == 5
    assert all(a["source_data_identifier"].startswith("M1:indicator:") and a["run_automation"] is False for a in made)
    assert made == ci.artifacts({"message_id": "M1"}, ci.extract(body, "AU"))  # the same on every run: re-runs are duplicates


def cef(field, value, contains):
    return {field: value, "message_id": "M1"}, {field: [contains], "message_id": ["clicksend message id"]}


# --- text that is no valid Unicode: one bad message never stops ingestion ------------------------------------------

HALF = "\ud83d"  # a lone surrogate: half an emoji, what the valid JSON "\ud83d" decodes to


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (f"https://evil.example/x{HALF}", [(U, "https://evil.example/x\ufffd"), (D, "evil.example")]),
        (f"evil.example/{HALF}{HALF}y", [(U, "http://evil.example/\ufffd\ufffdy"), (D, "evil.example")]),
        (f"https://evil{HALF}.example/x", []),
        (f"evil.example{HALF}", []),
        (f"help{HALF}@evil.example", []),
        (f"help@evil.example{HALF}", []),
        (f"help@evil{HALF}.example", []),
        (f"call +44 20 7946 0958{HALF} now", [(P, "+442079460958")]),
        (f"call +44 20 {HALF}7946 0958", []),
        (f"{HALF}\ude00 pay at https://evil.example/\ud83d\ude00", [(U, "https://evil.example/\U0001f600"), (D, "evil.example")]),
        (HALF * 3000, []),
    ],
    ids=["in a URL path", "in a bare URL", "in a host", "after a domain", "in an e-mail", "after an e-mail", "in an e-mail domain",
         "after a phone number", "inside a phone number", "a pair is the emoji it encodes", "nothing but halves"],
)  # fmt: skip
def test_lone_surrogates_never_raise_and_read_as_a_browser_reads_them(body, expected):
    assert found(body) == expected
    made = ci.artifacts({"message_id": "M1"}, ci.extract(body, "AU"))
    json.dumps(made, ensure_ascii=False).encode("utf-8")  # what a platform stores is valid UTF-8


def test_artifacts_of_indicators_and_message_fields_with_lone_surrogates_are_built():
    indicators = [ci.Indicator(U, f"https://evil.example/{HALF}"), ci.Indicator(D, f"evil{HALF}.example"), ci.Indicator(E, f"a{HALF}@b.example")]
    made = ci.artifacts({"message_id": f"M{HALF}1 "}, indicators)
    assert [a["cef"]["message_id"] for a in made] == ["M\ufffd1"] * 3
    assert [next(iter(a["cef"].values())) for a in made] == ["https://evil.example/\ufffd", "evil\ufffd.example", "a\ufffd@b.example"]
    assert all(a["source_data_identifier"].startswith("M\ufffd1:indicator:") for a in made)
    json.dumps(made, ensure_ascii=False).encode("utf-8")
    assert made == ci.artifacts({"message_id": f"M{HALF}1"}, indicators)  # the same on every run


FRAGMENTS = st.sampled_from(
    ["https:", "http://", "hxxps[:]//", "//", "\\", "/", "www.", "evil", "EVIL", ".", "[.]", "．", "。", "example", "com", "it",
     "xn--", "p1ai", "пример", "ｅｖｉｌ", "@", ":", "8080", "?q=", "#", "(", ")", "\"", " ", "\n", "+44 20 7946 0958", "0411 111 111",
     HALF, "\ude00", "\ufffd", "\u200d", "\u0301", "\u00ad", "ß", "١", "א", "\x00", "😀"]
)  # fmt: skip


@pytest.mark.parametrize(
    ("body", "url"),
    [("https:www.http://\u200d", "https://www.http://%E2%80%8D"), ("see https://evil.example/pa\u00adth x", "https://evil.example/pa%C2%ADth")],
)
def test_an_invisible_character_in_a_url_is_percent_encoded_as_a_browser_sends_it(body, url):
    assert [i.value for i in ci.extract(body) if i.kind == ci.URL] == [url]


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=30).map("".join), st.sampled_from([None, "AU", "US"]))
def test_extraction_and_artifacts_never_raise_on_any_text(body, region):
    indicators = ci.extract(body, region)
    made = ci.artifacts({"message_id": body}, indicators)
    json.dumps(made, ensure_ascii=False).encode("utf-8")
    assert all(i.value == ci.scalar(i.value) and i.value.isprintable() for i in indicators)


# --- through the actions ---------------------------------------------------------------------------------------------


def page(*items):
    return envelope({"total": len(items), "per_page": 100, "current_page": 1, "last_page": 1, "data": list(items)})


RULES = page({"inbound_rule_id": 1, "action": "POLL", "enabled": 1})
NO_RULES = page()
SMISHING = "Parcel held: pay at hxxps://evil[.]example/pay or call 1300 123 456"


def inbox(requests_mock, body=SMISHING):
    message = {"message_id": "AAAAAAAA-0000-4000-8000-000000000001", "from": "+61455555555", "to": "+61431111112", "body": body, "timestamp": 1}
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=RULES)
    requests_mock.get(f"{BASE_URL}/automations/sms/receipts", json=NO_RULES)
    requests_mock.get(f"{BASE_URL}/sms/inbound", json=page(message))
    requests_mock.put(f"{BASE_URL}/sms/inbound-read/{message['message_id']}", json=envelope(1))
    return message


def test_on_poll_saves_one_artifact_per_indicator_before_the_sms_artifact(run, requests_mock, platform):
    inbox(requests_mock)
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    (container,) = platform.containers.values()
    artifacts = platform.container_artifacts(container["id"])
    assert [a["name"] for a in artifacts] == ["URL in SMS", "Domain in SMS", "Phone number in SMS", "SMS from +61455555555"]
    assert [a["cef"].get("requestURL") or a["cef"].get("destinationDnsDomain") or a["cef"].get("phone_number") for a in artifacts[:3]] == [
        "https://evil.example/pay",
        "evil.example",
        "+611300123456",
    ]
    assert [a["run_automation"] for a in artifacts] == [False, False, False, True]  # automation runs once, with everything there


def test_the_asset_option_turns_extraction_off(run, requests_mock, platform):
    inbox(requests_mock)
    run("on_poll", {"container_count": 5}, config=dict(run.config, extract_indicators=False), poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    assert [a["name"] for a in platform.artifacts.values()] == ["SMS from +61455555555"]


def test_a_bad_asset_option_is_named(run, requests_mock, platform):
    inbox(requests_mock)
    out = run("list_inbound_messages", {}, config=dict(run.config, extract_indicators="maybe"))
    assert out["status"] == "failed"
    assert "Asset field 'extract_indicators': must be true or false" in out["message"]
    assert requests_mock.call_count == 0  # refused in initialize, before any request


def test_list_inbound_messages_reports_the_indicators_of_each_body(run, requests_mock):
    message = inbox(requests_mock)
    run("list_inbound_messages", {})
    assert run.result["status"] == "success", run.result["message"]
    (item,) = run.result["data"]
    assert item == dict(
        message,
        received_time="1970-01-01T00:00:01Z",
        urls=["https://evil.example/pay"],
        domains=["evil.example"],
        emails=[],
        phone_numbers=["+611300123456"],
    )


def test_list_inbound_messages_without_extraction_returns_clicksends_fields_only(run, requests_mock):
    message = inbox(requests_mock)
    run("list_inbound_messages", {}, config=dict(run.config, extract_indicators="false"))
    assert run.result["data"] == [dict(message, received_time="1970-01-01T00:00:01Z")]


# --- the public suffix list ----------------------------------------------------------------------------------------


def test_the_suffix_list_is_the_wheels_copy_and_is_never_fetched(monkeypatch):
    import socket

    import publicsuffixlist

    def no_network(*args, **kwargs):
        raise AssertionError("the public suffix list must not be fetched")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    ci._suffix_list.cache_clear()
    try:
        assert found("paypal-verify.com and secure-login.ru/x") == [
            (D, "paypal-verify.com"),
            (U, "http://secure-login.ru/x"),
            (D, "secure-login.ru"),
        ]
    finally:
        ci._suffix_list.cache_clear()
    assert pathlib.Path(publicsuffixlist.PSLFILE).parent == pathlib.Path(publicsuffixlist.__file__).parent


def loaded_after(code):
    """Whether a fresh interpreter has loaded publicsuffixlist after running `code` in the app's folder."""
    probe = f"import sys\n{code}\nprint('publicsuffixlist' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=str(ROOT), capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout.split()[-1] == "True"


def test_the_suffix_list_is_loaded_only_when_a_name_without_a_scheme_needs_it():
    assert not loaded_after("import clicksend_connector")
    assert not loaded_after("import clicksend_indicators as ci\nci.extract('https://evil.example/x help@evil.example +44 20 7946 0958')")
    assert loaded_after("import clicksend_indicators as ci\nassert ci.extract('paypal-verify.com')")


# --- Splunk's linter ---------------------------------------------------------------------------------------------


def test_no_module_global_is_updated_at_run_time():
    """soar-app-linter's E0006: lazy state lives in cached functions, never behind a `global` statement."""
    tree = ast.parse(pathlib.Path(ci.__file__).read_text(encoding="utf-8"))
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, (ast.Global, ast.Nonlocal))] == []


def test_on_poll_saves_the_indicators_of_a_body_with_half_an_emoji(run, requests_mock, platform):
    inbox(requests_mock, body=f"Parcel held {HALF}: pay at https://evil.example/pay{HALF} or help@evil.example")
    run("on_poll", {"container_count": 5}, poll_now=True)
    assert run.result["status"] == "success", run.result["message"]
    (container,) = platform.containers.values()
    artifacts = platform.container_artifacts(container["id"])
    assert [a["cef"].get("requestURL") or a["cef"].get("destinationDnsDomain") or a["cef"].get("toEmail") for a in artifacts[:3]] == [
        "https://evil.example/pay\ufffd",
        "evil.example",
        "help@evil.example",
    ]

"""Parameter and asset checks behave the same on every Python SOAR runs (3.9's datetime is narrower than 3.11's)."""

import re

import pytest

import clicksend_params as checks


@pytest.mark.parametrize(
    ("text", "unix"),
    [
        ("2099-12-01T09:30:00+10:00", 4099764600),
        ("2099-12-01T09:30:00+1000", 4099764600),
        ("2099-12-01T09:30:00.5Z", 4099800600),
        ("20991201T093000Z", 4099800600),
        ("2099-12-01 09:30Z", 4099800600),
        ("2099-12-01T09:30:00-05", 4099818600),
        ("4099800600", 4099800600),
    ],
)
def test_schedule_forms(text, unix):
    assert checks.schedule(text, now=4_099_000_000) == unix


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("2099-02-30T00:00:00Z", "is not a real date and time"),
        ("2099-12-01T09:30:00", "has no time zone"),
        ("next tuesday", "is neither Unix seconds nor an ISO-8601 time"),
        ("4099800600000", "looks like milliseconds"),
        ("2001-01-01T00:00:00Z", "is in the past"),
        # a basic-format date is that date (refused for lack of a time), never Unix seconds of 1970
        ("20991201", "'20991201' is the date 2099-12-01 without a time; give a time with a zone, e.g. 2099-12-01T09:30:00Z"),
        ("20991301", "'20991301' is not a real date"),
    ],
)
def test_schedule_refusals_name_the_parameter(text, needle):
    with pytest.raises(checks.ParameterError) as err:
        checks.schedule(text, now=4_099_000_000)
    assert str(err.value).startswith("Parameter 'schedule': ") and needle in str(err.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("(202) 555-0125", "+12025550125"), ("+61 431 111 112", "+61431111112"), ("SOCTeam", "SOCTeam"), ("ABC", "ABC")],
)
def test_sender_is_a_number_in_any_notation_or_an_alpha_tag(raw, expected):
    assert checks.sender(raw, "US") == expected


@pytest.mark.parametrize("raw", ["SOC Team", "AB", "TwelveLetter", "SOC-Team"])
def test_bad_alpha_tags_are_refused(raw):
    with pytest.raises(checks.ParameterError, match="Parameter 'from': "):
        checks.sender(raw, "US")


def test_max_messages_per_poll_zero_is_refused_not_replaced():
    config = {"username": "u", "key": "k", "max_messages_per_poll": 0}
    with pytest.raises(checks.ParameterError, match="Asset field 'max_messages_per_poll': must be at least 1"):
        checks.settings_from_config(config)
    assert checks.settings_from_config({"username": "u", "key": "k"}).max_messages_per_poll == 100


# --- corrections against the real ClickSend (short codes, part limit) and hostile input -----------------------


@pytest.mark.parametrize("raw", ["123", "12345", "12345678"])
def test_numeric_senders_of_3_to_8_digits_are_short_codes_sent_unchanged(raw):
    assert checks.sender(raw, "US") == raw


@pytest.mark.parametrize("raw", ["12", "+12345"])
def test_too_short_numeric_senders_are_refused(raw):
    with pytest.raises(checks.ParameterError, match="Parameter 'from': "):
        checks.sender(raw, "US")


def test_a_short_code_default_from_does_not_break_the_asset():
    assert checks.settings_from_config({"username": "u", "key": "k", "default_from": "12345"}).default_from == "12345"


def test_a_national_default_from_waits_for_the_country_instead_of_assuming_us():
    settings = checks.settings_from_config({"username": "u", "key": "k", "default_from": "0431 111 112"})
    assert settings.default_from == "0431 111 112" and settings.default_country is None


def test_no_default_country_means_the_accounts_and_is_asked_for_only_when_needed():
    asked = []

    def country():
        asked.append(1)
        return "AU"

    assert checks.phone_number("+61411111111", country, "to") == "+61411111111"
    assert asked == []
    assert checks.phone_number("0411 111 111", country, "to") == "+61411111111"
    assert asked == [1]


@pytest.mark.parametrize(("limit", "longest_gsm", "longest_unicode"), [(6, 918, 402), (8, 1224, 536), (2, 306, 134), (1, 160, 70)])
def test_the_sms_part_limit_sets_the_longest_text(limit, longest_gsm, longest_unicode):
    assert checks.sms_text("a" * longest_gsm, limit)
    assert checks.sms_text("é" * 0 + "ж" * longest_unicode, limit)
    with pytest.raises(checks.ParameterError, match=f"ClickSend cuts an SMS \\({limit} parts?"):
        checks.sms_text("a" * (longest_gsm + 1), limit)
    with pytest.raises(checks.ParameterError, match="Unicode"):
        checks.sms_text("ж" * (longest_unicode + 1), limit)


def test_the_default_limit_is_6_parts_and_a_line_break_counts_2():
    assert checks.sms_text("a" * 918)
    with pytest.raises(checks.ParameterError, match="is 919 GSM-7 characters"):
        checks.sms_text("a" * 917 + "\n")


@pytest.mark.parametrize(("config", "needle"), [({"sms_part_limit": 9}, "at most 8"), ({"sms_part_limit": 0}, "at least 1")])
def test_sms_part_limit_range(config, needle):
    with pytest.raises(checks.ParameterError, match=f"Asset field 'sms_part_limit': must be {needle}"):
        checks.settings_from_config(dict(config, username="u", key="k"))


def test_an_extension_is_refused_not_dropped():
    with pytest.raises(checks.ParameterError, match="has an extension \\(4411\\); a message cannot reach an extension"):
        checks.phone_number("+1 (202) 555-0125 ext. 4411", "US", "to")


def test_invalid_numbers_fail_naming_every_one_or_are_skipped_and_named():
    raw = "+61411111111,+6141111,+61422222222,nonsense"
    with pytest.raises(checks.ParameterError) as err:
        checks.recipients(raw, "AU")
    assert "2 numbers cannot be used" in str(err.value) and "'+6141111'" in str(err.value) and "'nonsense'" in str(err.value)
    found = checks.recipients(raw, "AU", skip_invalid=True)
    assert found.numbers == ["+61411111111", "+61422222222"]
    assert [given for given, _ in found.skipped] == ["+6141111", "nonsense"]


def test_schedule_now_and_zero():
    now = 4_000_000_000.7
    assert checks.schedule("0", now=now) is None  # ClickSend: 0 means send now
    assert checks.schedule("4000000000", now=now) == 4_000_000_000  # the current second is not "in the past"
    with pytest.raises(checks.ParameterError, match="is in the past"):
        checks.schedule("3999999999", now=now)


@pytest.mark.parametrize(
    ("raw", "needle"),
    [("9" * 400, "is neither Unix seconds nor an ISO-8601 time"), ("9999-12-31T00:00:00Z", "more than 366 days ahead"), ("9" * 20, "too large")],
)
def test_hostile_schedules_get_a_precise_message(raw, needle):
    with pytest.raises(checks.ParameterError, match=needle):
        checks.schedule(raw)


@pytest.mark.parametrize(("text", "needle"), [("hi \ud800 there", "lone UTF-16 surrogate) at position 4"), ("a\x00b", "U+0000) at position 2")])
def test_text_that_cannot_be_sent_is_refused_before_any_request(text, needle):
    params = checks.Params({"message": text}, {"message": {}})
    with pytest.raises(checks.ParameterError, match=f"Parameter 'message': holds .*{re.escape(needle)}"):
        params.string("message")


def test_tabs_and_line_breaks_are_fine():
    assert checks.Params({"message": "a\tb\r\nc"}, {"message": {}}).string("message", strip=False) == "a\tb\r\nc"


def test_a_bad_extract_indicators_fails_every_action_before_any_request():
    with pytest.raises(checks.ParameterError, match="Asset field 'extract_indicators': must be true or false"):
        checks.settings_from_config({"username": "u", "key": "k", "extract_indicators": "sometimes"})


@pytest.mark.parametrize("raw", ["a@" + "b." * 20000 + " ", "x" * 300 + "@example.com"])
def test_e_mail_checks_are_linear_and_bounded(raw):
    import time

    started = time.process_time()
    with pytest.raises(checks.ParameterError, match="is not an e-mail address"):
        checks.email(raw)
    assert time.process_time() - started < 0.05


def test_url_checks_are_linear_and_bounded():
    import time

    started = time.process_time()
    with pytest.raises(checks.ParameterError, match=r"^Parameter 'media_url': is 20009 characters long; a URL may have at most 2048$"):
        checks.http_url("http://" + "a" * 20000 + " b", "media_url")
    assert time.process_time() - started < 0.05


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "https:///a.jpg", "https://exa mple.com/a.jpg", "example.com/a.jpg"])
def test_a_short_url_that_is_not_http_is_refused_without_talk_of_length(url):
    with pytest.raises(checks.ParameterError) as refused:
        checks.http_url(url, "media_url")
    assert str(refused.value).endswith("is not an http(s) URL") and "characters" not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "end_of_day", "unix"),
    [
        ("20261201", False, 1796083200),
        ("20261201", True, 1796083200 + 86399),
        ("2026-12-01", False, 1796083200),
        ("1796083200", False, 1796083200),
    ],
)
def test_a_date_parameter_reads_a_basic_format_date_as_that_date(text, end_of_day, unix):
    assert checks.moment(text, "date_from", end_of_day=end_of_day) == unix


def test_a_basic_format_date_that_does_not_exist_is_refused_not_read_as_seconds():
    with pytest.raises(checks.ParameterError, match=r"^Parameter 'date_to': '20260230' is not a real date$"):
        checks.moment("20260230", "date_to")

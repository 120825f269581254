"""Parameter and asset checks behave the same on every Python SOAR runs (3.9's datetime is narrower than 3.11's)."""

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
    assert checks.schedule(text) == unix


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("2099-02-30T00:00:00Z", "is not a real date and time"),
        ("2099-12-01T09:30:00", "has no time zone"),
        ("next tuesday", "is neither Unix seconds nor an ISO-8601 time"),
        ("4099800600000", "looks like milliseconds"),
        ("2001-01-01T00:00:00Z", "is in the past"),
    ],
)
def test_schedule_refusals_name_the_parameter(text, needle):
    with pytest.raises(checks.ParameterError) as err:
        checks.schedule(text)
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

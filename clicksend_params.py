# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Reading and checking action parameters and asset settings, before any request is sent. No SOAR imports.

Every problem raises ParameterError(name, reason), whose text names the parameter and what is wrong.
"""

from __future__ import annotations

import math
import re
import time
from datetime import datetime, timezone
from typing import Any, Callable, NamedTuple, Optional, Union

import clicksend_consts as consts
import clicksend_phone
import clicksend_urls
from clicksend_text import listed, longest_sms, plural, sms_length


# Patterns are kept as their source and compiled on first use (re caches them): compiling all of them when the module
# loads cost every cold action about 2 ms, though most actions use one or two.

# a character class, so the search is one linear pass: control characters but tab and line breaks, and lone surrogates
BAD_CHARACTER_RE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]"
ALPHA_TAG_RE = rf"^[A-Za-z0-9+]{{{consts.ALPHA_TAG_MIN},{consts.ALPHA_TAG_MAX}}}$"
TRUE_WORDS = ("true", "yes", "1", "on")
FALSE_WORDS = ("false", "no", "0", "off")


class ParameterError(Exception):
    """A parameter (or asset field) the app cannot use."""

    def __init__(self, name: str, reason: str, kind: str = "Parameter"):
        super().__init__(f"{kind} '{name}': {reason}")
        self.name = name


class ActionFailed(Exception):
    """The action cannot succeed; the text says why in one sentence. `summary`: keys the failed result's summary takes,
    for a playbook to branch on (a guard rail's refused_by)."""

    summary: dict = {}  # noqa: RUF012 (never changed: a failure with a summary gives its own)


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")


class Params:
    """Typed access to one action's parameters. Records every name read; refuses names the manifest does not declare."""

    def __init__(self, raw: dict, declared: dict):
        self.raw = raw or {}
        self.declared = declared
        self.read: set = set()

    def value(self, name: str) -> Any:
        """The raw value, or None when absent or an empty string (an empty optional parameter counts as not given)."""
        if name not in self.declared:
            raise AssertionError(f"handler reads undeclared parameter {name!r}")
        self.read.add(name)
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    def string(self, name: str, required: bool = False, max_length: Optional[int] = None, strip: bool = True) -> Optional[str]:
        value = self.value(name)
        if value is None:
            if required:
                raise ParameterError(name, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ParameterError(name, f"must be text, not {type(value).__name__}")
        text = str(value).strip() if strip else str(value)
        bad = _bad_character(text)
        if bad:
            raise ParameterError(name, bad)
        if max_length is not None and len(text) > max_length:
            raise ParameterError(name, f"is {len(text)} characters long; the most allowed is {max_length}")
        return text

    def integer(
        self, name: str, required: bool = False, minimum: Optional[int] = None, maximum: Optional[int] = None, default: Optional[int] = None
    ) -> Optional[int]:
        value = self.value(name)
        if value is None:
            if required:
                raise ParameterError(name, "is required")
            return default
        return to_int(value, name, minimum, maximum)

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.value(name)
        if value is None:
            return default
        return to_bool(value, name)


def _bad_character(text: str) -> str:
    """Why the text cannot go to ClickSend as JSON text ("" when it can): a NUL or other control character, or a lone
    UTF-16 surrogate (which has no UTF-8 form). Tabs and line breaks are fine."""
    found = re.search(BAD_CHARACTER_RE, text)
    if found is None:
        return ""
    code, position = ord(found.group()), found.start() + 1
    if 0xD800 <= code <= 0xDFFF:
        return f"holds an invalid character (a lone UTF-16 surrogate) at position {position}"
    return f"holds a control character (U+{code:04X}) at position {position}"


def to_int(value: Any, name: str, minimum: Optional[int] = None, maximum: Optional[int] = None, kind: str = "Parameter") -> int:
    """An integer from an int, an integral float (10.0) or a string of digits; never from a bool."""
    number: Optional[int] = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,18}(\.0*)?\s*", value):
        number = int(float(value)) if "." in value else int(value)
    if number is None:
        raise ParameterError(name, f"must be a whole number, not {_short(value)}", kind)
    if minimum is not None and number < minimum:
        raise ParameterError(name, f"must be at least {minimum}, not {number}", kind)
    if maximum is not None and number > maximum:
        raise ParameterError(name, f"must be at most {maximum}, not {number}", kind)
    return number


def to_bool(value: Any, name: str, kind: str = "Parameter") -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise ParameterError(name, f"must be true or false, not {_short(value)}", kind)


# --- phone numbers, senders, text, times ----------------------------------------------------------------------


Country = Union[str, Callable[[], str]]  # an ISO code, or a function giving it (the account's, read only when needed)


def phone_number(raw: str, country: Country, name: str, kind: str = "Parameter") -> str:
    """One number in E.164 form; a number without '+' is read as a number of the default country.

    `country` may be a function: it is called only for a number written without '+', so an asset without
    default_country reads the account's country only when a national number needs it."""
    phonenumbers = clicksend_phone.util()

    text = str(raw).strip()
    region = None
    if not text.startswith("+"):
        region = country() if callable(country) else country
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        where = f" (numbers without '+' are read as {region} numbers)" if region else ""
        raise ParameterError(name, f"{_short(text)} is not a valid phone number{where}", kind)
    if parsed.extension:
        reason = f"has an extension ({parsed.extension}); a message cannot reach an extension, so give the line's own number"
        raise ParameterError(name, f"{_short(text)} {reason}", kind)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class Recipients(NamedTuple):
    numbers: list  # unique E.164 numbers, in the order given
    skipped: list  # (number as given, reason) of each invalid number skipped under invalid_numbers=skip
    cut: bool = False  # reading stopped once there were more than `most` numbers: more may follow


def recipients(
    raw: Optional[str], country: Country, name: str = "to", skip_invalid: bool = False, most: Optional[int] = None
) -> Recipients:
    """Comma-separated numbers -> unique E.164 numbers, in the order given. An invalid number fails the action
    (naming every invalid one), or with skip_invalid is left out and reported. With `most` (a recipient cap), reading
    stops at the first number beyond it (cut): a `to` of a million numbers is refused without reading them all."""
    if raw is None:
        return Recipients([], [])
    numbers: dict = {}  # an ordered set: a list would make de-duplication quadratic for bulk sends
    invalid: list = []
    for piece in str(raw).split(","):
        if not piece.strip():
            continue
        if most is not None and len(numbers) > most:
            return Recipients(list(numbers), invalid, cut=True)
        try:
            numbers.setdefault(phone_number(piece, country, name), None)
        except ParameterError as err:
            invalid.append((piece.strip(), str(err).split(": ", 1)[1]))
    if invalid and not skip_invalid:
        if len(invalid) == 1 and not numbers:
            raise ParameterError(name, invalid[0][1])
        shown = listed([reason for _, reason in invalid], sep="; ")
        what = shown if len(invalid) == 1 else f"{plural(len(invalid), 'number')} cannot be used: {shown}"
        hint = " (set invalid_numbers to skip to send to the valid numbers only)" if numbers else ""
        raise ParameterError(name, f"{what}; nothing was sent{hint}")
    return Recipients(list(numbers), invalid)


SHORT_CODE_RE = rf"^\d{{{consts.SHORT_CODE_MIN},{consts.SHORT_CODE_MAX}}}$"


def sender(raw: Optional[str], country: Country, name: str = "from", kind: str = "Parameter") -> Optional[str]:
    """A dedicated short code (3-8 digits, sent unchanged), a phone number (normalised to E.164) or an alpha tag."""
    if raw is None:
        return None
    text = str(raw).strip()
    if re.match(SHORT_CODE_RE, text):
        return text
    if not re.search(r"[A-Za-z]", text):  # no letters: a number, in whatever notation ("(202) 555-0125")
        return phone_number(text, country, name, kind)
    if not re.match(ALPHA_TAG_RE, text):
        raise ParameterError(
            name,
            f"{_short(text)} is neither a phone number, a short code of {consts.SHORT_CODE_MIN}-{consts.SHORT_CODE_MAX} digits, "
            f"nor an alpha tag ({consts.ALPHA_TAG_MIN}-{consts.ALPHA_TAG_MAX} letters and digits, at least one letter, no spaces)",
            kind,
        )
    return text


def needs_country(raw: str) -> bool:
    """True for a number written without '+' (not a short code, not an alpha tag): only the default country can read it."""
    text = str(raw).strip()
    return not text.startswith("+") and not re.match(SHORT_CODE_RE, text) and not re.search(r"[A-Za-z]", text)


def is_alpha_tag(sender_id: Optional[str]) -> bool:
    """True for an alphanumeric sender ID: recipients cannot reply to it."""
    return bool(sender_id) and bool(re.search(r"[A-Za-z]", str(sender_id)))


def text_within(text: str, gsm_limit: int, unicode_limit: int, what: str, name: str = "message") -> str:
    """Refuse a text longer than ClickSend's limit for this kind of message (ClickSend would cut it)."""
    size = sms_length(text)
    limit = gsm_limit if size.encoding == "GSM-7" else unicode_limit
    if size.length > limit:
        raise ParameterError(
            name,
            f"is {size.length} {size.encoding} characters; ClickSend cuts {what} beyond {limit} {size.encoding} characters, so it was not sent",
        )
    return text


def sms_text(text: str, max_parts: int = consts.SMS_DEFAULT_PARTS, name: str = "message") -> str:
    """Refuse an SMS longer than the account's part limit (ClickSend would cut it silently)."""
    return text_within(
        text, longest_sms(max_parts, "GSM-7"), longest_sms(max_parts, "Unicode"), f"an SMS ({plural(max_parts, 'part')} for this asset)", name
    )


def schedule(raw: Optional[str], name: str = "schedule", now: Optional[float] = None) -> Optional[int]:
    """A Unix time (seconds) or an ISO-8601 time with a zone; None for "send now" (absent, or 0 as ClickSend documents).
    The past (before the current second) and more than a year ahead are refused."""
    if raw is None:
        return None
    text = str(raw).strip()
    now = time.time() if now is None else now
    if re.fullmatch(BASIC_DATE, text):  # 8 digits are a date (20261201), never Unix seconds of 1970
        day = _date(re.fullmatch(BASIC_DATE, text), text, name)
        example = f"{day:%Y-%m-%d}T09:30:00Z"
        raise ParameterError(name, f"{_short(text)} is the date {day:%Y-%m-%d} without a time; give a time with a zone, e.g. {example}")
    if re.fullmatch(r"\d{1,30}(\.0*)?", text):
        when = _unix_seconds(text, name)
        if when == 0:
            return None  # ClickSend: 0 means send now
    else:
        when = _iso_8601(text, name)
    if when < int(now):
        raise ParameterError(name, f"{_short(text)} is in the past")
    if when > now + consts.SCHEDULE_MAX_AHEAD:
        raise ParameterError(name, f"{_short(text)} is more than {consts.SCHEDULE_MAX_AHEAD // 86400} days ahead; give a time within a year")
    return when


def _unix_seconds(text: str, name: str) -> int:
    when = int(text.split(".")[0])
    if when > 10_000_000_000:
        what = "looks like milliseconds" if when < 10**14 else "is too large for a Unix time"
        raise ParameterError(name, f"{_short(text)} {what}; give Unix seconds or an ISO-8601 time with a zone")
    return when


DATE_ONLY = r"(\d{4})-(\d{2})-(\d{2})"
BASIC_DATE = r"(\d{4})(\d{2})(\d{2})"  # ISO-8601's basic format: 20261201


def moment(raw: Optional[str], name: str, end_of_day: bool = False) -> Optional[int]:
    """A point in time for a history filter, past or future: Unix seconds, an ISO-8601 time with a zone, or a date
    alone (2026-12-01 or 20261201), read in UTC as its first second (with end_of_day, its last). Eight digits are
    always a date: as Unix seconds they would be a moment of 1970."""
    if raw is None:
        return None
    text = str(raw).strip()
    day = re.fullmatch(DATE_ONLY, text) or re.fullmatch(BASIC_DATE, text)
    if day is not None:
        return int(_date(day, text, name).timestamp()) + (86399 if end_of_day else 0)
    if re.fullmatch(r"\d{1,30}(\.0*)?", text):
        return _unix_seconds(text, name)
    return _iso_8601(text, name)


def _date(day: Any, text: str, name: str) -> datetime:
    """The first moment (UTC) of the date a DATE_ONLY or BASIC_DATE match names; a date that does not exist is refused."""
    try:
        return datetime(int(day.group(1)), int(day.group(2)), int(day.group(3)), tzinfo=timezone.utc)
    except ValueError:
        raise ParameterError(name, f"{_short(text)} is not a real date") from None


ISO_8601 = (
    r"(?P<date>\d{4}-?\d{2}-?\d{2})[T ](?P<h>\d{2}):?(?P<m>\d{2})(?::?(?P<s>\d{2})(?P<frac>[.,]\d+)?)?"
    r"\s*(?P<zone>[zZ]|[+-]\d{2}(?::?\d{2})?)?"
)


def _iso_8601(text: str, name: str) -> int:
    """Unix seconds of an ISO-8601 time with a zone, parsed the same way on every Python (3.9's fromisoformat is narrower)."""
    match = re.fullmatch(ISO_8601, text)
    if not match:
        raise ParameterError(name, f"{_short(text)} is neither Unix seconds nor an ISO-8601 time such as 2026-12-01T09:30:00+10:00")
    if not match.group("zone"):
        raise ParameterError(name, f"{_short(text)} has no time zone; add one, e.g. 'Z' or '+10:00'")
    zone = match.group("zone").upper()
    offset = "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[3:].lstrip(':') or '00'}"
    date = match.group("date").replace("-", "")
    stamp = f"{date[:4]}-{date[4:6]}-{date[6:]}T{match.group('h')}:{match.group('m')}:{match.group('s') or '00'}{offset}"
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        raise ParameterError(name, f"{_short(text)} is not a real date and time") from None
    return int(when.timestamp())


def region_of(number: str) -> str:
    """The ISO country of an E.164 number as libphonenumber assigns it (+1 415: US, +1 416: CA); "" when none."""
    phonenumbers = clicksend_phone.util()
    return phonenumbers.region_code_for_number(phonenumbers.parse(number)) or ""


def digits(value: Any) -> str:
    """The digits of a phone number as written: how two forms of one number are compared."""
    return "".join(char for char in str(value or "") if char.isdigit())


def email(raw: Optional[str], name: str = "email") -> Optional[str]:
    """local@domain.tld: one '@', no spaces, a dot inside the domain (plain string checks: no pattern to backtrack)."""
    if raw is None:
        return None
    text = str(raw).strip()
    local, at, domain = text.rpartition("@")
    plausible = (
        len(text) <= consts.EMAIL_MAX
        and at
        and local
        and "@" not in local
        and not any(char.isspace() for char in text)
        and "." in domain.strip(".")
    )
    if not plausible:
        raise ParameterError(name, f"{_short(text)} is not an e-mail address")
    return text


def http_url(raw: Optional[str], name: str) -> Optional[str]:
    if raw is None:
        return None
    text = str(raw).strip()
    scheme, sep, rest = text.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split(":", 1)[0]
    if len(text) > consts.URL_MAX:
        raise ParameterError(name, f"is {len(text)} characters long; a URL may have at most {consts.URL_MAX}")
    if not sep or scheme.lower() not in ("http", "https") or not host or any(char.isspace() for char in text):
        raise ParameterError(name, f"{_short(text)} is not an http(s) URL")
    return text


# --- asset settings -------------------------------------------------------------------------------------------


class Settings(NamedTuple):
    base_url: str
    username: str
    api_key: str
    test_to: Optional[str]
    default_from: Optional[str]  # as configured; checked here only where no country is needed (see sender_of)
    default_country: Optional[str]  # None: the account's default_country_sms, as ClickSend itself uses
    verify: bool
    timeout: float
    max_messages_per_poll: int
    sms_part_limit: int
    # guard rails (clicksend_guards): normalised E.164 prefixes and ISO codes, () for any destination; a spend cap in
    # the account's currency (None: none, and no price request); the most recipients one send may reach
    allowed_destinations: tuple = ()
    max_cost_per_action: Optional[float] = None
    max_recipients_per_action: int = consts.DEFAULT_MAX_RECIPIENTS_PER_ACTION
    extract_indicators: bool = True  # on poll and list inbound messages extract indicators from SMS bodies
    reply_triggers_playbooks: bool = False  # a reply threaded into an existing container runs its playbooks again


def settings_from_config(config: dict) -> Settings:
    """Check the asset configuration; raise ParameterError naming the field."""

    def field(name: str) -> Any:
        value = config.get(name)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    try:
        base_url = clicksend_urls.normalise_base_url(field("base_url"))
    except ValueError as err:
        raise ParameterError("base_url", str(err), "Asset field") from None
    username = field("username")
    api_key = field("key")
    if username is None:
        raise ParameterError("username", "is required", "Asset field")
    if api_key is None:
        raise ParameterError("key", "is required", "Asset field")
    country = field("default_country")
    if country is not None:
        country = country_code(country, "default_country", "Asset field")
    default_from = str(field("default_from")).strip() if field("default_from") is not None else None
    if default_from is not None and not needs_country(default_from):
        sender(default_from, "", "default_from", "Asset field")  # a national number waits until the country is known
    timeout_raw = field("timeout")
    timeout = consts.DEFAULT_TIMEOUT if timeout_raw is None else _positive_number(timeout_raw, "timeout")
    verify_raw = field("verify_server_cert")
    indicators_raw = field("extract_indicators")
    rerun_raw = field("reply_triggers_playbooks")
    return Settings(
        base_url=base_url,
        username=str(username).strip(),
        api_key=str(api_key).strip(),  # a key pasted with a line break or space around it: ClickSend's keys have none
        test_to=str(field("to")).strip() if field("to") is not None else None,
        default_from=default_from,
        default_country=country,
        verify=True if verify_raw is None else to_bool(verify_raw, "verify_server_cert", "Asset field"),
        timeout=timeout,
        max_messages_per_poll=to_int(
            _or_default(field("max_messages_per_poll"), consts.DEFAULT_MAX_MESSAGES_PER_POLL), "max_messages_per_poll", 1, 10_000, "Asset field"
        ),
        sms_part_limit=to_int(
            _or_default(field("sms_part_limit"), consts.SMS_DEFAULT_PARTS), "sms_part_limit", 1, consts.SMS_MAX_PARTS, "Asset field"
        ),
        allowed_destinations=destinations(field("allowed_destinations")),
        max_cost_per_action=None if field("max_cost_per_action") is None else _amount(field("max_cost_per_action"), "max_cost_per_action"),
        max_recipients_per_action=to_int(
            _or_default(field("max_recipients_per_action"), consts.DEFAULT_MAX_RECIPIENTS_PER_ACTION),
            "max_recipients_per_action",
            1,
            consts.MAX_RECIPIENTS_PER_ACTION,
            "Asset field",
        ),
        extract_indicators=True if indicators_raw is None else to_bool(indicators_raw, "extract_indicators", "Asset field"),
        reply_triggers_playbooks=False if rerun_raw is None else to_bool(rerun_raw, "reply_triggers_playbooks", "Asset field"),
    )


def country_code(raw: Any, name: str = "country", kind: str = "Parameter") -> str:
    """An ISO 3166 alpha-2 code (any case in, upper case out) that phone numbers can be read with."""
    code = str(raw).strip().upper()
    if len(code) != 2 or code not in consts.PHONE_REGIONS:
        raise ParameterError(name, f"{_short(raw)} is not an ISO 3166 alpha-2 country code such as US or AU", kind)
    return code


E164_PREFIX_RE = r"^\+[1-9]\d{0,14}$"


def destinations(raw: Any, name: str = "allowed_destinations") -> tuple:
    """The asset's allowed destinations: comma-separated E.164 prefixes (+61, +1415; spaces and dashes inside are
    dropped) and ISO 3166 alpha-2 country codes (AU), normalised ('+1415', 'AU') and de-duplicated; () when empty."""
    if raw is None:
        return ()
    entries: dict = {}
    for piece in str(raw).split(","):
        text = piece.strip()
        if not text:
            continue
        if text.startswith("+"):
            entry = "+" + re.sub(r"[\s().-]", "", text[1:])
            if not re.match(E164_PREFIX_RE, entry):
                reason = f"{_short(text)} is not an E.164 prefix: give '+' and 1 to 15 digits, such as +61 or +1415"
                raise ParameterError(name, reason, "Asset field")
        elif text.isalpha() and len(text) == 2:
            entry = country_code(text, name, "Asset field")
        else:
            reason = f"{_short(text)} is neither an E.164 prefix such as +61 or +1415 nor an ISO 3166 alpha-2 country code such as AU"
            raise ParameterError(name, reason, "Asset field")
        entries.setdefault(entry, None)
    if not entries:
        raise ParameterError(name, "names no prefix or country; leave it empty to allow every destination", "Asset field")
    return tuple(entries)


def _amount(value: Any, name: str) -> float:
    """A spend cap: a number above 0 (the account's currency)."""
    number = math.nan
    if not isinstance(value, bool):
        try:
            number = float(str(value).strip())
        except ValueError:
            number = math.nan
    if not (math.isfinite(number) and number > 0):
        reason = f"must be an amount above 0 in the account's currency, not {_short(value)} (leave it empty for no cap)"
        raise ParameterError(name, reason, "Asset field")
    return number


def _or_default(value: Any, default: Any) -> Any:
    return default if value is None else value


def _positive_number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not (0 < number <= consts.MAX_TIMEOUT):
        raise ParameterError(name, f"must be a number of seconds between 0 and {consts.MAX_TIMEOUT}, not {_short(value)}", "Asset field")
    return number


def message_id_param(params) -> str:
    """The message_id parameter: required, and a plausible ClickSend id (checked before any request)."""
    message_id = params.string("message_id", required=True)
    if not re.match(consts.MESSAGE_ID_PATTERN, message_id):
        raise ParameterError("message_id", f"{message_id[:40]!r} is not a ClickSend message id (letters, digits and dashes)")
    return message_id

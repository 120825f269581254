# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Indicators in an inbound SMS: URLs, domains, e-mail addresses and phone numbers, as SOAR's stock playbooks read them.

Each indicator becomes one artifact whose CEF uses SOAR's standard field name with `cef_types` set: `requestURL`
(url), `destinationDnsDomain` (domain), `toEmail` (email: the address the message asks the reader to write to) and
`phone_number` (phone number, the field name of the app's own phone parameters). A reputation playbook runs on them
unchanged.

The forms smishing uses are read as meant:
- upper-case schemes (`HTTPS://Evil.Example/Login`): scheme and host lower-cased, path kept;
- what browsers accept after `http:` or `https:`: no slash, one or three (`https:evil.example/login`) and backslashes
  (`https:\\\\evil.example\\x`), each read as `https://evil.example/...`; a backslash in the path before any '?' or '#'
  is a '/', as it is to a browser;
- defanged text (`hxxp://`, `hxxps[:]//`, `evil[.]example`, `(.)`, `{.}`, `[dot]`, `[@]`): refanged first; the
  bracketed forms never occur in ordinary prose, so replacing them cannot invent an indicator;
- bare domains (`evil.example/x`, `www.evil.example`): a host with a path, or starting with `www.`, is a URL (with
  `http://` put in front, as a phone's browser reads it) and its host a domain. Without a scheme a name counts only
  when it ends in a public suffix of the public suffix list (the publicsuffixlist wheel's copy, loaded on first use)
  and is longer than it, so `file.txt`, `e.g.` and `co.uk` are not domains;
- prose is not a domain: a name alone (no scheme, path or `www.`) is one unless ordinary text makes it as well, a
  sentence run on past its full stop (`Yes.No`) or a word before a country code (`done.it`, `readme.md`; see
  reads_as_prose);
- URL shorteners (`bit.ly/x`): the URL is kept (it is what a detonation or reputation service must expand) but the
  shortener's own domain is not reported as an indicator: its reputation says nothing about the link;
- trailing punctuation (`evil.example/x.`, `(evil.example)`, quotes, an ellipsis) is not part of the indicator; a
  closing bracket stays when the URL opened it;
- `https://bank.example@evil.example/` is a URL whose host is evil.example (the part before '@' is a user name);
- hosts (of URLs, domains and e-mail addresses) are read as a browser reads them, with UTS-46 (to_ascii):
  `ｅｖｉｌ．com` is evil.com, and an internationalised host is given in punycode (`xn--`) in the URL and the domain.

Bounded on hostile input: only the first INDICATOR_SCAN_CHARS characters are read, the text is cut into
whitespace-separated tokens by one linear pass, and every pattern below is a single character class with one
quantifier (no nesting, no alternation under a repeat), so each match is linear in the token. At most INDICATORS_MAX
indicators are reported per message. Never raises on any text: a lone UTF-16 surrogate is read as U+FFFD (scalar), and
a host the UTS-46 rules refuse is no host. No SOAR imports; the idna and publicsuffixlist packages are imported only when
a host needs them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import urllib.parse
from typing import Any, NamedTuple, Optional

import clicksend_consts as consts
import clicksend_phone


URL = "url"
DOMAIN = "domain"
EMAIL = "email"
PHONE = "phone number"
CEF_FIELD = {URL: "requestURL", DOMAIN: "destinationDnsDomain", EMAIL: "toEmail", PHONE: "phone_number"}
ARTIFACT_NAME = {URL: "URL in SMS", DOMAIN: "Domain in SMS", EMAIL: "E-mail address in SMS", PHONE: "Phone number in SMS"}
ARTIFACT_TYPE = {URL: "url", DOMAIN: "domain", EMAIL: "email", PHONE: "phone"}
DATA_FIELD = {URL: "urls", DOMAIN: "domains", EMAIL: "emails", PHONE: "phone_numbers"}  # list inbound messages' fields

# Defanged forms, each a fixed string (found with str.replace: linear)
REFANG = (
    ("[://]", "://"),
    ("[:]", ":"),
    ("[.]", "."),
    ("(.)", "."),
    ("{.}", "."),
    ("[dot]", "."),
    ("(dot)", "."),
    ("{dot}", "."),
    ("[@]", "@"),
    ("[at]", "@"),
    ("。", "."),  # ideographic and full-width full stops, which browsers take as dots in a host name
    ("．", "."),
    ("｡", "."),
)
TOKEN_RE = re.compile(r"\S+")
HXXP_RE = re.compile(r"(?<![a-z0-9])h[x]{2}p(?=s?:)", re.I)  # hxxp / hXXps at the start of a word
SCHEME_RE = re.compile(r"(https?):[/\\]*", re.I)  # with match(): at the start; 'https:x', 'https:/x', 'https:\\x' as browsers
LABEL_RE = re.compile(r"^[a-z0-9-]{1,63}$")  # a label in ASCII (an internationalised one in punycode); ends checked apart
TLD_RE = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner: valid in a host only where the script needs them
PORT_RE = re.compile(r"^\d{0,5}$")  # an empty port ('evil.example:/x') is what browsers take as the default
EMAIL_LOCAL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")
IPV4_RE = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")
LEADING = "([{<\"'“‘«`"
TRAILING = ".,;:!?\"'”’»…。、`>"
CLOSERS = {")": "(", "]": "[", "}": "{"}
HOST_END = "/?#\\"  # a backslash ends the host too: browsers read it as '/' in http(s) URLs

# Names RFC 2606 reserves for documentation and tests: not in the public suffix list, but what smishing drills use
RESERVED_TLDS = frozenset(("example", "test", "invalid"))


class Indicator(NamedTuple):
    kind: str  # URL, DOMAIN, EMAIL or PHONE
    value: str
    shortened: bool = False  # a URL of a link shortener


@functools.cache
def _suffix_list():
    """The public suffix list bundled in the publicsuffixlist wheel (never fetched), its ICANN part: the suffixes
    registries hand out names under (com, co.uk, kobe.jp), not private ones such as github.io. Parsed on first use and
    kept for the process: about 20 ms, paid only by a run that meets a name written without a scheme."""
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_unknown=False, accept_encoded_idn=False, only_icann=True)


def public_suffix(host: str) -> Optional[str]:
    """The longest known public suffix of a host (`com.au` of `anz.com.au`), None when its top-level label is none."""
    labels = host.split(".")
    if labels[-1] in RESERVED_TLDS:
        return labels[-1]
    try:  # the list holds internationalised suffixes in Unicode: look punycode labels up decoded
        unicode = ".".join(label[4:].encode("ascii").decode("punycode") if label.startswith("xn--") else label for label in labels)
    except UnicodeError:
        return None
    suffix = _suffix_list().publicsuffix(unicode)
    return ".".join(labels[-(suffix.count(".") + 1) :]) if suffix else None


def scalar(text: str) -> str:
    """The text with each lone UTF-16 surrogate (half an emoji, as a JSON "\\ud83d" escape decodes) replaced by U+FFFD, as a
    browser reads it; a pair of surrogates becomes the character it encodes. The result always encodes as UTF-8."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def refang(text: str) -> str:
    for defanged, plain in REFANG:
        if defanged in text:
            text = text.replace(defanged, plain)
    return HXXP_RE.sub("http", text)


def _clean(token: str) -> str:
    """The token without the punctuation around it (and anything glued before a scheme or after 'mailto:'); a closing
    bracket stays when the token opened it."""
    lower = token.lower()
    glued = lower.find("http")
    while glued > 0 and not SCHEME_RE.match(token, glued):  # '(http)https://...': look on for a real scheme
        glued = lower.find("http", glued + 1)
    if glued > 0:
        token = token[glued:]
    elif lower.startswith("mailto:"):
        token = token[len("mailto:") :]
    start, end = 0, len(token)
    while start < end and token[start] in LEADING:
        start += 1
    while end > start:
        last = token[end - 1]
        if last in TRAILING:
            end -= 1
        elif last in CLOSERS and token.count(CLOSERS[last], start, end) < token.count(last, start, end):
            end -= 1
        else:
            break
    return token[start:end]


def _label(label: str) -> bool:
    return bool(LABEL_RE.match(label)) and label[0] != "-" and label[-1] != "-"


def to_ascii(host: str) -> str:
    """A host as a browser reads it (UTS-46 as the WHATWG URL standard applies it), "" when a browser would refuse it.

    Full-width and other compatibility forms are mapped (`ｅｖｉｌ．com` is evil.com), letters lower-cased, ignorable
    characters (soft hyphens) dropped, the text normalised (NFC); each label that is not ASCII is then written in
    punycode (`xn--`). Refused: a code point UTS-46 disallows, a label that starts with a combining mark, a joiner where
    the script needs none, a label that breaks the bidi rule, an `xn--` label that is no valid punycode of such a label.
    The mapping table is the `idna` package's (SOAR installs it with requests), used only for a host that needs it."""
    lowered = host.lower()
    if host.isascii() and "xn--" not in lowered:
        return lowered
    try:
        import idna

        labels = idna.uts46_remap(host, std3_rules=False, transitional=False).split(".")
        for number, label in enumerate(labels):
            if len(label) > 63:  # too long for DNS in any form: refused before punycode, whose cost grows faster
                return ""
            if label.startswith("xn--"):  # written in punycode: it must decode to a label that is already valid
                decoded = label[4:].encode("ascii").decode("punycode")
                if decoded.isascii() or idna.uts46_remap(decoded, std3_rules=False, transitional=False) != decoded:
                    return ""
                label = decoded
            elif label.isascii():
                continue
            if unicodedata.category(label[0]).startswith("M") or not _joiners_ok(idna, label):
                return ""
            idna.check_bidi(label)  # raises when the label breaks the bidi rule
            labels[number] = "xn--" + label.encode("punycode").decode("ascii")
    except Exception:  # any refusal, whatever the idna version calls it, costs this host only
        return ""
    return ".".join(labels)


def _joiners_ok(idna, label: str) -> bool:
    return all(idna.valid_contextj(label, pos) for pos, char in enumerate(label) if char in JOINERS)


def valid_host(host: str) -> bool:
    """A domain name: dotted labels of letters, digits and '-', an alphabetic top-level label. IP addresses are not
    domains."""
    if len(host) > 253 or "." not in host or IPV4_RE.match(host):
        return False
    labels = host.split(".")
    return all(_label(label) for label in labels) and bool(TLD_RE.match(labels[-1]))


def registrable_suffix(host: str) -> Optional[str]:
    """The public suffix of a name written without a scheme, which must end in a known one and be longer than it
    (`co.uk` alone is no one's domain); None otherwise."""
    suffix = public_suffix(host) if valid_host(host) else None
    return suffix if suffix and len(suffix) < len(host) else None


def reads_as_prose(written: str, host: str, suffix: str) -> bool:
    """Whether a name alone (no scheme, no path, no `www.`) is as likely ordinary text as a domain:
    - a sentence run on past its full stop: the last label capitalised but not all capitals (`Yes.No`, `thanks.Love`);
    - a word, a dot and a country code: two labels, the first letters only, directly under a two-letter top-level
      domain (`done.it`, `ok.so`, `readme.md`, `setup.py`; file extensions and words that are also country codes).
    What smishing writes stays a domain: `paypal-verify.com` (a generic top-level domain), `secure-login.ru` (a hyphen or
    a digit), `anz.com.au` (a suffix of two labels), `login.evil.ru` (three labels); with a path, `www.` or a scheme
    (`done.it/x`) any name is a URL."""
    last = written.partition(":")[0].rpartition(".")[2]
    if last[:1].isupper() and not last.isupper():
        return True
    labels = host.split(".")
    return len(labels) == 2 and suffix == labels[1] and len(suffix) == 2 and labels[0].isalpha()


def _is_ipv4(host: str) -> bool:
    return bool(IPV4_RE.match(host)) and all(int(part) <= 255 for part in host.split("."))


def _split_authority(rest: str) -> tuple:
    """'user@host:port/path' -> (authority, host, path): the authority as a browser writes it (user part and port as
    written, lower-cased; the host percent-decoded and in ASCII, see to_ascii), the host without a trailing dot, and the
    path with its leading '/', '?' or '#' (or '\\', read as '/'). ("", "", "") when the host or the port is none."""
    cut = _first(rest, HOST_END)
    authority, path = rest[:cut], rest[cut:]
    user, at, host = authority.rpartition("@")  # https://bank.example@evil.example/: the host is evil.example
    host, colon, port = host.partition(":")
    if "%" in host:
        host = urllib.parse.unquote(host, errors="replace")  # a disallowed U+FFFD where the escapes are no UTF-8
    host = to_ascii(host)
    if not host or (colon and not PORT_RE.match(port)):
        return "", "", ""
    query = _first(path, "?#")  # a backslash before the query is a '/' to a browser, as it is after the host
    return f"{user.lower()}{at}{host}{colon}{port}", host.rstrip("."), path[:query].replace("\\", "/") + path[query:]


def _first(text: str, chars: str) -> int:
    """Where the first of the characters is in the text (its length when none is)."""
    found = [at for at in map(text.find, chars) if at >= 0]
    return min(found, default=len(text))


def _is_shortener(host: str) -> bool:
    bare = host[4:] if host.startswith("www.") else host
    return bare in consts.URL_SHORTENERS


def _url_indicators(token: str) -> list:
    """Indicators of a token that is a URL (with a scheme, or a bare host with a path or 'www.'), else []."""
    scheme = SCHEME_RE.match(token)
    if scheme:
        authority, host, path = _split_authority(token[scheme.end() :])
        ip_host = _is_ipv4(host)
        if not host or not (ip_host or valid_host(host)):
            return []
        url = f"{scheme.group(1).lower()}://{authority}{path}"  # the path keeps its case
        if ip_host:
            return [Indicator(URL, _visible(url))]  # an address is no domain
    else:
        authority, host, path = _split_authority(token)
        suffix = registrable_suffix(host) if host and "@" not in token.split("/", 1)[0] else None
        if not suffix:
            return []
        if not path and not host.startswith("www."):
            return [] if reads_as_prose(token, host, suffix) else [Indicator(DOMAIN, host)]
        url = f"http://{authority}{path}"
    shortened = _is_shortener(host)
    found = [Indicator(URL, _visible(url), shortened)]
    if not shortened:
        found.append(Indicator(DOMAIN, host))
    return found


def _visible(url: str) -> str:
    """The URL with each invisible character (a joiner, a soft hyphen, a control character) percent-encoded, as a
    browser sends it: an analyst sees that it is there, and a reputation service gets the URL the phone opens."""
    if url.isprintable():
        return url
    return "".join(char if char.isprintable() else urllib.parse.quote(char, safe="") for char in url)


def _email(token: str) -> Optional[Indicator]:
    local, at, domain = token.rpartition("@")
    if not at or not EMAIL_LOCAL_RE.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    domain = to_ascii(domain).rstrip(".")
    return Indicator(EMAIL, f"{local}@{domain}") if valid_host(domain) else None


def _phones(text: str, region: Optional[str]) -> list:
    phonenumbers = clicksend_phone.util()
    found = []
    try:
        for match in clicksend_phone.matcher()(text, region or "ZZ", max_tries=consts.INDICATORS_MAX * 4):
            found.append(Indicator(PHONE, phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)))
    except Exception:  # a library's surprise on odd text costs the phone numbers, never the message
        return found
    return found


def extract(body: Any, region: Optional[str] = None) -> list:
    """The indicators of an SMS body, in order of appearance, each once. `region` reads numbers written without '+'
    (None: only international numbers are phone indicators)."""
    if not isinstance(body, str) or not body:
        return []
    text = refang(scalar(body[: consts.INDICATOR_SCAN_CHARS]))
    found: list = []
    masked = list(text)  # URL and e-mail tokens are blanked before phone numbers are looked for (digits in a path)
    for match in TOKEN_RE.finditer(text):
        token = _clean(match.group())
        if not token or "." not in token:
            continue
        email = _email(token) if "@" in token and not SCHEME_RE.match(token) else None
        hits = [email] if email else _url_indicators(token)
        if hits:
            found.extend(hits)
            masked[match.start() : match.end()] = " " * (match.end() - match.start())
    found.extend(_phones("".join(masked), region))
    unique: dict = {}
    for indicator in found:
        unique.setdefault((indicator.kind, indicator.value), indicator)
    return list(unique.values())[: consts.INDICATORS_MAX]


# --- what on poll and list inbound messages make of them ---------------------------------------------------------


def _options(ctx) -> tuple:
    """(extraction on?, region) of this run's asset, worked out once per run."""
    options = getattr(ctx, "indicator_options", None)
    if options is None:
        options = (getattr(ctx.settings, "extract_indicators", True), region_of(ctx))
        ctx.indicator_options = options
    return options


def region_of(ctx) -> Optional[str]:
    """The country national numbers in a body are read with: the asset's, else the account's as the state file knows it
    (no request: extraction never costs a call to ClickSend); None reads international numbers only."""
    from clicksend_api import cached_facts

    if ctx.settings.default_country:
        return ctx.settings.default_country
    facts = cached_facts(ctx.state_file.read())
    return facts.default_country if facts else None


def of_message(ctx, message: dict) -> list:
    """The indicators of one inbound message, or [] when the asset turns extraction off."""
    on, region = _options(ctx)
    return extract(message.get("body"), region) if on else []


def message_fields(ctx, message: dict) -> dict:
    """List inbound messages' indicator fields of one message ({} when the asset turns extraction off)."""
    return data_fields(of_message(ctx, message)) if _options(ctx)[0] else {}


def message_artifacts(ctx, message: dict) -> list:
    """On poll's indicator artifacts of one message (without container_id), [] when there are none."""
    return artifacts(message, of_message(ctx, message))


def data_fields(indicators: list) -> dict:
    """List inbound messages' fields: urls, domains, emails, phone_numbers (each a list, possibly empty)."""
    fields: dict = {name: [] for name in DATA_FIELD.values()}
    for indicator in indicators:
        fields[DATA_FIELD[indicator.kind]].append(indicator.value)
    return fields


def artifacts(message: dict, indicators: list) -> list:
    """One artifact per indicator of an inbound message: the same dicts on every run (keyed by the message's id and the
    indicator), so a re-run is a duplicate the platform keeps once. Text that is no valid Unicode (a lone surrogate) is
    saved with U+FFFD in its place: building them never raises."""
    message_id = scalar(str(message.get("message_id") or "")).strip()
    made = []
    for indicator in indicators:
        field = CEF_FIELD[indicator.kind]
        value = scalar(str(indicator.value))
        digest = hashlib.sha256(f"{indicator.kind}\n{value}".encode()).hexdigest()[:16]
        name = "Shortened URL in SMS" if indicator.shortened else ARTIFACT_NAME[indicator.kind]
        made.append(
            {
                "name": name,
                "label": consts.INDICATOR_ARTIFACT_LABEL,
                "type": ARTIFACT_TYPE[indicator.kind],
                "source_data_identifier": f"{message_id}:indicator:{digest}",
                "cef": {field: value, "message_id": message_id},
                "cef_types": {field: [indicator.kind], "message_id": ["clicksend message id"]},
                "run_automation": False,
            }
        )
    return made

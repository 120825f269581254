"""Validators and value helpers of ``phantom.app`` (fake for development/tests only).

Acceptance rules of the validators are not confirmed against the real platform; they use the stdlib ``ipaddress``
module and plain regular expressions.
"""

from __future__ import annotations

import ipaddress
import random
import re
import string
from urllib.parse import unquote, urlparse


_HEX = re.compile(r"^[0-9a-fA-F]+$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$")
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_MAC = re.compile(r"^(?:[0-9A-Fa-f]{2}([:-]))(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$|^(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$")
_WIN_PATH = re.compile(r"^(?:[A-Za-z]:\\|\\\\[^\\/:*?\"<>|]+\\)")
_URL_SCHEMES = ("http", "https", "ftp", "ftps", "sftp", "file", "hxxp", "hxxps")


def _as_str(value):
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str):
        return None
    return value.strip()


def is_ip(input_ip_address):
    """True for an IPv4 or IPv6 address (no prefix length)."""
    value = _as_str(input_ip_address)
    if not value:
        return False
    try:
        ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return False
    return True


def is_domain(domain):
    """True for a dotted domain name with an alphabetic (or punycode) top-level label."""
    value = _as_str(domain)
    if not value:
        return False
    value = value.rstrip(".")
    if len(value) > 253 or "." not in value:
        return False
    labels = value.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return False
    return bool(_TLD.match(labels[-1]))


def is_hostname(hostname):
    """True for a host name: one or more DNS labels (a single label such as ``localhost`` is accepted)."""
    value = _as_str(hostname)
    if not value:
        return False
    value = value.rstrip(".")
    if len(value) > 253:
        return False
    return all(_LABEL.match(label) for label in value.split("."))


def is_email(email):
    """True for ``local@domain`` with a valid domain (or a bracketed IP literal)."""
    value = _as_str(email)
    if not value or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    if not _EMAIL_LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    if domain.startswith("[") and domain.endswith("]"):
        return is_ip(domain[1:-1])
    return is_domain(domain)


def is_url(url):
    """True for ``scheme://host[...]`` where the host is a host name or an IP address."""
    value = _as_str(url)
    if not value or any(ch.isspace() for ch in value):
        return False
    try:
        parsed = urlparse(value)
        host = parsed.hostname
        parsed.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        return False
    if parsed.scheme.lower() not in _URL_SCHEMES or not host:
        return False
    return is_ip(host) or is_hostname(host)


def _is_hex_of_len(value, length):
    value = _as_str(value)
    return bool(value) and len(value) == length and bool(_HEX.match(value))


def is_md5(input_hash):
    return _is_hex_of_len(input_hash, 32)


def is_sha1(input_hash):
    return _is_hex_of_len(input_hash, 40)


def is_sha256(input_hash):
    return _is_hex_of_len(input_hash, 64)


def is_sha512(input_hash):
    return _is_hex_of_len(input_hash, 128)


def is_hash(input_hash):
    return is_md5(input_hash) or is_sha1(input_hash) or is_sha256(input_hash) or is_sha512(input_hash)


def is_mac(input_mac):
    value = _as_str(input_mac)
    return bool(value) and bool(_MAC.match(value))


def is_windows_path(input_path):
    value = _as_str(input_path)
    return bool(value) and bool(_WIN_PATH.match(value))


CONTAINS_VALIDATORS = {
    "domain": is_domain,
    "ip": is_ip,
    "hash": is_hash,
    "sha1": is_sha1,
    "sha256": is_sha256,
    "sha512": is_sha512,
    "md5": is_md5,
    "host name": is_hostname,
    "mac address": is_mac,
    "url": is_url,
    "email": is_email,
}


def is_fail(status_code):
    """True when the status is falsy (``APP_ERROR``)."""
    return not status_code


def is_success(status_code):
    """True when the status is truthy (``APP_SUCCESS``)."""
    return bool(status_code)


def get_req_value(in_dict, in_key, strip_it=True):
    """Value of a required key. A missing key raises ``KeyError`` (real behaviour UNCONFIRMED)."""
    value = in_dict[in_key]
    if strip_it and isinstance(value, str):
        value = value.strip()
    return value


def get_str_val(in_dict, in_key, def_val=None, strip_it=True):
    value = in_dict.get(in_key, def_val) if in_dict else def_val
    if value is None:
        return def_val
    value = str(value)
    return value.strip() if strip_it else value


def get_value(in_dict, in_key, def_val=None, strip_it=True):
    value = in_dict.get(in_key, def_val) if in_dict else def_val
    if strip_it and isinstance(value, str):
        value = value.strip()
    return value


def get_list_from_string(comma_seperated_list, drop_blanks=True, remove_duplicates=True):
    """Split a comma-separated string into stripped items (blanks dropped, duplicates removed, order kept)."""
    if comma_seperated_list is None:
        return []
    items = [item.strip() for item in str(comma_seperated_list).split(",")]
    if drop_blanks:
        items = [item for item in items if item]
    if remove_duplicates:
        seen = set()
        unique = []
        for item in items:
            if item not in seen:
                seen.add(item)
                unique.append(item)
        items = unique
    return items


_TRUE = {"true", "t", "yes", "y", "1", "on"}


def to_bool(value):
    """``True``/``False`` from a bool, a number or a string such as ``"true"``/``"yes"``/``"1"`` (others are False)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value != 0
    return str(value).strip().lower() in _TRUE


def safe_int(obj):
    try:
        return int(obj)
    except (TypeError, ValueError):
        return None


def get_random_chars(size=6, chars=string.ascii_uppercase + string.digits):
    return "".join(random.choice(chars) for _ in range(size))


def get_host_from_url(url):
    return urlparse(url).hostname


def get_file_name_from_url(url, should_unquote=True):
    path = urlparse(url).path
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return unquote(name) if should_unquote else name


def remove_none_values(in_dict):
    return {key: value for key, value in in_dict.items() if value is not None}


def is_cloud_install():
    return False


def get_phantom_strict_tls():
    return False


def bytes_to_human_readable_size_str(size):
    size = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} TB"


CEF_JSON = {
    "sourceAddress": {"contains": ["ip"]},
    "destinationAddress": {"contains": ["ip"]},
    "sourceHostName": {"contains": ["host name"]},
    "destinationHostName": {"contains": ["host name"]},
    "fileHashMd5": {"contains": ["md5", "hash"]},
    "fileHashSha1": {"contains": ["sha1", "hash"]},
    "fileHashSha256": {"contains": ["sha256", "hash"]},
    "requestURL": {"contains": ["url"]},
    "destinationUserName": {"contains": ["user name"]},
    "sourceUserName": {"contains": ["user name"]},
    "fromEmail": {"contains": ["email"]},
    "toEmail": {"contains": ["email"]},
    "vaultId": {"contains": ["vault id"]},
}
CEF_NAME_MAPPING = {
    "src": "sourceAddress",
    "dst": "destinationAddress",
    "shost": "sourceHostName",
    "dhost": "destinationHostName",
    "suser": "sourceUserName",
    "duser": "destinationUserName",
    "request": "requestURL",
}

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The asset's base_url and the paths of requests: what may be sent where, checked before anything is sent.

normalise_base_url refuses a base_url that is not https (but for a loopback host), carries credentials, a query or
odd segments; api_path quotes each id into its endpoint and refuses a value that would change which resource a
request acts on; check_path is the last line of defence under it, for every request.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import clicksend_consts as consts
from clicksend_errors import InvalidPathValue


_ID_FORBIDDEN = frozenset("/\\?#%")


def _id_problem(text: str) -> str:
    if not text:
        return "it is empty"
    if text in (".", ".."):
        return "'.' and '..' are not ids"
    for char in text:
        if char in _ID_FORBIDDEN:
            return f"it contains {char!r}"
        if char.isspace() or not char.isprintable():
            return "it contains whitespace or control characters"
    return ""


def api_path(template: str, **ids: Any) -> str:
    """The endpoint `template` (e.g. "lists/{list_id}/contacts") with every id percent-quoted into its place.

    Raises InvalidPathValue for a value that cannot be a ClickSend id: such a value would change which resource the
    request acts on (an id "." turns PUT sms/inbound-read/{id} into "mark every message read").
    """
    quoted = {}
    for name, value in ids.items():
        text = "" if value is None else str(value)
        problem = _id_problem(text)
        if problem:
            shown = repr(text[:40] + ("..." if len(text) > 40 else ""))
            raise InvalidPathValue(f"{name} {shown} cannot be a ClickSend id: {problem}", field=name, value=text)
        quoted[name] = quote(text, safe="")
    return template.format(**quoted)


def check_path(path: str, label: str) -> None:
    """The last line of defence under api_path: a path that would address something other than what it names."""
    if "?" in path or "#" in path:
        problem = "it contains '?' or '#'"
    elif any(unquote(segment) in ("", ".", "..") for segment in path.split("/")):
        problem = "it has an empty, '.' or '..' segment"
    else:
        return
    raise InvalidPathValue(f"The app refused to send {label} to ClickSend: {problem}")


def is_loopback_host(host: str) -> bool:
    if host.lower() in consts.LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_problem(host: str) -> str:
    """Why `host` (not bracketed) cannot be a host name or IPv4 address, or ''."""
    for char in host:
        if not (char.isalnum() or char in "-._"):
            return f"base_url's host {host[:100]!r} contains {char!r}, which a host name cannot contain"
    if any(not label for label in host.rstrip(".").split(".")):
        return f"base_url's host {host[:100]!r} has an empty label (a leading dot or '..')"
    if not host.isascii():
        try:
            host.encode("idna")
        except UnicodeError:
            return f"base_url's host {host[:100]!r} is not a valid international domain name"
    return ""


def _port_problem(port: str) -> str:
    if not port:
        return ""  # "https://host:/v3" is the default port
    if not (port.isascii() and port.isdigit()):
        return f"base_url's port {port[:20]!r} is not a number"
    if len(port) > 5 or not 1 <= int(port) <= 65535:
        return f"base_url's port {port[:20]} is out of range (1-65535)"
    return ""


def normalise_base_url(raw: Any) -> str:
    """Check the asset's base_url and return it without a trailing slash. Raises ValueError with the reason."""
    url = str(raw or "").strip()
    if not url:
        return consts.DEFAULT_BASE_URL
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ValueError("base_url must not contain spaces or control characters")
    if "?" in url or "#" in url:
        raise ValueError("base_url must not contain a query string or fragment ('?' or '#')")
    url = url.rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "Invalid IPv6 URL"
        raise ValueError(f"base_url is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("base_url must be an http(s) URL such as https://rest.clicksend.com/v3")
    if "@" in parts.netloc:
        raise ValueError("base_url must not contain credentials: put them in the username and key fields")
    netloc = parts.netloc
    if netloc.startswith("["):
        end = netloc.find("]")
        host, rest = (netloc[1:end], netloc[end + 1 :]) if end > 0 else (netloc[1:], "")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"base_url's host [{host[:60]}] is not an IPv6 address") from None
    else:
        host, colon, port = netloc.partition(":")
        rest = colon + port
        problem = _host_problem(host) if host else "base_url must be an http(s) URL such as https://rest.clicksend.com/v3"
        if problem:
            raise ValueError(problem)
    if rest and not rest.startswith(":"):
        raise ValueError(f"base_url has {rest[:20]!r} after the host where only a ':port' may follow")
    problem = _port_problem(rest[1:])
    if problem:
        raise ValueError(problem)
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        raise ValueError("base_url's path must not contain '.' or '..' segments")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ValueError("base_url must use https (plain http is allowed only for a loopback host such as 127.0.0.1)")
    return url

# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""phonenumbers, loaded only as far as an action needs it. No SOAR imports.

The package's __init__ does nothing but import its parts, among them the as-you-type formatter, the short-number
tables and the text matcher, whose regular expressions cost a cold action about 5 ms that checking a number never
uses. So the package is registered without running its __init__, and the parts are imported by name: `util()` for
parse / is_valid_number / format_number, `matcher()` for finding numbers in text. The package stays whole to anyone
else: its first top-level name looked up (`phonenumbers.parse`, `from phonenumbers import ...`) runs the real
__init__ first. If the package was already imported, it is used as it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType
from typing import TYPE_CHECKING


if TYPE_CHECKING:  # the parts loaded below by name, stated for readers and for tools/check_compat.py
    import phonenumbers.phonenumbermatcher
    import phonenumbers.phonenumberutil  # noqa: F401


PACKAGE = "phonenumbers"
_DEFERRED = "__clicksend_deferred__"  # set in the registered package while its __init__ has not run yet
_lock = threading.RLock()


def _complete(package: ModuleType) -> None:
    """Run the package's own __init__ in the registered module: afterwards it is the package as an import makes it.
    Whether it is still to run is kept in the package itself (no module global of ours changes)."""
    with _lock:
        if not vars(package).pop(_DEFERRED, False):  # completed already (by another thread, or further up this one)
            return
        try:
            package.__spec__.loader.exec_module(package)
        except BaseException:
            setattr(package, _DEFERRED, True)
            raise
        vars(package).pop("__getattr__", None)


def _register() -> None:
    """Put the package in sys.modules with its __path__ (so its parts can be imported) but its __init__ not yet run."""
    with _lock:
        if PACKAGE in sys.modules:
            return
        spec = importlib.util.find_spec(PACKAGE)
        if spec is None or spec.submodule_search_locations is None or not hasattr(spec.loader, "exec_module"):
            importlib.import_module(PACKAGE)  # not installed, not a package, or an old-style loader: the ordinary way
            return
        package = importlib.util.module_from_spec(spec)

        def __getattr__(name: str):  # PEP 562: called only for a name the module does not have
            _complete(package)
            try:
                return vars(package)[name]
            except KeyError:
                raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}") from None

        package.__getattr__ = __getattr__
        setattr(package, _DEFERRED, True)
        sys.modules[PACKAGE] = package


def _part(name: str) -> ModuleType:
    if PACKAGE not in sys.modules:
        _register()
    return importlib.import_module(f"{PACKAGE}.{name}")


def util() -> ModuleType:
    """phonenumbers.phonenumberutil: parse, is_valid_number, format_number, PhoneNumberFormat, NumberParseException,
    region_code_for_number."""
    return _part("phonenumberutil")


def matcher() -> type:
    """phonenumbers' PhoneNumberMatcher, which finds phone numbers in free text."""
    return _part("phonenumbermatcher").PhoneNumberMatcher

"""clicksend_phone: a number check loads only the part of phonenumbers it uses, and the package stays whole to anyone
who uses it afterwards. Each case runs in a fresh interpreter, where phonenumbers has not been imported yet."""

import json
import subprocess
import sys

import phonenumbers

import clicksend_phone
from tests.conftest import ROOT


NOT_FOR_A_NUMBER_CHECK = ("phonenumbers.asyoutypeformatter", "phonenumbers.phonenumbermatcher", "phonenumbers.shortnumberinfo")


def fresh(code):
    """Run `code` in a fresh interpreter at the repository root; what it prints last, read as JSON."""
    done = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_number_check_loads_neither_the_formatter_nor_the_matcher_nor_short_numbers():
    loaded = fresh(
        "import json, sys\n"
        "from clicksend_params import phone_number\n"
        "number = phone_number('0412 345 678', 'AU', 'to')\n"
        "print(json.dumps([number, sorted(m for m in sys.modules if m.startswith('phonenumbers') or m == 'uuid')]))"
    )
    assert loaded[0] == "+61412345678"
    assert "phonenumbers.phonenumberutil" in loaded[1]
    assert not set(loaded[1]) & set(NOT_FOR_A_NUMBER_CHECK)
    assert "uuid" not in loaded[1]


def test_after_a_number_check_the_package_is_whole_to_its_next_user():
    seen = fresh(
        "import json\n"
        "from clicksend_params import phone_number\n"
        "phone_number('+14155550123', None, 'to')\n"
        "import phonenumbers\n"
        "from phonenumbers import AsYouTypeFormatter, PhoneNumberMatcher\n"
        "missing = [name for name in phonenumbers.__all__ if not hasattr(phonenumbers, name)]\n"
        "try:\n"
        "    phonenumbers.no_such_name\n"
        "    unknown = 'found'\n"
        "except AttributeError as error:\n"
        "    unknown = str(error)\n"
        "number = phonenumbers.parse('+442083661177')\n"
        "print(json.dumps([phonenumbers.__version__, missing, unknown, phonenumbers.format_number(number, 1),"
        " [m.raw_string for m in PhoneNumberMatcher('call 020 8366 1177 now', 'GB')], '__getattr__' in vars(phonenumbers)]))"
    )
    version, missing, unknown, formatted, matched, hook_left = seen
    assert version == phonenumbers.__version__
    assert missing == []
    assert unknown == "module 'phonenumbers' has no attribute 'no_such_name'"
    assert formatted == "+44 20 8366 1177"
    assert matched == ["020 8366 1177"]
    assert hook_left is False


def test_the_matcher_finds_numbers_without_completing_the_package():
    seen = fresh(
        "import json, sys\n"
        "import clicksend_phone\n"
        "found = [m.raw_string for m in clicksend_phone.matcher()('ring +61 412 345 678', 'AU')]\n"
        "print(json.dumps([found, 'phonenumbers.asyoutypeformatter' in sys.modules]))"
    )
    assert seen == [["+61 412 345 678"], False]


def test_threads_that_use_the_package_at_once_all_see_it_whole():
    seen = fresh(
        "import json, threading\n"
        "import clicksend_phone\n"
        "clicksend_phone.util()\n"
        "import phonenumbers\n"
        "start, got = threading.Barrier(8), []\n"
        "def use():\n"
        "    start.wait()\n"
        "    got.append(phonenumbers.format_number(phonenumbers.parse('+61412345678'), phonenumbers.PhoneNumberFormat.E164))\n"
        "threads = [threading.Thread(target=use) for _ in range(8)]\n"
        "[thread.start() for thread in threads]\n"
        "[thread.join() for thread in threads]\n"
        "print(json.dumps(got))"
    )
    assert seen == ["+61412345678"] * 8


def test_a_package_imported_before_is_used_as_it_is():
    # this test process imported phonenumbers whole at the top of this file
    assert clicksend_phone.util() is phonenumbers.phonenumberutil
    assert clicksend_phone.matcher() is phonenumbers.PhoneNumberMatcher
    assert "__getattr__" not in vars(phonenumbers)


def test_without_the_package_the_ordinary_import_error_and_nothing_left_registered():
    seen = fresh(
        "import json, sys\n"
        "sys.path[:] = [entry for entry in sys.path if 'site-packages' not in entry]\n"
        "import clicksend_phone\n"
        "try:\n"
        "    clicksend_phone.util()\n"
        "    outcome = 'loaded'\n"
        "except ImportError as error:\n"
        "    outcome = [type(error).__name__, error.name]\n"
        "print(json.dumps([outcome, 'phonenumbers' in sys.modules]))"
    )
    assert seen == [["ModuleNotFoundError", "phonenumbers"], False]

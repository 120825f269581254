"""The lint gate itself: tools/check_compat.py passes the app as it is and catches what it exists to catch."""

import json

import check_compat
import pytest

from tests.conftest import ROOT


def test_the_repository_passes():
    assert list(check_compat.problems(ROOT)) == []
    assert check_compat.main(["--root", str(ROOT)]) == 0


def test_it_checks_every_shipped_module():
    names = {p.name for p in check_compat.shipped_modules(ROOT)}
    assert {"__init__.py", "clicksend_connector.py", "clicksend_client.py", "clicksend_params.py"} <= names
    assert all(n == "__init__.py" or n.startswith("clicksend_") for n in names)


def test_declared_wheels_provide_their_import_names():
    allowed = check_compat.allowed_imports(ROOT)
    assert {"phonenumbers", "publicsuffixlist", "requests", "urllib3", "idna", "phantom", "json", "clicksend_consts"} <= allowed
    assert "phonenumberslite" not in allowed  # the distribution name is not importable


@pytest.mark.parametrize(
    "source",
    [
        "import pytest\n",
        "from requests_mock import Mocker\n",
        "import phantom_sdk_stubs\n",
        "from clicksend_sim import ClickSendSimulator\n",
        "import hypothesis.strategies as st\n",
        "import jsonpath_ng\n",
        "def later():\n    import tools.demo\n",
    ],
)
def test_a_dev_only_import_in_a_shipped_module_is_flagged(app_copy, source, capsys):
    (app_copy / "clicksend_extra.py").write_text(source, encoding="utf-8")
    found = list(check_compat.problems(app_copy))
    assert len(found) == 1 and found[0].startswith("clicksend_extra.py:"), found
    assert "which SOAR does not provide and the manifest does not ship" in found[0]
    assert check_compat.main(["--root", str(app_copy)]) == 1
    assert "clicksend_extra.py:" in capsys.readouterr().out


def test_a_module_that_is_not_shipped_is_not_judged(app_copy):
    (app_copy / "helper_for_tests.py").write_text("import pytest\n", encoding="utf-8")
    assert list(check_compat.problems(app_copy)) == []


def test_a_wheel_the_manifest_no_longer_declares_is_not_importable(app_copy):
    manifest = json.loads((app_copy / "clicksend.json").read_text(encoding="utf-8"))
    for key in check_compat.WHEEL_KEYS:
        manifest[key]["wheel"] = []
    (app_copy / "clicksend.json").write_text(json.dumps(manifest), encoding="utf-8")
    found = list(check_compat.problems(app_copy))
    assert found and all(("imports phonenumbers" in line or "imports publicsuffixlist" in line) for line in found), found
    assert any("imports publicsuffixlist" in line for line in found), found


def test_newer_than_3_9_syntax_is_flagged(app_copy):
    (app_copy / "clicksend_extra.py").write_text("def f(x):\n    match x:\n        case 1:\n            return 1\n", encoding="utf-8")
    found = list(check_compat.problems(app_copy))
    assert len(found) == 1 and found[0].startswith("clicksend_extra.py:"), found
    assert "not Python 3.9 syntax: Pattern matching is only supported in Python 3.10 and greater" in found[0]


@pytest.mark.skipif(check_compat.pyenv_python("3.9") is None, reason="no Python 3.9 from pyenv on this machine")
def test_a_real_python_3_9_compiles_the_modules(app_copy):
    assert check_compat.compile_on_real_39(app_copy) == []
    (app_copy / "clicksend_extra.py").write_text("def f(x):\n    match x:\n        case 1:\n            return 1\n", encoding="utf-8")
    found = check_compat.compile_on_real_39(app_copy)
    assert len(found) == 1 and "SyntaxError" in found[0], found

"""Cold start: the dispatch table names each handler as "module:function" and imports the module when its action runs;
the manifest is parsed once per run (the platform's copy); asset checks need no phonenumbers."""

import importlib
import json
import subprocess
import sys

import phonenumbers

import clicksend_connector
import clicksend_consts as consts
from tests.conftest import ACTIONS, BASE_URL, ROOT, envelope


HEAVY = (
    "clicksend_actions_contacts",
    "clicksend_actions_history",
    "clicksend_actions_inbound",
    "clicksend_actions_messaging",
    "clicksend_actions_reads",
    "clicksend_actions_twoway",
    "clicksend_delivery",
    "clicksend_guards",
    "clicksend_indicators",
    "clicksend_marker",
    "clicksend_receipts",
    "phonenumbers",
    "concurrent.futures.thread",
)


def modules_after(code):
    """The modules of interest a fresh interpreter has loaded after running `code`."""
    names = "sorted(m for m in sys.modules if m.startswith(('clicksend', 'phonenumbers', 'concurrent')))"
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps({names}))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=str(ROOT), capture_output=True, text=True, check=True)  # noqa: S603
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_connector_imports_no_action_module_nor_phonenumbers_nor_threads():
    loaded = modules_after("import clicksend_connector")
    assert "clicksend_connector" in loaded
    assert not loaded & set(HEAVY)


def test_an_action_imports_its_own_module_only():
    loaded = modules_after("import clicksend_connector\nassert callable(clicksend_connector.handler_of('get_account'))")
    assert "clicksend_actions_history" in loaded
    assert not loaded & {"clicksend_actions_inbound", "clicksend_actions_contacts", "clicksend_indicators", "clicksend_receipts", "phonenumbers"}


def test_every_entry_names_the_function_its_module_exports_for_that_identifier():
    assert set(clicksend_connector.HANDLERS) == set(ACTIONS)
    for identifier, target in clicksend_connector.HANDLERS.items():
        module, _, name = target.partition(":")
        assert name == identifier
        assert importlib.import_module(module).HANDLERS[identifier] is clicksend_connector.handler_of(identifier)
    assert clicksend_connector.handler_of("no_such_action") is None


def test_the_manifest_the_platform_parsed_is_used_and_never_parsed_again(run, requests_mock, monkeypatch):
    def never():
        raise AssertionError("the platform served the manifest: the app must not parse the file again")

    monkeypatch.setattr(clicksend_connector, "_manifest_file_actions", never)
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "u", "balance": "1.0"}))
    run("get_account", [{}, {}, {}])
    assert [result["status"] for result in run.out["result_data"]] == ["success"] * 3


def test_without_the_platforms_manifest_the_file_is_parsed_once_per_process(run, requests_mock, monkeypatch):
    from clicksend_connector import ClickSendConnector

    parsed = []

    class CountingJson:
        def __getattr__(self, name):
            return getattr(json, name)

        def load(self, handle):
            parsed.append(handle.name)
            return json.load(handle)

    monkeypatch.setattr(ClickSendConnector, "get_app_json", lambda self: {})
    monkeypatch.setattr(clicksend_connector, "json", CountingJson())
    clicksend_connector._manifest_file_actions.cache_clear()
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "u", "balance": "1.0"}))
    for _ in range(2):
        run("get_account", [{}, {}])
        assert [result["status"] for result in run.out["result_data"]] == ["success"] * 2
    assert [name.rsplit("/", 1)[-1] for name in parsed] == ["clicksend.json"]


def test_asset_country_checks_need_no_phonenumbers():
    loaded = modules_after(
        "from clicksend_params import settings_from_config\n"
        "settings_from_config({'base_url': 'https://rest.clicksend.com/v3', 'username': 'u', 'key': 'k', 'default_country': 'au',"
        " 'allowed_destinations': '+61, NZ'})"
    )
    assert "phonenumbers" not in loaded


def test_the_copy_of_phonenumbers_regions_is_the_wheels():
    assert consts.PHONE_REGIONS == phonenumbers.SUPPORTED_REGIONS

"""Fixtures for the phantom-sdk-stubs self-tests: a throw-away connector + manifest written to tmp_path."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
import textwrap

import pytest
from phantom_sdk_stubs import FakePlatform


APPID = "11111111-2222-3333-4444-555555555555"

MANIFEST = {
    "appid": APPID,
    "name": "Tiny",
    "description": "Throw-away app for the fake platform tests",
    "type": "devops",
    "product_vendor": "Tiny",
    "product_name": "Tiny",
    "product_version_regex": ".*",
    "publisher": "Tests",
    "license": "Copyright (c) Tests",
    "app_version": "1.2.3",
    "main_module": "tiny_connector.py",
    "package_name": "phantom_tiny",
    "python_version": "3.9, 3.13",
    "min_phantom_version": "6.2.1",
    "logo": "logo.svg",
    "logo_dark": "logo_dark.svg",
    "configuration": {
        "base_url": {"data_type": "string", "description": "Base URL", "required": True, "order": 0},
        "username": {"data_type": "string", "description": "Username", "required": True, "order": 1},
        "api_key": {"data_type": "password", "description": "API key", "required": True, "order": 2},
    },
    "actions": [
        {
            "action": "test connectivity",
            "identifier": "test_connectivity",
            "description": "Test",
            "type": "test",
            "read_only": True,
            "parameters": {},
            "output": [],
            "versions": "EQ(*)",
        },
        {
            "action": "send message",
            "identifier": "send_message",
            "description": "Send",
            "type": "generic",
            "read_only": False,
            "parameters": {
                "to": {"data_type": "string", "description": "Recipient", "required": True, "contains": ["phone number"], "order": 0},
                "email": {"data_type": "string", "description": "Email", "contains": ["email"], "order": 1},
                "hosts": {"data_type": "string", "description": "Hosts", "contains": ["ip", "domain"], "allow_list": True, "order": 2},
            },
            "output": [],
            "versions": "EQ(*)",
        },
        {
            "action": "on poll",
            "identifier": "on_poll",
            "description": "Poll",
            "type": "ingest",
            "read_only": True,
            "parameters": {"container_count": {"data_type": "numeric", "description": "Count", "order": 0}},
            "output": [],
            "versions": "EQ(*)",
        },
    ],
}

MODULE_SOURCE = textwrap.dedent(
    """
    import phantom.app as phantom
    from phantom.action_result import ActionResult
    from phantom.base_connector import BaseConnector


    class TinyConnector(BaseConnector):
        on_action = None
        on_initialize = None
        on_finalize = None

        def __init__(self):
            super().__init__()
            self.calls = []
            self._state = None

        def initialize(self):
            self.calls.append("initialize")
            if type(self).on_initialize is not None:
                return type(self).on_initialize(self)
            return phantom.APP_SUCCESS

        def handle_action(self, param):
            self.calls.append(("handle_action", self.get_action_identifier()))
            if type(self).on_action is None:
                action_result = self.add_action_result(ActionResult(dict(param)))
                return action_result.set_status(phantom.APP_SUCCESS, "ok")
            return type(self).on_action(self, param)

        def finalize(self):
            self.calls.append("finalize")
            if type(self).on_finalize is not None:
                return type(self).on_finalize(self)
            return phantom.APP_SUCCESS
    """
)

_counter = itertools.count()


@pytest.fixture
def platform(tmp_path):
    return FakePlatform(home=tmp_path / "phantom_home")


@pytest.fixture
def connector_class(tmp_path):
    """A freshly imported TinyConnector class whose module and manifest live in tmp_path/app."""
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    (app_dir / "tiny.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    (app_dir / "not_the_manifest.json").write_text(json.dumps({"main_module": "other_connector.py"}), encoding="utf-8")
    module_path = app_dir / "tiny_connector.py"
    module_path.write_text(MODULE_SOURCE, encoding="utf-8")
    name = f"tiny_connector_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, module_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    yield module.TinyConnector
    sys.modules.pop(name, None)


@pytest.fixture
def config():
    return {"base_url": "https://api.example.test/v3/", "username": "user", "api_key": "s3cr3t-api-key"}

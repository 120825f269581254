"""Imports run one way: handlers use helpers, helpers use the client, the client uses the transport; nothing reaches
back up, and no action module imports another (what several actions share lives a floor down)."""

import ast
import pathlib

import pytest


ROOT = pathlib.Path(__file__).resolve().parents[2]
MODULES = sorted(path.stem for path in ROOT.glob("clicksend_*.py"))
ACTIONS = [name for name in MODULES if name.startswith("clicksend_actions_")]
# the HTTP layers, bottom up: each may import only the app modules listed for it
HTTP_LAYERS = {
    "clicksend_consts": set(),
    "clicksend_errors": set(),
    "clicksend_masking": {"clicksend_consts"},
    "clicksend_urls": {"clicksend_consts", "clicksend_errors"},
    "clicksend_parallel": {"clicksend_consts"},
    "clicksend_transport": {"clicksend_consts", "clicksend_errors", "clicksend_masking"},
    "clicksend_client": {
        "clicksend_consts",
        "clicksend_errors",
        "clicksend_masking",
        "clicksend_parallel",
        "clicksend_transport",
        "clicksend_urls",
    },
    "clicksend_pages": {"clicksend_consts", "clicksend_errors", "clicksend_parallel"},
}


def app_imports(name):
    tree = ast.parse((ROOT / f"{name}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {module for module in found if module in MODULES}


def test_the_layers_know_every_module_they_name():
    assert set(HTTP_LAYERS) <= set(MODULES)


@pytest.mark.parametrize("name", sorted(HTTP_LAYERS))
def test_an_http_layer_imports_only_the_layers_below_it(name):
    assert app_imports(name) <= HTTP_LAYERS[name], f"{name} imports {sorted(app_imports(name) - HTTP_LAYERS[name])}"


@pytest.mark.parametrize("name", ACTIONS)
def test_no_action_module_imports_another_or_the_connector(name):
    wrong = {module for module in app_imports(name) if module.startswith("clicksend_actions_") or module == "clicksend_connector"}
    assert not wrong, f"{name} imports {sorted(wrong)}: shared knowledge belongs a floor down"


@pytest.mark.parametrize("name", [name for name in MODULES if name not in ACTIONS and name != "clicksend_connector"])
def test_no_helper_reaches_up_to_the_handlers(name):
    wrong = {module for module in app_imports(name) if module.startswith("clicksend_actions_") or module == "clicksend_connector"}
    assert not wrong, f"{name} imports {sorted(wrong)}"


def test_no_app_module_is_over_about_600_lines():
    long = {name: n for name in MODULES if (n := len((ROOT / f"{name}.py").read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, f"modules a newcomer cannot read in one sitting: {long}"

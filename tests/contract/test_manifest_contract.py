"""The manifest and the code agree: identifiers, parameters read, and every output data path with its type."""

import json
from collections import defaultdict

import pytest
from jsonpath_ng import parse

import clicksend_connector
from tests import fake_clock
from tests.conftest import ACTIONS, MANIFEST, sim_config
from tests.contract.scenarios import all_scenarios


SCENARIOS = all_scenarios()
TYPES = {"string": (str,), "numeric": (int, float), "boolean": (bool,)}


def test_dispatch_table_lists_exactly_the_manifest_actions():
    assert set(clicksend_connector.HANDLERS) == set(ACTIONS)


def test_every_action_has_a_scenario():
    assert {s.identifier for s in SCENARIOS} == set(ACTIONS)


def _jsonpath(data_path):
    """Manifest data path -> (where, jsonpath) using the platform's DATA_PATH_MAP."""
    head, _, rest = data_path.partition(".")
    where = "result" if head == "action_result" else "summary"
    if head == "summary":
        rest = data_path[len("summary.") :]
    segments = ["[*]" if seg == "*" else f".'{seg}'" for seg in rest.split(".")]
    return where, parse("$" + "".join(segments))


def _produced_paths(value, prefix):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _produced_paths(item, f"{prefix}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _produced_paths(item, f"{prefix}.*")
    else:
        yield prefix


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run every scenario once; group the platform's outputs by action."""
    from clicksend_sim import ClickSendSimulator
    from phantom_sdk_stubs import FakePlatform

    outputs = defaultdict(list)
    # the waits' pauses pass on a fake clock (an unknown id is looked for a minute before it fails)
    with ClickSendSimulator() as sim, pytest.MonkeyPatch.context() as patch:
        fake_clock.install(patch)
        sim.start()
        for scenario in SCENARIOS:
            sim.reset()
            extra = scenario.setup(sim) if scenario.setup else None
            params = dict(scenario.params, **(extra or {}))
            platform = FakePlatform(home=tmp_path_factory.mktemp("soar"))
            out = platform.run(
                clicksend_connector.ClickSendConnector,
                scenario.identifier,
                parameters=[params],
                config=sim_config(sim, **scenario.config),
                asset_id="1",
                container_id=scenario.container_id,
                poll_now=scenario.poll_now,
            )
            read = platform.last_connector.last_params.read if platform.last_connector.last_params else set()
            outputs[scenario.identifier].append((scenario, out, read))
    return outputs


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_scenarios_end_as_expected(runs, identifier):
    for scenario, out, _ in runs[identifier]:
        result = out["result_data"][0]
        assert result["status"] == scenario.expect, f"{scenario.name}: {result['message']}"
        assert result["message"], scenario.name
        assert "Traceback" not in json.dumps(out)


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_declared_outputs_are_produced_with_their_types(runs, identifier):
    declared = ACTIONS[identifier].get("output", [])
    for spec in declared:
        where, path = _jsonpath(spec["data_path"])
        values = []
        for _, out, _ in runs[identifier]:
            targets = out["result_data"] if where == "result" else [out["result_summary"]]
            for target in targets:
                values.extend(match.value for match in path.find(target))
        assert values, f"{identifier}: {spec['data_path']} is declared but no scenario produced it"
        wanted = TYPES[spec["data_type"]]
        for value in values:
            if value is None:
                continue
            ok = isinstance(value, wanted) and not (spec["data_type"] == "numeric" and isinstance(value, bool))
            assert ok, f"{identifier}: {spec['data_path']} is declared {spec['data_type']} but produced {value!r}"


# Paths ClickSend fills only in cases the scenarios cannot reach (e.g. from_email is set only when the caller gives
# one, which the app never does); everywhere else a declared path must be produced with a real value at least once.
NULL_ONLY = {
    ("send_message", "action_result.data.*.data.messages.*.from_email"),
    ("send_voice_message", "action_result.data.*.data.messages.*.from"),
    ("send_voice_message", "action_result.data.*.data.messages.*.status_code"),
    ("send_voice_message", "action_result.data.*.data.messages.*.status_text"),
    ("calculate_price", "action_result.data.*.messages.*.status_code"),  # a voice price answer's: null before a call is made
    ("calculate_price", "action_result.data.*.messages.*.status_text"),
    ("get_account", "action_result.data.*.delivery_to"),
    ("get_account", "action_result.data.*.trial_expiry"),
    ("get_account", "action_result.data.*._subaccount.notes"),
    ("create_contact", "action_result.data.*.fax_number"),
}


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_declared_outputs_carry_a_value_somewhere(runs, identifier):
    only_null = []
    for spec in ACTIONS[identifier].get("output", []):
        where, path = _jsonpath(spec["data_path"])
        values = [
            match.value
            for _, out, _ in runs[identifier]
            for target in (out["result_data"] if where == "result" else [out["result_summary"]])
            for match in path.find(target)
        ]
        if all(value is None for value in values):
            only_null.append(spec["data_path"])
    assert {(identifier, p) for p in only_null} <= NULL_ONLY, f"{identifier}: declared paths only ever null: {only_null}"


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_produced_paths_are_declared(runs, identifier):
    declared = {spec["data_path"] for spec in ACTIONS[identifier].get("output", [])}
    if not declared:
        return  # test connectivity and on poll declare no outputs, as the platform expects
    produced = set()
    for _, out, _ in runs[identifier]:
        for result in out["result_data"]:
            for key in ("data", "summary", "parameter"):
                produced.update(_produced_paths(result[key], f"action_result.{key}"))
    produced = {p for p in produced if not p.startswith("action_result.parameter.context")}
    assert produced <= declared, f"{identifier}: produced but not declared: {sorted(produced - declared)}"


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_every_declared_parameter_is_read_and_nothing_else(runs, identifier):
    declared = set(ACTIONS[identifier].get("parameters", {}))
    read = set()
    for _, _, names in runs[identifier]:
        read |= names
    assert read <= declared
    if identifier != "on_poll":  # on poll's parameters are the platform's; some are ignored by design
        assert read == declared, f"{identifier}: declared but never read: {sorted(declared - read)}"


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_parameter_outputs_match_parameters(identifier):
    action = ACTIONS[identifier]
    if identifier in ("test_connectivity", "on_poll"):
        return
    params = action.get("parameters", {})
    outputs = {o["data_path"]: o for o in action["output"]}
    for name, spec in params.items():
        out = outputs.get(f"action_result.parameter.{name}")
        assert out, f"{identifier}: no output for parameter {name}"
        assert out["data_type"] == spec["data_type"]
        assert out.get("contains", []) == spec.get("contains", [])
    extra = {p for p in outputs if p.startswith("action_result.parameter.")} - {f"action_result.parameter.{n}" for n in params}
    assert not extra


def test_manifest_identity_matches_the_contract():
    assert MANIFEST["appid"] == "6b772f0b-5d32-4970-8e9d-e09c7e3ff895"
    assert MANIFEST["package_name"] == "phantom_clicksend"
    assert MANIFEST["name"] == "ClickSend"
    assert MANIFEST["main_module"] == "clicksend_connector.py"
    assert MANIFEST["python_version"] == "3.9, 3.13"
    assert MANIFEST["min_phantom_version"] == "6.4.0"

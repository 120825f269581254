"""clicksend.json against the rules SOAR's app validation applies (platform notes §11 in docs/soar-platform-notes.md, DEVCICD static tests).

Every rule is its own test, parametrised by action where it is per action, and each failure names the offending
path, e.g. `actions[send_message].parameters.to.order`. The rules run over whatever actions the manifest holds.
"""

import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from tests.conftest import MANIFEST, ROOT


ACTIONS = MANIFEST["actions"]
IDS = [a.get("identifier", f"#{i}") for i, a in enumerate(ACTIONS)]
CONFIG = MANIFEST["configuration"]

REQUIRED_TOP_LEVEL = (
    "actions app_version appid configuration description license logo logo_dark main_module min_phantom_version name "
    "package_name product_name product_vendor python_version product_version_regex publisher type"
).split()
STRIPPED_BY_DEVCICD = "copied_from_id copied_from_version directory version appname executable disabled custom_made".split()
APP_TYPES = {
    "devops", "email", "endpoint", "identity management", "information", "network device", "network security", "reputation",
    "sandbox", "siem", "ticketing", "firewall", "virtualization", "forensic", "investigative", "threat intel", "generic",
    "directory service", "internal", "vulnerability scanner",
}  # fmt: skip
CONFIG_TYPES = {"string", "password", "numeric", "boolean", "ph", "timezone", "file", "object", "array"}
PARAM_TYPES = {"string", "numeric", "boolean", "password", "ph"}
OUTPUT_TYPES = {"string", "numeric", "boolean"}
ACTION_TYPES = {"test", "generic", "investigate", "contain", "correct", "ingest"}
READ_ONLY_TYPES = {"test", "investigate", "ingest"}
RENDER_TYPES = {"table", "custom", "json", "default"}
MINIMAL_PATHS = {
    "action_result.status": "string",
    "action_result.message": "string",
    "summary.total_objects": "numeric",
    "summary.total_objects_successful": "numeric",
}
NO_OUTPUT_ACTIONS = {"test connectivity", "on poll"}
CONTRACT_CONTAINS = {"phone number", "email", "clicksend message id", "clicksend contact id", "clicksend list id"}
# SOAR's own types, and "phone", which Splunk's Twilio connector gives its phone parameters beside "phone number"
SOAR_CONTAINS = {"ip", "domain", "url", "email", "hash", "md5", "sha1", "sha256", "sha512", "host name", "mac address", "phone"}
PLATFORM_PROVIDED = {
    "beautifulsoup4", "soupsieve", "parse", "python_dateutil", "six", "requests", "certifi", "charset_normalizer", "idna",
    "urllib3", "sh", "xmltodict", "simplejson", "django",
}  # fmt: skip
SECRET_NAME = re.compile(r"key|password|token|secret")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
WHEEL_NAME = re.compile(r"^(?P<dist>[A-Za-z0-9_.]+)-(?P<ver>[^-]+)(-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$")

per_action = pytest.mark.parametrize("action", ACTIONS, ids=IDS)


def where(action):
    return f"actions[{action.get('identifier')}]"


def params_of(action):
    return action.get("parameters") or {}


def outputs_of(action):
    return action.get("output") or []


def described_things():
    """(path, text) of every description SOAR checks for a leading lowercase letter."""
    yield "description", MANIFEST["description"]
    for name, field in CONFIG.items():
        yield f"configuration.{name}.description", field.get("description", "")
    for action in ACTIONS:
        yield f"{where(action)}.description", action.get("description", "")
        if "verbose" in action:
            yield f"{where(action)}.verbose", action["verbose"]
        for name, param in params_of(action).items():
            yield f"{where(action)}.parameters.{name}.description", param.get("description", "")


def field_name(data_path):
    """The last named segment: action_result.data.*.messages.*.to -> to; action_result.summary.message_ids.* -> message_ids."""
    return [seg for seg in data_path.split(".") if seg != "*"][-1]


def is_sequence_from_zero(values):
    """0, 1, ... n-1 in some order, integers only (what SOAR's static test demands of order and column_order)."""
    values = list(values)
    return all(type(v) is int for v in values) and sorted(values) == list(range(len(values)))


def semver(text):
    return tuple(int(part) for part in text.split("."))


# --- top level ----------------------------------------------------------------------------------------------------


def test_required_top_level_keys():
    required = REQUIRED_TOP_LEVEL + (["fips_compliant"] if MANIFEST.get("publisher") == "Splunk" else [])
    assert [key for key in required if key not in MANIFEST] == []


def test_no_keys_the_validation_strips():
    assert [key for key in STRIPPED_BY_DEVCICD if key in MANIFEST] == []


def test_identity_is_the_contracts():
    identity = {key: MANIFEST.get(key) for key in ("appid", "name", "package_name", "main_module", "python_version", "min_phantom_version")}
    assert identity == {
        "appid": "6b772f0b-5d32-4970-8e9d-e09c7e3ff895",
        "name": "ClickSend",
        "package_name": "phantom_clicksend",
        "main_module": "clicksend_connector.py",
        "python_version": "3.9, 3.13",
        "min_phantom_version": "6.4.0",
    }


def test_top_level_formats():
    bad = []
    if not VERSION.match(MANIFEST["app_version"]):
        bad.append("app_version")
    if not re.match(r"^(\d+\.){2,3}\d+$", MANIFEST["min_phantom_version"]):
        bad.append("min_phantom_version")
    if not re.match(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", MANIFEST["appid"]):
        bad.append("appid")
    if MANIFEST["type"] not in APP_TYPES:
        bad.append("type")
    if not MANIFEST["main_module"].endswith(".py"):
        bad.append("main_module")
    if len(MANIFEST["name"]) <= 2:
        bad.append("name")
    if not isinstance(MANIFEST.get("fips_compliant", False), bool):
        bad.append("fips_compliant")
    assert bad == []


def test_main_module_and_package_init_exist():
    assert [name for name in (MANIFEST["main_module"], "__init__.py") if not (ROOT / name).is_file()] == []


def test_one_app_json_at_the_top_of_the_app_folder():
    assert sorted(p.name for p in ROOT.glob("*.json")) == ["clicksend.json"]


def test_test_connectivity_exists():
    assert "test_connectivity" in IDS


def test_action_names_and_identifiers_are_unique():
    names = [a.get("action") for a in ACTIONS]
    assert sorted({n for n in names if names.count(n) > 1}) == []
    assert sorted({i for i in IDS if IDS.count(i) > 1}) == []


# --- descriptions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "text"), list(described_things()), ids=[p for p, _ in described_things()])
def test_description_does_not_start_with_a_lowercase_letter(path, text):
    assert text and not text[0].islower(), f"{path}: {text[:40]!r}"


@per_action
def test_action_description_does_not_end_with_a_period(action):
    assert re.match(r"^(|[^a-z][\s\S]*[^\.])$", action.get("description", "")), f"{where(action)}.description"


# --- configuration ------------------------------------------------------------------------------------------------


def test_config_order_is_sequential_from_zero():
    orders = {name: field.get("order") for name, field in CONFIG.items()}
    assert is_sequence_from_zero(orders.values()), f"configuration.*.order: {orders}"


def test_config_names_are_snake_case():
    assert [f"configuration.{name}" for name in CONFIG if not SNAKE.match(name)] == []


def test_config_data_types_are_soars():
    assert [f"configuration.{n}.data_type" for n, f in CONFIG.items() if f.get("data_type") not in CONFIG_TYPES] == []


def test_password_fields_have_no_default_and_no_value_list():
    bad = [
        f"configuration.{name}"
        for name, field in CONFIG.items()
        if field.get("data_type") == "password" and (field.get("default", "") != "" or "value_list" in field)
    ]
    assert bad == []


def test_secret_like_fields_are_password_type():
    assert [f"configuration.{n}" for n, f in CONFIG.items() if SECRET_NAME.search(n) and f.get("data_type") != "password"] == []


def test_config_defaults_fit_their_type():
    assert [f"configuration.{n}.default" for n, f in CONFIG.items() if not _default_fits(f)] == []


def _default_fits(spec):
    if "default" not in spec:
        return True
    default, kind = spec["default"], spec.get("data_type")
    if "value_list" in spec and default not in spec["value_list"]:
        return False
    if kind == "boolean":
        return isinstance(default, bool)
    if kind == "numeric":
        return isinstance(default, (int, float)) and not isinstance(default, bool)
    return isinstance(default, str) if kind in {"string", "password"} else True


# --- actions ------------------------------------------------------------------------------------------------------


@per_action
def test_action_has_the_required_keys(action):
    required = ("action", "identifier", "description", "type", "read_only", "versions", "output")
    assert [f"{where(action)}.{key}" for key in required if key not in action] == []


CHANGES_STATE = {"list_inbound_messages"}


@per_action
def test_action_type_and_read_only_agree(action):
    kind = action.get("type")
    assert kind in ACTION_TYPES, f"{where(action)}.type: {kind!r}"
    # list inbound messages is an investigate action by the contract, but its mark_read changes ClickSend's state
    expected = kind in READ_ONLY_TYPES and action["identifier"] not in CHANGES_STATE
    assert action.get("read_only") is expected, f"{where(action)}.read_only must be {expected} for type {kind}"


@per_action
def test_action_versions(action):
    assert action.get("versions") == "EQ(*)", f"{where(action)}.versions"


@per_action
def test_action_name_is_lowercase_words_and_identifier_its_snake_case(action):
    assert re.match(r"^[a-z0-9 ]+$", action.get("action", "")), f"{where(action)}.action: {action.get('action')!r}"
    assert SNAKE.match(action.get("identifier", "")), f"{where(action)}.identifier"
    assert action["identifier"] == action["action"].replace(" ", "_"), (
        f"{where(action)}.identifier is not the snake_case of {action['action']!r}"
    )


@per_action
def test_render(action):
    render = action.get("render")
    if render is None:
        return
    assert render.get("type") in RENDER_TYPES, f"{where(action)}.render.type"
    if "width" in render:
        assert 1 <= render["width"] <= 12, f"{where(action)}.render.width"
    if render.get("type") == "custom":
        assert render.get("view"), f"{where(action)}.render.view"


# --- parameters ---------------------------------------------------------------------------------------------------


@per_action
def test_parameter_order_is_sequential_from_zero(action):
    if action.get("action") == "on poll":
        pytest.skip("SOAR exempts on poll")
    orders = {name: p.get("order") for name, p in params_of(action).items()}
    assert is_sequence_from_zero(orders.values()), f"{where(action)}.parameters.*.order: {orders}"


@per_action
def test_parameter_names_are_snake_case(action):
    assert [f"{where(action)}.parameters.{n}" for n in params_of(action) if not SNAKE.match(n)] == []


@per_action
def test_parameter_data_types_are_soars(action):
    assert [f"{where(action)}.parameters.{n}.data_type" for n, p in params_of(action).items() if p.get("data_type") not in PARAM_TYPES] == []


@per_action
def test_parameter_defaults_fit_their_type_and_value_list(action):
    assert [f"{where(action)}.parameters.{n}.default" for n, p in params_of(action).items() if not _default_fits(p)] == []


@per_action
def test_password_parameters_have_no_default(action):
    bad = [n for n, p in params_of(action).items() if p.get("data_type") == "password" and p.get("default", "") != ""]
    assert [f"{where(action)}.parameters.{n}.default" for n in bad] == []


# --- outputs ------------------------------------------------------------------------------------------------------


@per_action
def test_output_data_types_are_soars(action):
    bad = [o.get("data_path") for o in outputs_of(action) if o.get("data_type") not in OUTPUT_TYPES]
    assert bad == [], f"{where(action)}.output data_type not in {sorted(OUTPUT_TYPES)}"


@per_action
def test_no_duplicate_data_paths(action):
    paths = [o.get("data_path") for o in outputs_of(action)]
    assert sorted({p for p in paths if paths.count(p) > 1}) == [], f"{where(action)}.output"


@per_action
def test_every_parameter_has_exactly_its_parameter_output(action):
    if action.get("action") in NO_OUTPUT_ACTIONS:
        pytest.skip(f"{action.get('action')} declares no outputs at all")
    declared = {f"action_result.parameter.{name}" for name in params_of(action)}
    produced = {o["data_path"] for o in outputs_of(action) if o.get("data_path", "").startswith("action_result.parameter.")}
    assert sorted(declared - produced) == [], f"{where(action)}.output: missing parameter outputs"
    assert sorted(produced - declared) == [], f"{where(action)}.output: outputs for undeclared parameters"


@per_action
def test_parameter_outputs_have_the_parameters_type_and_contains(action):
    by_path = {o.get("data_path"): o for o in outputs_of(action)}
    bad = []
    for name, param in params_of(action).items():
        out = by_path.get(f"action_result.parameter.{name}")
        if out is None:
            continue
        if out.get("data_type") != param.get("data_type"):
            bad.append(f"{where(action)}.output[action_result.parameter.{name}].data_type")
        if sorted(out.get("contains", [])) != sorted(param.get("contains", [])):
            bad.append(f"{where(action)}.output[action_result.parameter.{name}].contains")
    assert bad == []


@per_action
def test_minimal_data_paths(action):
    paths = {o.get("data_path"): o.get("data_type") for o in outputs_of(action)}
    if action.get("action") in NO_OUTPUT_ACTIONS:
        assert action.get("output") == [], f"{where(action)}.output must be [] for {action.get('action')}"
        return
    assert {p: paths.get(p) for p in MINIMAL_PATHS} == MINIMAL_PATHS, f"{where(action)}.output"


@per_action
def test_output_paths_are_well_formed(action):
    pattern = re.compile(
        r"^(action_result\.(status|message|parameter\.[a-z0-9_]+|data(\.[A-Za-z0-9_*]+)*|summary(\.[A-Za-z0-9_*]+)*)|summary\.[a-z_]+)$"
    )
    assert [o.get("data_path") for o in outputs_of(action) if not pattern.match(o.get("data_path", ""))] == [], f"{where(action)}.output"


@per_action
def test_column_order_is_sequential_from_zero(action):
    columns = {o["data_path"]: o.get("column_order") for o in outputs_of(action) if "column_order" in o or "column_name" in o}
    assert [p for p, order in columns.items() if order is None] == [], f"{where(action)}.output: column_name without column_order"
    named = [o["data_path"] for o in outputs_of(action) if "column_order" in o and not o.get("column_name")]
    assert named == [], f"{where(action)}.output: column_order without column_name"
    assert is_sequence_from_zero(columns.values()), f"{where(action)}.output column_order: {columns}"


@per_action
def test_contains_types_are_known_and_lowercase(action):
    specs = [(f"parameters.{n}", p) for n, p in params_of(action).items()] + [(f"output[{o.get('data_path')}]", o) for o in outputs_of(action)]
    bad = [
        f"{where(action)}.{path}.contains: {kind!r}"
        for path, spec in specs
        for kind in spec.get("contains", [])
        if kind != kind.lower() or kind not in CONTRACT_CONTAINS | SOAR_CONTAINS
    ]
    assert bad == []


@per_action
def test_phone_parameters_carry_phone_and_a_media_url_carries_url(action):
    """So other apps' phone and URL outputs offer this app's actions as contextual actions (and ours theirs)."""
    bad = [
        f"{where(action)}.parameters.{name}.contains"
        for name, param in params_of(action).items()
        if ("phone number" in param.get("contains", []) and "phone" not in param["contains"])
        or (name == "media_url" and "url" not in param.get("contains", []))
    ]
    assert bad == []


# Outputs that share a field name but rightly lack its contains type, with the reason.
CONTAINS_EXCEPTIONS = {
    "actions[calculate_price]:action_result.data.*.messages.*.message_id": (
        "a price estimate's message_id names no message (API notes §6 in docs/clicksend-api-notes.md): no contextual actions on it"
    ),
}


def _output_contains_by_field():
    """field name -> {frozenset(contains) -> [where]} over every data and summary output of every action."""
    seen = {}
    for action in ACTIONS:
        for out in outputs_of(action):
            path = out.get("data_path", "")
            if path.startswith(("action_result.data", "action_result.summary")) and f"{where(action)}:{path}" not in CONTAINS_EXCEPTIONS:
                seen.setdefault(field_name(path), {}).setdefault(frozenset(out.get("contains", [])), []).append(f"{where(action)}:{path}")
    return seen


CONTAINS_BY_FIELD = _output_contains_by_field()


@pytest.mark.parametrize("field", sorted(CONTAINS_BY_FIELD))
def test_same_field_name_has_the_same_contains_in_every_output(field):
    variants = CONTAINS_BY_FIELD[field]
    assert len(variants) == 1, "; ".join(f"{sorted(kinds)} at {', '.join(paths)}" for kinds, paths in variants.items())


# --- files the manifest names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["logo", "logo_dark"])
def test_logo_is_an_svg_with_width_and_height_and_no_entities(key):
    path = ROOT / MANIFEST[key]
    assert MANIFEST[key].endswith(".svg") and path.is_file(), f"{key}: {MANIFEST[key]}"
    text = path.read_text(encoding="utf-8")
    assert "<!ENTITY" not in text and "<!DOCTYPE" not in text, f"{key}: XML entities or DOCTYPE in {MANIFEST[key]}"
    root = ET.fromstring(text)  # noqa: S314 (our own file, checked above for entities)
    assert root.tag in {"svg", "{http://www.w3.org/2000/svg}svg"}, f"{key}: root element is {root.tag}"
    assert {"width", "height"} <= set(root.attrib), f"{key}: {MANIFEST[key]} needs width and height attributes"


def test_logos_differ_for_light_and_dark():
    assert (ROOT / MANIFEST["logo"]).read_bytes() != (ROOT / MANIFEST["logo_dark"]).read_bytes()


def test_both_python_versions_have_their_dependency_key():
    assert [key for key in ("pip39_dependencies", "pip313_dependencies") if not isinstance(MANIFEST.get(key), dict)] == []


WHEELS = [(key, dep) for key in ("pip39_dependencies", "pip313_dependencies") for dep in MANIFEST.get(key, {}).get("wheel", [])]


@pytest.mark.parametrize(("key", "dep"), WHEELS, ids=[f"{k}:{d.get('module')}" for k, d in WHEELS])
def test_wheel_exists_and_is_the_declared_module(key, dep):
    path = dep.get("input_file", "")
    assert (ROOT / path).is_file(), f"{key}.wheel[{dep.get('module')}].input_file: {path} does not exist"
    match = WHEEL_NAME.match(path.rsplit("/", 1)[-1])
    assert match, f"{key}: {path} is not a wheel file name"
    normalise = lambda name: re.sub(r"[-_.]+", "_", name).lower()  # noqa: E731
    assert normalise(match["dist"]) == normalise(dep.get("module", "")), f"{key}: {path} is not a wheel of {dep.get('module')}"
    assert normalise(dep["module"]) not in PLATFORM_PROVIDED, f"{key}: {dep['module']} is provided (or rejected) by SOAR: do not bundle it"
    with zipfile.ZipFile(ROOT / path) as wheel:
        assert wheel.testzip() is None, f"{key}: {path} is corrupt"


@pytest.mark.parametrize(("key", "dep"), WHEELS, ids=[f"{k}:{d.get('module')}" for k, d in WHEELS])
def test_wheel_suits_its_python_version(key, dep):
    tags = WHEEL_NAME.match(dep["input_file"].rsplit("/", 1)[-1])["py"].split(".")
    wanted = {"pip39_dependencies": {"py3", "cp39", "py39"}, "pip313_dependencies": {"py3", "cp313", "py313"}}[key]
    assert wanted & set(tags), f"{key}: {dep['input_file']} has no tag for this Python ({tags})"


# --- release notes ------------------------------------------------------------------------------------------------


NOTES = ROOT / "release_notes"


def test_unreleased_notes_are_well_formed():
    path = NOTES / "unreleased.md"
    assert path.is_file(), "release_notes/unreleased.md is missing"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0] == "**Unreleased**", "release_notes/unreleased.md must begin with the line **Unreleased**"
    released = (NOTES / f"{MANIFEST['app_version']}.md").is_file()
    has_bullet = any(line.startswith("* ") and line[2:].strip() for line in lines[1:])
    # once app_version's notes are filed as <version>.md, unreleased.md starts empty again for the next change
    assert has_bullet or released, "release_notes/unreleased.md has no '* ' bullet and app_version has no release notes file"
    bad = [i + 1 for i, line in enumerate(lines[1:], 1) if line.strip() and not re.match(r"^( {2,5})?\* \S", line)]
    assert bad == [], f"release_notes/unreleased.md lines {bad}: not a '* ' bullet (nested bullets indent 2-5 spaces)"


def test_version_notes_are_well_formed():
    for path in NOTES.glob("*.md"):
        if path.name == "unreleased.md":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines and lines[0] == f"**{path.stem}**", f"release_notes/{path.name} must begin with the line **{path.stem}**"
        assert any(line.startswith("* ") for line in lines), f"release_notes/{path.name} has no '* ' bullet"


def test_release_note_files_are_named_by_version():
    names = sorted(p.name for p in NOTES.glob("*.md") if p.name != "unreleased.md")
    assert [n for n in names if not VERSION.match(n[: -len(".md")])] == []


def test_no_release_notes_newer_than_app_version():
    app_version = semver(MANIFEST["app_version"])
    newer = sorted(p.name for p in NOTES.glob("*.md") if VERSION.match(p.stem) and semver(p.stem) > app_version)
    assert newer == [], f"release_notes/{newer} are newer than app_version {MANIFEST['app_version']}"


def test_app_version_has_release_notes():
    """Either the version is released (<version>.md) or it is the one being prepared (unreleased.md with bullets)."""
    released = (NOTES / f"{MANIFEST['app_version']}.md").is_file()
    unreleased = NOTES / "unreleased.md"
    pending = unreleased.is_file() and any(line.startswith("* ") for line in unreleased.read_text(encoding="utf-8").splitlines())
    assert released or pending, f"app_version {MANIFEST['app_version']}: no release_notes/{MANIFEST['app_version']}.md and no unreleased notes"

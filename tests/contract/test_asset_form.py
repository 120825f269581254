"""The asset configuration reads like a form: each field's description is a label of at most 100 characters (the rules
go to the README's field table), and the fields come in groups, in order: connection and credentials, TLS and
timeout, sending defaults, guard rails, ingestion. Also what the form and the playbook editor show as defaults."""

import json
import pathlib

import pytest

import clicksend_consts
from tools import gen_readme


ROOT = pathlib.Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
CONFIG = MANIFEST["configuration"]
LABEL_MAX = 100

# Where each field of 2.2.0 belongs. A field added later at the end of a group belongs to that group (see
# gen_readme.GROUPS); it needs no entry here.
EXPECTED_GROUP = {
    "base_url": "Connection and credentials",
    "username": "Connection and credentials",
    "key": "Connection and credentials",
    "to": "Connection and credentials",
    "verify_server_cert": "TLS and timeout",
    "timeout": "TLS and timeout",
    "default_from": "Sending defaults",
    "default_country": "Sending defaults",
    "sms_part_limit": "Sending defaults",
    "allowed_destinations": "Guard rails",
    "max_cost_per_action": "Guard rails",
    "max_recipients_per_action": "Guard rails",
    "max_messages_per_poll": "Ingestion",
    "extract_indicators": "Ingestion",
}
GROUP_ORDER = ["Connection and credentials", "TLS and timeout", "Sending defaults", "Guard rails", "Ingestion"]


@pytest.mark.parametrize("name", sorted(CONFIG))
def test_each_asset_field_has_a_label_of_at_most_100_characters(name):
    label = CONFIG[name].get("description", "")
    assert label and len(label) <= LABEL_MAX, f"configuration.{name}.description is {len(label)} characters: move the rules to gen_readme.RULES"


def test_the_groups_are_the_forms_in_order():
    assert [title for title, _first in gen_readme.GROUPS] == GROUP_ORDER


def test_fields_come_in_their_groups_in_order():
    groups = gen_readme.group_of(MANIFEST)
    in_form = [name for name, _spec in sorted(CONFIG.items(), key=lambda item: item[1]["order"])]
    assert {name: groups[name] for name in EXPECTED_GROUP} == EXPECTED_GROUP
    sequence = [GROUP_ORDER.index(groups[name]) for name in in_form]
    assert sequence == sorted(sequence), f"the form's groups are out of order: {[(name, groups[name]) for name in in_form]}"
    assert sorted(field["order"] for field in CONFIG.values()) == list(range(len(CONFIG))), "order must run 0, 1, ... without a gap"


def test_each_group_starts_with_its_first_field():
    for title, first in gen_readme.GROUPS:
        assert first in CONFIG, f"group {title!r} starts with {first}, which the manifest does not have"


def test_a_new_field_at_the_end_of_ingestion_joins_ingestion():
    manifest = json.loads(json.dumps(MANIFEST))
    manifest["configuration"]["new_ingest_option"] = {"data_type": "boolean", "order": len(CONFIG), "description": "New option"}
    assert gen_readme.group_of(manifest)["new_ingest_option"] == "Ingestion"


def test_the_readme_groups_the_asset_table_in_the_same_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(gen_readme.MARKERS["asset"][0], 1)[1].split(gen_readme.MARKERS["asset"][1], 1)[0]
    assert [line.strip("*") for line in table.splitlines() if line.startswith("**")] == GROUP_ORDER


def test_invalid_numbers_declares_its_default():
    for action in MANIFEST["actions"]:
        param = (action.get("parameters") or {}).get("invalid_numbers")
        if param is not None:
            assert param.get("default") == "fail" and "fail" in param["value_list"], action["identifier"]


def test_the_code_reports_the_manifests_version():
    assert clicksend_consts.APP_VERSION == MANIFEST["app_version"]
    assert clicksend_consts.USER_AGENT.endswith(f"/{MANIFEST['app_version']}")

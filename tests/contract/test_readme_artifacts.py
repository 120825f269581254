"""The README's table of what on poll saves names the artifacts on poll really saves: each name, label, type, CEF field
and its contains type. On poll runs end to end against the simulator with a new SMS, a reply and a delivery receipt
whose bodies hold every kind of indicator, and every artifact it saves is compared with the table."""

import pathlib
import re

import pytest

import clicksend_consts as consts
import clicksend_indicators
from tests.conftest import sim_config


ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
HEADER = "| artifact | label | type | CEF fields (contains) |"
# What each row's CEF fields may be: the fields the code can set (an empty one is left out of an artifact)
POSSIBLE = {
    "sms": set(consts.INBOUND_CEF_FIELDS) | {"received_time"},
    "receipt": set(consts.RECEIPT_CEF_FIELDS) | {"delivered", "is_final", "receipt_time", "sent_time"},
}


def readme_rows():
    """artifact name (with <sender>) -> {"label", "type", "fields": {cef field: [contains]}} from the README's table."""
    lines = README[README.index(HEADER) :].split("\n\n", 1)[0].splitlines()[2:]
    rows = {}
    for line in lines:
        names, label, kind, fields = (cell.strip() for cell in line.strip().strip("|").split(" | "))
        same = re.fullmatch(r"as `(.+)`", fields)
        if same:
            parsed = dict(rows[same.group(1)]["fields"])
        else:
            parsed = {}
            for field in fields.split(", "):
                match = re.fullmatch(r"`([^`]+)`(?: \(`([^`]+)`\))?", field)
                assert match, f"README artifact table: cannot read the CEF field {field!r}"
                parsed[match.group(1)] = [match.group(2)] if match.group(2) else []
        for name in re.findall(r"`([^`]+)`", names):
            rows[name] = {"label": label.strip("`"), "type": kind.strip("`"), "fields": parsed}
    return rows


def row_name(artifact_name):
    return re.sub(r"^(SMS|Reply) from .+$", r"\1 from <sender>", artifact_name)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Every artifact (and container) on poll saves for a new SMS, a reply to a container's message and its receipt."""
    from clicksend_sim import ClickSendSimulator
    from phantom_sdk_stubs import FakePlatform

    from tests.conftest import Runner

    with ClickSendSimulator() as sim:
        sim.start()
        platform = FakePlatform(home=tmp_path_factory.mktemp("soar"))
        run = Runner(platform, sim_config(sim))
        platform.add_container({"id": 42, "name": "Incident 42", "label": "events"})
        sim.add_inbound_rule(action="POLL", enabled=1)
        sim.add_receipt_rule(action="POLL", enabled=1)
        run("send_message", {"to": "+61411111111", "message": "Isolate host? Reply YES"}, container_id=42)
        sim.add_reply(sim.sent[0]["message_id"], None, "YES, and see bit.ly/abc")
        sim.add_inbound_message(
            "+61422222222",
            "Your parcel: https://parcel-help.example/track or www.evil.example, mail help@evil.example, call 02 9999 9999",
        )
        run("on_poll", {})
        assert run.result["status"] == "success", run.result["message"]
        return list(platform.artifacts.values()), list(platform.containers.values())


def test_every_artifact_on_poll_saves_is_in_the_readme_with_its_label_type_fields_and_contains(saved):
    artifacts, _containers = saved
    rows = readme_rows()
    for artifact in artifacts:
        name = row_name(artifact["name"])
        assert name in rows, f"on poll saved an artifact named {artifact['name']!r} that the README's table does not name"
        row = rows[name]
        assert (artifact["label"], artifact["type"]) == (row["label"], row["type"]), name
        unknown = sorted(set(artifact["cef"]) - set(row["fields"]))
        assert unknown == [], f"{name}: CEF fields the README does not list: {unknown}"
        for field in artifact["cef"]:
            assert artifact.get("cef_types", {}).get(field, []) == row["fields"][field], f"{name}: contains of {field}"


def test_every_row_of_the_readme_is_saved_and_lists_only_fields_the_code_sets(saved):
    artifacts, _containers = saved
    seen = {row_name(artifact["name"]) for artifact in artifacts}
    rows = readme_rows()
    assert sorted(set(rows) - seen) == [], "README rows this poll did not produce (extend the fixture's messages)"
    indicator_fields = set(clicksend_indicators.CEF_FIELD.values()) | {"message_id"}
    for name, row in rows.items():
        possible = POSSIBLE.get(row["type"], indicator_fields)
        assert sorted(set(row["fields"]) - possible) == [], f"{name}: the README lists CEF fields the code never sets"


def test_the_new_sms_container_is_named_as_the_readme_says(saved):
    _artifacts, containers = saved
    new = [container for container in containers if container["id"] != 42]
    assert [container["name"] for container in new] == ["SMS from +61422222222"]
    assert new[0]["description"] == consts.INBOUND_CONTAINER_DESCRIPTION
    assert f'"{consts.INBOUND_CONTAINER_DESCRIPTION}"' in README

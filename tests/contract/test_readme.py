"""README.md, as a SOAR administrator reads it: its generated parts match clicksend.json (and go stale when the
manifest changes), its links work, it says what the code does, and it holds nothing developer-only."""

import copy
import json
import pathlib
import re
import shutil

import pytest

import clicksend_params
from tools import gen_readme


ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MANIFEST = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))


def _prose(text):
    """The hand-written text: generated parts, fenced code and inline code removed."""
    for begin, end in gen_readme.MARKERS.values():
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), "", text, flags=re.S)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.sub(r"`[^`\n]*`", "", text)


# --- the generated parts ------------------------------------------------------------------------------------------


def test_readme_generated_parts_match_the_manifest():
    assert gen_readme.updated(README, MANIFEST) == README, "README.md is stale: run `make readme`"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: m["configuration"]["timeout"].update(default=45), id="asset-default"),
        pytest.param(lambda m: m["configuration"]["timeout"].update(description="Seconds per attempt"), id="asset-description"),
        pytest.param(lambda m: m["configuration"].update(new_field={"data_type": "string", "order": 99, "description": "x"}), id="asset-field"),
        pytest.param(lambda m: m["actions"][1]["parameters"]["message"].update(description="Changed"), id="parameter"),
        pytest.param(lambda m: m["actions"][1].update(verbose="Changed."), id="verbose"),
        pytest.param(
            lambda m: m["actions"][1]["output"].append({"data_path": "action_result.summary.new", "data_type": "numeric"}), id="summary"
        ),
        pytest.param(lambda m: m["actions"].append(dict(m["actions"][2], action="send fax", identifier="send_fax")), id="action"),
    ],
)
def test_a_manifest_change_makes_the_readme_stale(change):
    manifest = copy.deepcopy(MANIFEST)
    change(manifest)
    assert gen_readme.updated(README, manifest) != README


def test_a_new_heading_makes_the_contents_stale():
    edited = README.replace("## Known limits", "## Known limits\n\n## A new section", 1)
    regenerated = gen_readme.updated(edited, MANIFEST)
    assert regenerated != edited
    assert "- [A new section](#a-new-section)" in regenerated


def test_check_fails_on_a_stale_readme_and_write_fixes_it(tmp_path, monkeypatch, capsys):
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    manifest = copy.deepcopy(MANIFEST)
    manifest["configuration"]["timeout"]["default"] = 45
    (tmp_path / "clicksend.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(gen_readme, "ROOT", tmp_path)
    assert gen_readme.main(["--check"]) == 1
    assert "make readme" in capsys.readouterr().out
    assert gen_readme.main(["--write"]) == 0
    assert gen_readme.main(["--check"]) == 0


@pytest.mark.parametrize("part", gen_readme.ORDER)
def test_a_missing_marker_is_an_error(part):
    begin, _end = gen_readme.MARKERS[part]
    with pytest.raises(gen_readme.MarkerError):
        gen_readme.updated(README.replace(begin, ""), MANIFEST)


def test_admin_sections_come_first_and_the_reference_last():
    positions = [README.index(gen_readme.MARKERS[part][0]) for part in gen_readme.ORDER]
    assert positions == sorted(positions)
    for heading in ("## Install the app", "## Configure an asset", "## Receiving SMS in SOAR", "## Upgrading", "## Playbook recipes"):
        assert README.index("## Contents") < README.index(heading) < README.index(gen_readme.MARKERS["reference"][0])
    assert README.index(gen_readme.MARKERS["asset"][0]) < README.index("## Receiving SMS in SOAR")


def test_every_manifest_action_and_asset_field_is_documented():
    for action in MANIFEST["actions"]:
        assert f"\n### {action['action']}\n" in README
        for name in action.get("parameters") or {}:
            assert f"| `{name}` |" in README
    for name in MANIFEST["configuration"]:
        assert f"| `{name}` |" in README


def test_every_internal_link_points_at_a_heading():
    found = gen_readme.headings(README)
    targets = set(gen_readme.anchors(found))
    links = re.findall(r"\]\(#([^)]+)\)", README)
    assert links
    assert sorted(set(links) - targets) == []


# --- what the README says -----------------------------------------------------------------------------------------


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    assert "make demo" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_readme_holds_nothing_developer_only_or_outside_the_repository():
    for text in ("bench/", "tools/", ".ci/", "../", "/work/", "phantom-sdk-stubs", "clicksend_sim"):
        assert text not in README, text


BASE_ASSET = {"base_url": "https://rest.clicksend.com/v3", "username": "u", "key": "k"}
WHOLE_NUMBER_RANGES = sorted(
    name
    for name, spec in MANIFEST["configuration"].items()
    if spec["data_type"] == "numeric" and re.fullmatch(r"\d+ to \d+", gen_readme.accepted(name, spec))
)


@pytest.mark.parametrize("field", WHOLE_NUMBER_RANGES)
def test_each_documented_range_is_what_the_app_accepts(field):
    low, high = (int(n) for n in gen_readme.accepted(field, MANIFEST["configuration"][field]).split(" to "))
    for value in (low, high):
        assert getattr(clicksend_params.settings_from_config(dict(BASE_ASSET, **{field: value})), field) == value
    for value in (low - 1, high + 1):
        with pytest.raises(clicksend_params.ParameterError):
            clicksend_params.settings_from_config(dict(BASE_ASSET, **{field: value}))


def test_the_documented_timeout_range_is_what_the_app_accepts():
    high = int(re.findall(r"\d+", gen_readme.ACCEPTED["timeout"])[-1])
    assert clicksend_params.settings_from_config(dict(BASE_ASSET, timeout=high)).timeout == high
    for value in (0, high + 1):
        with pytest.raises(clicksend_params.ParameterError):
            clicksend_params.settings_from_config(dict(BASE_ASSET, timeout=value))


def test_manifest_defaults_appear_in_the_asset_table():
    for name, spec in MANIFEST["configuration"].items():
        if "default" in spec:
            row = next(line for line in README.splitlines() if line.startswith(f"| `{name}` |"))
            assert f"| {gen_readme._value(spec['default'])} |" in row


# rows of bench/RESULTS.md (by the start of their measure) whose figures the README's performance section quotes
QUOTED_ROWS = (
    "ratio connector / trivial connector",
    "speed-up connector vs SDK",
    "100000 recipients: peak RSS",
    "100000 recipients: result JSON",
    "M=1000 at 100 ms per request: wall time",
    "search_contact_by_phone, list of 10000 at 100 ms per request",
    "update_contact without a list id",
    "delete_contact without a list id",
)


def _benchmark_rows():
    results = ROOT / "bench" / "RESULTS.md"
    if not results.is_file():
        pytest.skip("no benchmark results in this checkout")
    table = results.read_text(encoding="utf-8").split("<!-- commentary", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")))) for line in lines[2:]]


@pytest.mark.parametrize("measure", QUOTED_ROWS)
def test_performance_claims_come_from_the_current_benchmark_table(measure):
    row = next((row for row in _benchmark_rows() if row["measure"].startswith(measure)), None)
    assert row is not None, f"bench/RESULTS.md has no row {measure!r}"
    section = README[README.index("## Performance") :]
    section = section[: section.index("\n## ", 3)]
    for column in ("before", "after"):
        value = row[column]
        if not value:
            continue
        quoted = f"{value[:-1]} times" if re.fullmatch(r"[\d.]+x", value) else value
        assert quoted in section, f"README's performance section should quote {measure} ({column}) = {value} from the benchmark table"


FIGURE_RE = re.compile(r"(?<![\w.])\d[\d.]*(?:x| ms| s| MB| MiB| KiB)(?!\w)")


def test_the_benchmark_commentary_quotes_only_figures_of_its_table():
    results = ROOT / "bench" / "RESULTS.md"
    if not results.is_file():
        pytest.skip("no benchmark results in this checkout")
    table, commentary = results.read_text(encoding="utf-8").split("<!-- commentary", 1)
    figures = set(FIGURE_RE.findall(commentary)) - {"100 ms"}  # the latency of the rows "at 100 ms per request"
    assert figures, "the commentary should discuss the table's figures"
    missing = sorted(figure for figure in figures if figure not in table)
    assert not missing, f"bench/RESULTS.md's commentary quotes figures its table does not hold: {missing}"


def test_readme_says_replies_to_alpha_tags_are_impossible_where_replies_are_explained():
    for section in ("### Choosing a sender", "### Replies and approvals", "## Playbook recipes"):
        start = README.index(section)
        body = README[start : README.index("\n## ", start + 3)]
        assert re.search(r"[Rr]eplies to (an )?alpha[- ]tags?( senders)? are impossible", body), section


def test_the_part_limit_and_marker_format_match_the_code():
    import clicksend_consts as consts
    import clicksend_marker as marker

    assert consts.SMS_DEFAULT_PARTS == 6 and "default 6 parts" in README
    assert f"{consts.GSM_MULTI_PART * consts.SMS_DEFAULT_PARTS} GSM-7" in README
    assert f"{consts.UNICODE_MULTI_PART * consts.SMS_DEFAULT_PARTS} Unicode" in README
    assert marker.make("s", "1", 42, "+61411111111").startswith("soar:42:") and "soar:<container id>:<tag>" in README


def test_british_spelling_and_e_mail_in_prose():
    prose = _prose(README)
    for american in ("normaliz", "behavior", "honor ", "license "):
        assert american not in prose.lower(), american
    without_action_names = re.sub(r"search contact by email", "", prose)
    assert not re.search(r"\bemail\b", without_action_names, re.I)

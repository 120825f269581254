"""README.md, as a SOAR administrator and a playbook author read it: its generated parts match clicksend.json (and go
stale when the manifest changes), its links work, it says what the code does, it is short enough to read before the
action reference, and what ships of it holds nothing developer-only. The benchmark figures live in DEVELOPMENT.md."""

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
SHIPPED = gen_readme.shipped(README)  # what clicksend.tgz holds
MANIFEST = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
DEVELOPMENT = (ROOT / "DEVELOPMENT.md").read_text(encoding="utf-8")
HAND_WRITTEN_MAX = 25_000  # characters of the shipped README's hand-written part before the action reference
QUICK_START_MAX_LINES = 10


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
        pytest.param(lambda m: m.update(app_version="9.9.9"), id="version"),
        pytest.param(lambda m: m.update(min_phantom_version="7.0.0"), id="minimum-soar-version"),
        pytest.param(lambda m: m["configuration"]["timeout"].update(default=45), id="asset-default"),
        pytest.param(lambda m: m["configuration"]["timeout"].update(description="Seconds per attempt"), id="asset-description"),
        pytest.param(lambda m: m["configuration"].update(new_field={"data_type": "string", "order": 99, "description": "x"}), id="asset-field"),
        pytest.param(lambda m: m["actions"][1]["parameters"]["message"].update(description="Changed"), id="parameter"),
        pytest.param(lambda m: m["actions"][1].update(verbose="Changed."), id="verbose"),
        pytest.param(
            lambda m: m["actions"][1]["output"].append({"data_path": "action_result.summary.new", "data_type": "numeric"}), id="summary"
        ),
        pytest.param(lambda m: m["actions"][1]["output"][-1].update(contains=["ip"]), id="output-contains"),
        pytest.param(
            lambda m: m["actions"][2]["output"].append({"data_path": "action_result.data.*.deep.path", "data_type": "string"}), id="data-path"
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


ADMIN_SECTIONS = (
    "## Set-up",
    "## Receiving SMS",
    "## Approvals by SMS",
    "## Guard rails",
    "## Playbook recipes",
    "## Upgrading",
    "## Known limits",
    "## How this app was tested",
)


def test_header_and_quick_start_come_first_then_the_sections_and_the_reference_last():
    positions = [README.index(gen_readme.MARKERS[part][0]) for part in gen_readme.ORDER]
    assert positions == sorted(positions)
    assert README.startswith("# ClickSend for Splunk SOAR\n\n" + gen_readme.MARKERS["header"][0])
    reference = README.index(gen_readme.MARKERS["reference"][0])
    for heading in ADMIN_SECTIONS:
        assert README.index("## Quick start") < README.index("## Contents") < README.index(heading) < reference
    # the asset table is generated, after the reference (as in Splunk's READMEs); the set-up section links to it
    assert README.index("## Asset configuration") > README.index(gen_readme.MARKERS["reference"][1])
    assert "](#asset-configuration)" in README[: README.index("## Receiving SMS")]


def test_the_header_is_splunks_standard_one():
    header = README.split(gen_readme.MARKERS["header"][0], 1)[1].split(gen_readme.MARKERS["header"][1], 1)[0]
    for label, key in (
        ("Publisher", "publisher"),
        ("Connector Version", "app_version"),
        ("Product Vendor", "product_vendor"),
        ("Product Name", "product_name"),
        ("Minimum Product Version", "min_phantom_version"),
    ):
        assert re.search(rf"^{label}: {re.escape(MANIFEST[key])}( <br>)?$", header, re.M), label
    assert f"\n{MANIFEST['description']}.\n" in header


def _section(text, heading):
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return text[start : end if end > 0 else len(text)]


def test_the_quick_start_is_ten_lines_from_install_to_polling():
    steps = [line for line in _section(SHIPPED, "## Quick start").splitlines()[1:] if line.strip()]
    assert 0 < len(steps) <= QUICK_START_MAX_LINES, steps
    text = "\n".join(steps)
    order = ["Install", "API username and key", "configure polling", "test connectivity", "polling on"]
    assert [text.index(word) for word in order] == sorted(text.index(word) for word in order)


def _hand_written_before_the_reference(text):
    text = text[: text.index(gen_readme.MARKERS["reference"][0])]
    for begin, end in gen_readme.MARKERS.values():
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), "", text, flags=re.S)
    return text


def test_the_hand_written_part_before_the_reference_is_short():
    length = len(_hand_written_before_the_reference(SHIPPED))
    assert length <= HAND_WRITTEN_MAX, f"the shipped README's hand-written part is {length} characters; at most {HAND_WRITTEN_MAX}"


def test_the_reference_lists_every_data_path_with_its_type_and_contains():
    reference = README.split(gen_readme.MARKERS["reference"][0], 1)[1]
    for action in MANIFEST["actions"]:
        section = reference.split(f"\n### {action['action']}\n", 1)[1].split("\n### ", 1)[0]
        paths = [line for line in section.splitlines() if line.startswith(("| `action_result.", "| `summary."))]
        rows = {line.split(" | ")[0][3:-1]: line for line in paths}
        for output in action.get("output") or []:
            row = rows.get(output["data_path"])
            assert row is not None, f"{action['action']}: {output['data_path']} is not in the reference"
            cells = [cell.strip() for cell in row.strip("|").split(" | ")]
            assert cells[1] == output["data_type"], output["data_path"]
            assert cells[2] == " ".join(f"`{kind}`" for kind in output.get("contains", [])), output["data_path"]
        assert len(rows) == len(action.get("output") or []), f"{action['action']}: the reference lists paths the manifest does not declare"


def test_every_manifest_action_and_asset_field_is_documented():
    for action in MANIFEST["actions"]:
        assert f"\n### {action['action']}\n" in README
        for name in action.get("parameters") or {}:
            assert f"| `{name}` |" in README
    for name in MANIFEST["configuration"]:
        assert f"| `{name}` |" in README


@pytest.mark.parametrize("text", [README, SHIPPED], ids=["repository", "shipped"])
def test_every_internal_link_points_at_a_heading(text):
    found = gen_readme.headings(text)
    targets = set(gen_readme.anchors(found))
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links
    assert sorted(set(links) - targets) == []


def test_the_contents_list_no_heading_of_the_repository_only_part():
    contents = README.split(gen_readme.MARKERS["contents"][0], 1)[1].split(gen_readme.MARKERS["contents"][1], 1)[0]
    assert "For developers" in README and "For developers" not in contents and "For developers" not in SHIPPED


# --- what the README says -----------------------------------------------------------------------------------------


def test_the_repository_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    developers = README.split(gen_readme.REPOSITORY_ONLY[0], 1)[1].split(gen_readme.REPOSITORY_ONLY[1], 1)[0]
    assert "make demo" in developers and "make test" in developers
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_the_shipped_readme_holds_nothing_developer_only_or_outside_the_repository():
    for text in ("bench/", "tools/", ".ci/", "../", "/work/", "phantom-sdk-stubs", "clicksend_sim", "DEVELOPMENT.md", "docs/"):
        assert text not in SHIPPED, text
    assert "source repository" not in SHIPPED and "`make" not in SHIPPED
    assert not re.search(r"\bmake (demo|test|package|readme|bench|venv|lint|fuzz|clean|splunk-checks)\b", SHIPPED)
    assert gen_readme.shipped(SHIPPED) == SHIPPED  # nothing left to strip


def test_no_benchmark_figures_in_the_readme():
    """Performance figures belong to DEVELOPMENT.md, next to the benchmark that produced them."""
    assert "## Performance" not in README
    quoted = [figure for row in _benchmark_rows() for figure in (row["before"], row["after"]) if re.fullmatch(r"[\d.]+ (s|MB)", figure or "")]
    assert quoted and [figure for figure in quoted if figure in README] == []


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
    begin, end = gen_readme.MARKERS["asset"]
    table = README.split(begin, 1)[1].split(end, 1)[0]
    for name, spec in MANIFEST["configuration"].items():
        if "default" in spec:
            row = next(line for line in table.splitlines() if line.startswith(f"| `{name}` |"))
            assert f"| {gen_readme._value(spec['default'])} |" in row


# rows of bench/RESULTS.md (by the start of their measure) whose figures DEVELOPMENT.md's "Current figures" quote
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
    section = DEVELOPMENT[DEVELOPMENT.index("### Current figures") :]
    section = section[: section.index("\n## ", 3)]
    for column in ("before", "after"):
        value = row[column]
        if not value:
            continue
        quoted = f"{value[:-1]} times" if re.fullmatch(r"[\d.]+x", value) else value
        assert quoted in section, f"DEVELOPMENT.md's current figures should quote {measure} ({column}) = {value} from the benchmark table"


def test_the_current_figures_quote_only_figures_of_the_table():
    results = ROOT / "bench" / "RESULTS.md"
    if not results.is_file():
        pytest.skip("no benchmark results in this checkout")
    table = results.read_text(encoding="utf-8").split("<!-- commentary", 1)[0]
    section = DEVELOPMENT[DEVELOPMENT.index("### Current figures") :]
    section = section[: section.index("\n## ", 3)]
    figures = set(FIGURE_RE.findall(section)) - {"100 ms"}
    times = {f"{value} times" for value in re.findall(r"([\d.]+)x", table)}
    missing = sorted(figure for figure in figures if figure not in table and f"{figure[:-1]} times" not in times)
    assert figures and not missing, f"DEVELOPMENT.md quotes figures the benchmark table does not hold: {missing}"


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
    for section in ("### Choosing a sender", "### Replies and thread markers", "## Known limits"):
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


def test_every_path_a_recipe_uses_is_a_data_path_of_its_action():
    """A playbook author copies `<action>_1:action_result.<path>` from the README: each must exist as written."""
    declared = {action["identifier"]: {o["data_path"] for o in action.get("output") or []} for action in MANIFEST["actions"]}
    used = re.findall(r"\b([a-z_]+)_\d+:(action_result\.[A-Za-z0-9_.*]+[A-Za-z0-9_*])", _hand_written_before_the_reference(SHIPPED))
    assert used, "the README's recipes should name the data paths they use"
    wrong = sorted({f"{identifier}_1:{path}" for identifier, path in used if path not in declared.get(identifier, set())})
    assert wrong == [], f"recipes use data paths their actions do not declare: {wrong}"

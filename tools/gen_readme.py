#!/usr/bin/env python3
"""Generate the parts of README.md that come from clicksend.json, so they cannot drift from the manifest.

python tools/gen_readme.py --write   # rewrite every generated part in place
python tools/gen_readme.py --check   # exit 1 when README.md is out of date

README.md holds three generated parts, each between a BEGIN and an END marker (see MARKERS); everything outside
them is hand-written and kept as it is:
- "contents": the table of contents, built from the README's own headings (level 2, and level 3 outside the
  action reference), so a new or renamed section appears there at the next `make readme`;
- "asset": the asset-configuration table, early in the README, with each field's default and accepted values;
- "reference": the action reference at the end: an index, then per action its description, parameters, summary
  fields and key data paths (every data path, with its example, stays in clicksend.json).
"""

from __future__ import annotations

import json
import pathlib
import re
import sys


ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import clicksend_consts as consts  # noqa: E402  (the app's limits: the accepted values below come from the code)


MARKERS = {
    "contents": (
        "<!-- BEGIN GENERATED CONTENTS: built from this file's headings by `make readme` -->",
        "<!-- END GENERATED CONTENTS -->",
    ),
    "asset": (
        "<!-- BEGIN GENERATED ASSET CONFIGURATION: edit clicksend.json and run `make readme` -->",
        "<!-- END GENERATED ASSET CONFIGURATION -->",
    ),
    "reference": (
        "<!-- BEGIN GENERATED REFERENCE: edit clicksend.json and run `make readme` -->",
        "<!-- END GENERATED REFERENCE -->",
    ),
}
ORDER = ("contents", "asset", "reference")  # the order the markers must appear in

# What each asset field accepts, as the app checks it (clicksend_params.settings_from_config; the contract test
# tests/contract/test_readme.py proves the numeric bounds against the code). A field not listed here gets a range
# read from its description ("1-8", "1 to 10000", "at most 300"), or nothing.
ACCEPTED = {
    "base_url": "an https URL; plain http only for localhost, 127.0.0.0/8 or ::1; no user, query or fragment",
    "to": "a phone number: E.164 (+...), or national in the default country",
    "default_from": (
        f"a phone number, a short code of {consts.SHORT_CODE_MIN}-{consts.SHORT_CODE_MAX} digits, or an alpha tag of "
        f"{consts.ALPHA_TAG_MIN}-{consts.ALPHA_TAG_MAX} letters and digits with at least one letter"
    ),
    "default_country": "an ISO 3166 alpha-2 code such as US, AU or GB",
    "verify_server_cert": "true or false",
    "timeout": f"seconds, more than 0 and at most {consts.MAX_TIMEOUT}",
    "max_messages_per_poll": "1 to 10000",
    "sms_part_limit": f"1 to {consts.SMS_MAX_PARTS}",
    "allowed_destinations": "comma-separated E.164 prefixes (+61, +1415) and ISO 3166 alpha-2 codes (AU)",
    "max_cost_per_action": "an amount above 0, in the account's currency",
}
# What the app does when a field without a manifest default is left empty
EMPTY_MEANS = {
    "to": "empty: no number is checked",
    "default_from": "empty: ClickSend picks the sender",
    "default_country": "empty: the account's default SMS country",
}
# Data paths every action has (listed once, above the reference) and so left out of each action's table
COMMON_PATHS = ("action_result.status", "action_result.message", "summary.total_objects", "summary.total_objects_successful")
EXAMPLE_CHARS = 40
# Besides summary fields and paths with a `contains` type, data paths ending in one of these are listed in the reference
KEY_FIELDS = ("status", "status_code", "is_final", "body", "custom_string", "received_time", "list_name")


class MarkerError(ValueError):
    """README.md lacks a marker pair, or has them out of order."""


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _value(value) -> str:
    """A manifest value as an admin types it: true/false in lower case, numbers and text as they are."""
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def _contains(spec: dict) -> str:
    return ", ".join(spec.get("contains", []))


def _range_from(description: str) -> str:
    text = description or ""
    match = re.search(r"\b(\d[\d,]*)\s*(?:-|–|to)\s*(\d[\d,]*)\b", text)
    if match:
        return f"{match.group(1)} to {match.group(2)}"
    match = re.search(r"\bat most (\d[\d,]*)", text)
    return f"at most {match.group(1)}" if match else ""


def _empty_from(description: str) -> str:
    """What an empty field means, when its description says so ("...; empty: no cap")."""
    match = re.search(r"\bempty: ([^;()]+)", description or "")
    return f"empty: {match.group(1).strip()}" if match else ""


def accepted(name: str, spec: dict) -> str:
    if name in ACCEPTED:
        return ACCEPTED[name]
    if spec.get("value_list"):
        return ", ".join(str(item) for item in spec["value_list"])
    if spec.get("data_type") == "boolean":
        return "true or false"
    return _range_from(spec.get("description", "")) if spec.get("data_type") == "numeric" else ""


def render_asset(manifest: dict) -> list:
    lines = [
        "| field | type | required | default | accepted values | description |",
        "|---|---|---|---|---|---|",
    ]
    for name, spec in sorted(manifest["configuration"].items(), key=lambda item: item[1].get("order", 0)):
        default = _value(spec["default"]) if "default" in spec else EMPTY_MEANS.get(name) or _empty_from(spec.get("description", ""))
        required = "yes" if spec.get("required") else "no"
        lines.append(
            f"| `{name}` | {spec['data_type']} | {required} | {_cell(default)} | {_cell(accepted(name, spec))} | "
            f"{_cell(spec.get('description'))} |"
        )
    return lines


# --- headings and anchors ---------------------------------------------------------------------------------------


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return text.replace(" ", "-")


def headings(text: str) -> list:
    """(level, title, line number) of every Markdown heading outside fenced code."""
    found = []
    fenced = False
    for number, line in enumerate(text.splitlines()):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        match = None if fenced else re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
        if match:
            found.append((len(match.group(1)), match.group(2), number))
    return found


def anchors(found: list) -> list:
    """The anchor of each heading, numbered as GitHub numbers repeated titles (-1, -2...)."""
    seen: dict = {}
    result = []
    for _level, title, _line in found:
        base = slug(title)
        count = seen.get(base, 0)
        result.append(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return result


def _anchor_map(text: str) -> dict:
    """Heading title -> anchor of its first occurrence (what a link to that title means)."""
    found = headings(text)
    mapping: dict = {}
    for (_level, title, _line), anchor in zip(found, anchors(found)):
        mapping.setdefault(title, anchor)
    return mapping


def render_contents(text: str) -> list:
    """The table of contents: level-2 headings, and level-3 headings outside the generated action reference (whose
    own index lists the actions). The title above the contents is left out."""
    begin, end = MARKERS["reference"]
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line == begin), len(lines))
    stop = next((i for i, line in enumerate(lines) if line == end), len(lines))
    found = headings(text)
    items = []
    for (level, title, line), anchor in zip(found, anchors(found)):
        if level == 1 or level > 3 or title.lower() == "contents":
            continue
        if level == 3 and start < line < stop:
            continue
        items.append(f"{'  ' * (level - 2)}- [{title.replace('`', '')}](#{anchor})")
    return items


# --- action reference -------------------------------------------------------------------------------------------


def _example(spec: dict) -> str:
    examples = spec.get("example_values") or []
    if not examples:
        return ""
    text = json.dumps(examples[0], ensure_ascii=False)
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


def _parameter_rows(params: dict) -> list:
    lines = ["| parameter | required | type | contains | default | description |", "|---|---|---|---|---|---|"]
    for name, spec in sorted(params.items(), key=lambda item: item[1].get("order", 0)):
        required = "yes" if spec.get("required") else "no"
        description = spec.get("description") or ""
        if spec.get("value_list"):
            description += f". One of: {', '.join(str(item) for item in spec['value_list'])}"
        lines.append(
            f"| `{name}` | {required} | {spec['data_type']} | {_contains(spec)} | {_cell(_value(spec.get('default')))} | "
            f"{_cell(description)} |"
        )
    return lines


def is_key_path(path: str) -> bool:
    """A data path the reference lists: a summary field, a path with a `contains` type (what contextual actions and
    playbooks chain on), or one of the KEY_FIELDS."""
    return path.startswith("action_result.summary.") or path.rsplit(".", 1)[-1] in KEY_FIELDS


def _output_rows(outputs: list) -> list:
    paths = [spec for spec in outputs if spec["data_path"] not in COMMON_PATHS and not spec["data_path"].startswith("action_result.parameter.")]
    key = [spec for spec in paths if spec.get("contains") or is_key_path(spec["data_path"])]
    if not key:
        return []
    more = len(paths) - len(key)
    where = "; all of them, with examples, are in `clicksend.json`" if more else ""
    lines = ["", f"Key data paths ({len(key)} of {len(paths)}{where}):", ""]
    lines += ["| data path | type | contains | example |", "|---|---|---|---|"]
    for spec in key:
        lines.append(f"| `{spec['data_path']}` | {spec['data_type']} | {_contains(spec)} | {_cell(_example(spec))} |")
    return lines


def render_reference(manifest: dict, anchor_of: dict) -> list:
    lines = [
        "## Action reference",
        "",
        "Generated from the app's manifest, `clicksend.json`. For each action this lists its parameters and its key data",
        "paths: the summary, the paths with a `contains` type that other actions accept, and statuses, texts and",
        "markers. SOAR's playbook editor offers every path, and `clicksend.json` lists them all with examples.",
        "Besides the paths listed, every action but test connectivity and on poll has",
        "`action_result.status`, `action_result.message`, `summary.total_objects` and `summary.total_objects_successful`,",
        "and `action_result.parameter.<name>` for each of its parameters.",
        "",
        "| action | identifier | type | read only | what it does |",
        "|---|---|---|---|---|",
    ]
    for action in manifest["actions"]:
        name = action["action"]
        link = f"[{name}](#{anchor_of.get(name, slug(name))})"
        read_only = str(action["read_only"]).lower()
        lines.append(f"| {link} | `{action['identifier']}` | {action['type']} | {read_only} | {_cell(action['description'])} |")
    for action in manifest["actions"]:
        lines += ["", f"### {action['action']}", "", f"{action['description']}."]
        if action.get("verbose"):
            lines += ["", action["verbose"]]
        params = action.get("parameters") or {}
        if params:
            lines += ["", *_parameter_rows(params)]
        lines += _output_rows(action.get("output") or [])
    return lines


# --- the README -------------------------------------------------------------------------------------------------


def _check_markers(readme: str) -> None:
    positions = []
    for part in ORDER:
        begin, end = MARKERS[part]
        if readme.count(begin) != 1 or readme.count(end) != 1:
            raise MarkerError(f"README.md needs exactly one of each marker of the generated {part} part: {begin} ... {end}")
        if readme.index(begin) > readme.index(end):
            raise MarkerError(f"README.md has the end marker of the generated {part} part before its begin marker")
        positions.append(readme.index(begin))
    if positions != sorted(positions):
        raise MarkerError(f"README.md's generated parts must come in this order: {', '.join(ORDER)}")


def _replace(readme: str, part: str, lines: list) -> str:
    begin, end = MARKERS[part]
    head, _, rest = readme.partition(begin)
    _, _, tail = rest.partition(end)
    body = "\n".join(lines)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def updated(readme: str, manifest: dict) -> str:
    """README.md with every generated part rebuilt from the manifest (and the contents from the headings)."""
    _check_markers(readme)
    text = _replace(readme, "asset", render_asset(manifest))
    text = _replace(text, "reference", render_reference(manifest, {}))
    text = _replace(text, "reference", render_reference(manifest, _anchor_map(text)))  # headings are final: link them
    return _replace(text, "contents", render_contents(text))


def main(argv: list) -> int:
    manifest = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    try:
        new = updated(readme, manifest)
    except MarkerError as err:
        print(err)
        return 1
    if "--write" in argv:
        if new != readme:
            path.write_text(new, encoding="utf-8")
        return 0
    if new != readme:
        print("README.md is out of date with clicksend.json or its own headings: run `make readme`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

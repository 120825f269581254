#!/usr/bin/env python3
"""Generate the parts of README.md that come from clicksend.json, so they cannot drift from the manifest.

python tools/gen_readme.py --write   # rewrite every generated part in place
python tools/gen_readme.py --check   # exit 1 when README.md is out of date

README.md holds four generated parts, each between a BEGIN and an END marker (see MARKERS); everything outside
them is hand-written and kept as it is:
- "header": Splunk's standard header (publisher, connector version, product vendor and name, minimum SOAR version)
  and the app's description;
- "contents": the table of contents, built from the README's own headings (level 2, and level 3 outside the
  action reference; headings of the repository-only part are left out, as the package leaves that part out);
- "asset": the asset fields, grouped as the form shows them (GROUPS), each with its default, accepted values and the
  rules kept in RULES;
- "reference": the action reference at the end: an index, then per action its description, parameters and every
  data path with its type, contains types and an example, as Splunk's generated READMEs list them.

One more part is hand-written but marked (REPOSITORY_ONLY): the developers' section, which tools/build_package.py
leaves out of the README it ships (see shipped()). The markers that ship name no developer tool.
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
    "header": ("<!-- BEGIN GENERATED HEADER: from clicksend.json -->", "<!-- END GENERATED HEADER -->"),
    "contents": ("<!-- BEGIN GENERATED CONTENTS: from the headings below -->", "<!-- END GENERATED CONTENTS -->"),
    "asset": ("<!-- BEGIN GENERATED ASSET CONFIGURATION: from clicksend.json -->", "<!-- END GENERATED ASSET CONFIGURATION -->"),
    "reference": ("<!-- BEGIN GENERATED REFERENCE: from clicksend.json -->", "<!-- END GENERATED REFERENCE -->"),
}
ORDER = ("header", "contents", "reference", "asset")  # the order the markers must appear in (the asset table last, as Splunk's do)
# The developers' section of the repository's README: the package build leaves it out (with its markers)
REPOSITORY_ONLY = (
    "<!-- BEGIN REPOSITORY ONLY: tools/build_package.py leaves this part out of the README it ships -->",
    "<!-- END REPOSITORY ONLY -->",
)

# The asset form's groups, in order: (title, the group's first field). A field belongs to the group of the last group
# start at or before its `order`, so a field added at the end of a group needs no change here.
# tests/contract/test_asset_form.py holds the manifest to these groups.
GROUPS = (
    ("Connection and credentials", "base_url"),
    ("TLS and timeout", "verify_server_cert"),
    ("Sending defaults", "default_from"),
    ("Guard rails", "allowed_destinations"),
    ("Ingestion", "max_messages_per_poll"),
)

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
    "max_recipients_per_action": f"1 to {consts.MAX_RECIPIENTS_PER_ACTION}",
}
# What the app does when a field without a manifest default is left empty
EMPTY_MEANS = {
    "to": "empty: no number is checked",
    "default_from": "empty: ClickSend picks the sender",
    "default_country": "empty: the account's default SMS country",
    "allowed_destinations": "empty: any destination",
    "max_cost_per_action": "empty: no cap",
}
# The rules of a field, beyond its label and accepted values: what an administrator needs to set it (the form shows
# only the label). Hand-kept; a field without an entry has none.
RULES = {
    "to": "Test connectivity checks that ClickSend would send to it, with a price estimate; nothing is sent or charged.",
    "verify_server_cert": "Leave it on. When it is off, every action logs a warning and test connectivity reports it.",
    "timeout": (
        "Covers connecting, sending and reading the whole answer. Reads are tried up to 4 times, so one request lasts "
        "at most 4 × timeout + 60 s."
    ),
    "default_from": "Replies and approvals need a dedicated number; MMS needs a sender. See [Choosing a sender](#choosing-a-sender).",
    "default_country": (
        "Used only for numbers without `+`. Empty: the account's default SMS country, as ClickSend itself uses; run test "
        "connectivity after changing it at ClickSend."
    ),
    "sms_part_limit": (
        f"ClickSend cuts an SMS beyond the account's limit without warning: {consts.SMS_DEFAULT_PARTS} parts unless ClickSend "
        "raised it. The app refuses a longer message instead."
    ),
    "allowed_destinations": (
        "Send message, send mms, send voice message and calculate price refuse any other recipient before anything is "
        "sent; a contact list is read by the app to check its numbers."
    ),
    "max_cost_per_action": "Each send is priced first and refused when its total is higher; empty: no price request.",
    "max_recipients_per_action": "Numbers plus contact list members; a larger send is refused before anything is sent.",
    "max_messages_per_poll": "The rest wait for the next poll. Poll Now takes its container count instead.",
    "extract_indicators": "On poll saves an artifact per indicator; list inbound messages lists them.",
    "reply_triggers_playbooks": (
        "Off: only a new container's last artifact starts playbooks, and delivery receipts never do. On: a reply on poll"
        " adds to an existing container runs its active playbooks again, which must then be re-entrant."
    ),
}
EXAMPLE_CHARS = 40


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


def _range_from(description: str) -> str:
    text = description or ""
    match = re.search(r"\b(\d[\d,]*)\s*(?:-|–|to)\s*(\d[\d,]*)\b", text)
    if match:
        return f"{match.group(1)} to {match.group(2)}"
    match = re.search(r"\bat most (\d[\d,]*)", text)
    return f"at most {match.group(1)}" if match else ""


def accepted(name: str, spec: dict) -> str:
    if name in ACCEPTED:
        return ACCEPTED[name]
    if spec.get("value_list"):
        return ", ".join(str(item) for item in spec["value_list"])
    if spec.get("data_type") == "boolean":
        return "true or false"
    return _range_from(spec.get("description", "")) if spec.get("data_type") == "numeric" else ""


def group_of(manifest: dict) -> dict:
    """field -> the title of its group: the last group whose first field comes at or before it in the form."""
    config = manifest["configuration"]
    starts = sorted((config[first].get("order", 0), title) for title, first in GROUPS if first in config)
    groups = {}
    for name, spec in config.items():
        before = [title for order, title in starts if order <= spec.get("order", 0)]
        groups[name] = before[-1] if before else GROUPS[0][0]
    return groups


def render_asset(manifest: dict) -> list:
    groups = group_of(manifest)
    lines: list = []
    current = None
    for name, spec in sorted(manifest["configuration"].items(), key=lambda item: item[1].get("order", 0)):
        if groups[name] != current:
            current = groups[name]
            lines += ["" if lines else None, f"**{current}**", "", "| field | type | required | default | label | accepted values and rules |"]
            lines.append("|---|---|---|---|---|---|")
        default = _value(spec["default"]) if "default" in spec else EMPTY_MEANS.get(name, "")
        required = "yes" if spec.get("required") else "no"
        rules = " ".join(part for part in (_sentence(accepted(name, spec)), RULES.get(name, "")) if part)
        lines.append(
            f"| `{name}` | {spec['data_type']} | {required} | {_cell(default)} | {_cell(spec.get('description'))} | {_cell(rules)} |"
        )
    return [line for line in lines if line is not None]


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}." if text else ""


def render_header(manifest: dict) -> list:
    """Splunk's standard header, then what the app does."""
    return [
        f"Publisher: {manifest['publisher']} <br>",
        f"Connector Version: {manifest['app_version']} <br>",
        f"Product Vendor: {manifest['product_vendor']} <br>",
        f"Product Name: {manifest['product_name']} <br>",
        f"Minimum Product Version: {manifest['min_phantom_version']}",
        "",
        f"{manifest['description']}.",
    ]


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


def _span(lines: list, markers: tuple) -> range:
    """The line numbers between a pair of markers (empty when they are missing)."""
    begin, end = markers
    start = next((i for i, line in enumerate(lines) if line == begin), len(lines))
    stop = next((i for i, line in enumerate(lines) if line == end), len(lines))
    return range(start + 1, stop)


def render_contents(text: str) -> list:
    """The table of contents: level-2 headings, and level-3 headings outside the generated action reference (whose
    own index lists the actions). The title above the contents, and the repository-only part, are left out."""
    lines = text.splitlines()
    reference = _span(lines, MARKERS["reference"])
    repository_only = _span(lines, REPOSITORY_ONLY)
    found = headings(text)
    items = []
    for (level, title, line), anchor in zip(found, anchors(found)):
        if level == 1 or level > 3 or title.lower() == "contents" or line in repository_only:
            continue
        if level == 3 and line in reference:
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


def _contains_cell(spec: dict) -> str:
    return " ".join(f"`{kind}`" for kind in spec.get("contains", []))


def _parameter_rows(params: dict) -> list:
    lines = ["| parameter | required | type | contains | default | description |", "|---|---|---|---|---|---|"]
    for name, spec in sorted(params.items(), key=lambda item: item[1].get("order", 0)):
        required = "yes" if spec.get("required") else "no"
        description = spec.get("description") or ""
        if spec.get("value_list"):
            description += f". One of: {', '.join(str(item) for item in spec['value_list'])}"
        lines.append(
            f"| `{name}` | {required} | {spec['data_type']} | {_contains_cell(spec)} | {_cell(_value(spec.get('default')))} | "
            f"{_cell(description)} |"
        )
    return lines


def _output_rows(outputs: list) -> list:
    """Every data path the action declares, in the manifest's order, as Splunk's generated READMEs list them."""
    if not outputs:
        return ["", "**Output:** none."]
    lines = ["", "**Output:**", "", "| data path | type | contains | example |", "|---|---|---|---|"]
    for spec in outputs:
        lines.append(f"| `{spec['data_path']}` | {spec['data_type']} | {_contains_cell(spec)} | {_cell(_example(spec))} |")
    return lines


def render_reference(manifest: dict, anchor_of: dict) -> list:
    lines = [
        "## Action reference",
        "",
        "Generated from the app's manifest. For each action: its type, its parameters, and every data path it",
        "produces with its type, its contains types (what contextual actions and other apps accept) and an example.",
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
        read_only = str(action["read_only"]).lower()
        lines += ["", f"### {action['action']}", "", f"{action['description']}.", ""]
        lines += [f"Identifier: `{action['identifier']}` <br>", f"Type: **{action['type']}** <br>", f"Read only: **{read_only}**"]
        if action.get("verbose"):
            lines += ["", action["verbose"]]
        params = action.get("parameters") or {}
        lines += ["", "**Parameters:**", "", *_parameter_rows(params)] if params else ["", "**Parameters:** none."]
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
    text = _replace(readme, "header", render_header(manifest))
    text = _replace(text, "asset", render_asset(manifest))
    text = _replace(text, "reference", render_reference(manifest, {}))
    text = _replace(text, "reference", render_reference(manifest, _anchor_map(text)))  # headings are final: link them
    return _replace(text, "contents", render_contents(text))


def shipped(readme: str) -> str:
    """The README the package ships: the repository's, without its repository-only part (markers included)."""
    begin, end = REPOSITORY_ONLY
    if readme.count(begin) != readme.count(end) or readme.count(begin) > 1:
        raise MarkerError(f"README.md needs at most one repository-only part, with both markers: {begin} ... {end}")
    if begin not in readme:
        return readme
    head, _, rest = readme.partition(begin)
    _, _, tail = rest.partition(end)
    return head.rstrip("\n") + "\n\n" + tail.lstrip("\n")


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

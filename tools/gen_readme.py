#!/usr/bin/env python3
"""Generate the reference part of README.md (asset fields, actions, parameters, data paths) from clicksend.json.

python tools/gen_readme.py --write   # rewrite the part between the markers
python tools/gen_readme.py --check   # exit 1 when README.md is out of date
"""

import json
import pathlib
import sys


ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN = "<!-- BEGIN GENERATED REFERENCE: edit clicksend.json and run `make readme` -->"
END = "<!-- END GENERATED REFERENCE -->"


def _cell(value):
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _contains(spec):
    return ", ".join(spec.get("contains", []))


def render(manifest):
    lines = ["## Asset configuration", "", "| field | type | required | default | description |", "|---|---|---|---|---|"]
    for name, spec in sorted(manifest["configuration"].items(), key=lambda item: item[1]["order"]):
        default = spec.get("default", "")
        required = "yes" if spec.get("required") else "no"
        lines.append(f"| `{name}` | {spec['data_type']} | {required} | {_cell(default)} | {_cell(spec.get('description'))} |")
    lines += ["", "## Actions", ""]
    for action in manifest["actions"]:
        lines.append(f"- [{action['action']}](#{action['action'].replace(' ', '-')}): {action['description']}")
    for action in manifest["actions"]:
        lines += ["", f"### {action['action']}", "", f"{action['description']}.", ""]
        lines.append(f"Identifier `{action['identifier']}`, type **{action['type']}**, read only: {str(action['read_only']).lower()}.")
        if action.get("verbose"):
            lines += ["", action["verbose"]]
        params = action.get("parameters") or {}
        if params:
            lines += ["", "| parameter | required | type | contains | description |", "|---|---|---|---|---|"]
            for name, spec in sorted(params.items(), key=lambda item: item[1].get("order", 0)):
                required = "yes" if spec.get("required") else "no"
                lines.append(f"| `{name}` | {required} | {spec['data_type']} | {_contains(spec)} | {_cell(spec.get('description'))} |")
        outputs = action.get("output") or []
        if outputs:
            lines += ["", "| data path | type | contains | example |", "|---|---|---|---|"]
            for spec in outputs:
                example = spec.get("example_values", [])
                lines.append(
                    f"| `{spec['data_path']}` | {spec['data_type']} | {_contains(spec)} | {_cell(json.dumps(example[0]) if example else '')} |"
                )
    return "\n".join(lines)


def updated(readme, manifest):
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{render(manifest)}\n{END}{tail}"


def main(argv):
    manifest = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        print("README.md lacks the generated-reference markers")
        return 1
    new = updated(readme, manifest)
    if "--write" in argv:
        path.write_text(new, encoding="utf-8")
        return 0
    if new != readme:
        print("README.md is out of date with clicksend.json: run `make readme`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The README's reference part is generated from clicksend.json and must not drift; its set-up commands exist."""

import pathlib
import re

from tools import gen_readme


ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_readme_reference_matches_the_manifest():
    import json

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    manifest = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
    assert gen_readme.updated(readme, manifest) == readme, "README.md is stale: run `make readme`"


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_every_manifest_action_is_documented():
    import json

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for action in json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))["actions"]:
        assert f"### {action['action']}" in readme

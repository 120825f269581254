"""clicksend.tgz: exactly the app's files, reproducible, and it installs and runs on its own.

The install test unpacks the package into an empty folder, makes a fresh virtualenv per declared Python version
(the real interpreters from pyenv when the machine has them, else the current one), installs ONLY the wheels the
package declares plus requests and phantom-sdk-stubs (what SOAR itself provides), then runs test connectivity from
the unpacked folder against the simulator, in a subprocess that cannot see this repository.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile

import build_package
import check_compat
import gen_readme
import pytest

from tests.conftest import MANIFEST, ROOT, sim_config


APP = "clicksend"
WHEEL_KEYS = ("pip39_dependencies", "pip313_dependencies")
DECLARED_WHEELS = sorted({dep["input_file"] for key in WHEEL_KEYS for dep in MANIFEST.get(key, {}).get("wheel", [])})
DEV_ONLY_MARKERS = ("tests/", "tools/", "bench/", "__pycache__", ".pyc", "phantom", "stubs", "conftest", ".venv", "Makefile", "pyproject")


def expected_files(root=ROOT):
    """The packaging rule, written out: app folder -> manifest, __init__, modules, declared wheels, logos, docs."""
    files = {"clicksend.json", "__init__.py", "LICENSE", "README.md", MANIFEST["logo"], MANIFEST["logo_dark"]}
    files |= {p.name for p in root.glob("clicksend_*.py")}
    files |= {f"release_notes/{p.name}" for p in (root / "release_notes").glob("*.md") if p.name != "unreleased.md"}
    files |= set(DECLARED_WHEELS)
    return {f"{APP}/{name}" for name in files}


def parent_folders(names):
    folders = set()
    for name in names:
        parts = name.split("/")[:-1]
        folders |= {"/".join(parts[: i + 1]) for i in range(len(parts))}
    return folders


def members(package):
    with tarfile.open(package) as tar:
        return tar.getmembers()


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return build_package.build(ROOT, tmp_path_factory.mktemp("build") / "clicksend.tgz")


# --- what is inside ---------------------------------------------------------------------------------------------


def test_files_are_exactly_the_app_files(package):
    shipped = {m.name for m in members(package) if m.isfile()}
    assert sorted(shipped - expected_files()) == [], "shipped but not part of the app"
    assert sorted(expected_files() - shipped) == [], "part of the app but not shipped"


def test_folders_are_only_the_parents_of_shipped_files(package):
    found = members(package)
    assert all(m.isfile() or m.isdir() for m in found), [m.name for m in found if not (m.isfile() or m.isdir())]
    assert {m.name for m in found if m.isdir()} == parent_folders(m.name for m in found if m.isfile()) | {APP}


def test_one_top_level_app_folder_with_one_manifest(package):
    names = [m.name for m in members(package)]
    assert {name.split("/")[0] for name in names} == {APP}
    assert [n for n in names if n.count("/") == 1 and n.endswith(".json")] == [f"{APP}/clicksend.json"]
    assert f"{APP}/__init__.py" in names
    assert f"{APP}/{MANIFEST['main_module']}" in names


def test_wheels_folder_holds_exactly_the_declared_wheels(package):
    wheels = sorted(m.name for m in members(package) if m.isfile() and m.name.startswith(f"{APP}/wheels/"))
    assert wheels == [f"{APP}/{path}" for path in DECLARED_WHEELS]


def test_nothing_development_only_ships(package):
    offending = [m.name for m in members(package) if any(marker in m.name for marker in DEV_ONLY_MARKERS)]
    assert offending == []


def test_shipped_files_are_the_repository_files(package):
    with tarfile.open(package) as tar:
        for name in ("clicksend.json", MANIFEST["main_module"], *DECLARED_WHEELS):
            assert tar.extractfile(f"{APP}/{name}").read() == (ROOT / name).read_bytes(), name


def shipped_text(package, name):
    with tarfile.open(package) as tar:
        return tar.extractfile(f"{APP}/{name}").read().decode("utf-8")


def test_release_notes_ship_per_version_and_never_unreleased(package):
    notes = sorted(m.name for m in members(package) if m.isfile() and m.name.startswith(f"{APP}/release_notes/"))
    assert f"{APP}/release_notes/unreleased.md" not in notes
    assert f"{APP}/release_notes/{MANIFEST['app_version']}.md" in notes, "the version being shipped has no release notes"
    assert all(re.fullmatch(rf"{APP}/release_notes/\d+\.\d+\.\d+\.md", note) for note in notes), notes


def make_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M)))


def test_the_shipped_readme_is_for_administrators_only(package):
    """The README inside the package is the repository's without its developers' section: it never points at
    DEVELOPMENT.md, docs/, make or the source repository."""
    readme = shipped_text(package, "README.md")
    assert readme == gen_readme.shipped((ROOT / "README.md").read_text(encoding="utf-8"))
    assert gen_readme.REPOSITORY_ONLY[0] not in readme and gen_readme.REPOSITORY_ONLY[1] not in readme
    assert make_targets(), "the Makefile's targets could not be read"
    found = [word for word in ("DEVELOPMENT.md", "docs/", "Makefile", "`make", "source repository", "tools/", "bench/") if word in readme]
    found += [f"make {target}" for target in make_targets() if re.search(rf"\bmake {re.escape(target)}\b", readme)]
    assert found == []
    assert "make demo" in (ROOT / "README.md").read_text(encoding="utf-8"), "the repository's README keeps the developers' commands"


def test_build_fails_on_a_readme_whose_repository_only_part_is_unclosed(app_copy, tmp_path):
    readme = app_copy / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(gen_readme.REPOSITORY_ONLY[1], ""), encoding="utf-8")
    with pytest.raises(build_package.BuildError, match="repository-only part"):
        build_package.build(app_copy, tmp_path / "out.tgz")


def test_build_is_reproducible(package, tmp_path):
    again = build_package.build(ROOT, tmp_path / "again.tgz")
    assert again.read_bytes() == package.read_bytes()
    names = [m.name for m in members(package)]
    assert names == sorted(names)
    for member in members(package):
        assert (member.uid, member.gid, member.mtime) == (0, 0, build_package.MTIME), member.name
        assert member.mode == (0o755 if member.isdir() else 0o644), member.name


# --- the builder refuses a broken app -----------------------------------------------------------------------------


def _declare_wheel(root, input_file):
    manifest = json.loads((root / "clicksend.json").read_text(encoding="utf-8"))
    manifest["pip313_dependencies"]["wheel"].append({"module": "missingdist", "input_file": input_file})
    (root / "clicksend.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_build_fails_on_a_declared_wheel_that_is_missing(app_copy, tmp_path):
    _declare_wheel(app_copy, "wheels/py313/missingdist-1.0-py3-none-any.whl")
    with pytest.raises(build_package.BuildError, match=r"wheels/py313/missingdist-1\.0-py3-none-any\.whl"):
        build_package.build(app_copy, tmp_path / "out.tgz")
    assert not (tmp_path / "out.tgz").exists()


def test_build_fails_on_a_module_that_does_not_compile(app_copy, tmp_path):
    (app_copy / "clicksend_broken.py").write_text("def broken(:\n", encoding="utf-8")
    with pytest.raises(build_package.BuildError, match=r"clicksend_broken\.py:1: does not compile"):
        build_package.build(app_copy, tmp_path / "out.tgz")


def test_build_leaves_out_files_that_are_not_part_of_the_app(app_copy, tmp_path):
    for junk in ("tests/test_x.py", "wheels/shared/undeclared-1.0-py3-none-any.whl", "__pycache__/x.cpython-311.pyc", "notes.txt"):
        (app_copy / junk).parent.mkdir(parents=True, exist_ok=True)
        (app_copy / junk).write_bytes(b"x")
    package = build_package.build(app_copy, tmp_path / "out.tgz")
    assert {m.name for m in members(package) if m.isfile()} == expected_files(app_copy)


# --- the unpacked package runs on its own --------------------------------------------------------------------------


def declared_interpreters():
    """One interpreter per Python version the manifest declares, when pyenv has it; else the current one."""
    versions = [v.strip() for v in str(MANIFEST["python_version"]).split(",")]
    found = [(v, check_compat.pyenv_python(v)) for v in versions]
    found = [(v, str(python)) for v, python in found if python]
    return found or [(f"{sys.version_info.major}.{sys.version_info.minor}", sys.executable)]


@pytest.fixture(scope="module", params=declared_interpreters(), ids=lambda item: f"py{item[0]}")
def installed(request, package, tmp_path_factory):
    """(venv python, unpacked app folder): the package unpacked into an empty folder and its wheels installed."""
    _, interpreter = request.param
    work = tmp_path_factory.mktemp("install")
    unpacked = work / "unpacked"
    unpacked.mkdir()
    assert list(unpacked.iterdir()) == []
    with tarfile.open(package) as tar:
        tar.extractall(unpacked, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))  # noqa: S202 (our own archive)
    app = unpacked / APP
    stubs = work / "phantom-sdk-stubs"  # a copy: building in place would leave build/ in the repository
    shutil.copytree(ROOT / "tools" / "phantom-sdk-stubs", stubs, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))
    venv = work / "venv"
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True, capture_output=True)  # noqa: S603
    python = venv / "bin" / "python"
    wheels = [str(app / path) for path in DECLARED_WHEELS]
    pip = subprocess.run(  # noqa: S603
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wheels, "requests", str(stubs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    return python, app


RUN_IN_PACKAGE = """
import json, sys
import clicksend_connector, phonenumbers, phantom, requests
from phantom_sdk_stubs import FakePlatform
platform = FakePlatform(home=sys.argv[1])
out = platform.run(clicksend_connector.ClickSendConnector, "test_connectivity", parameters=[{}], config=json.loads(sys.argv[2]), asset_id="1")
files = sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())} - {""})
print(json.dumps({"out": out, "version": list(sys.version_info[:2]), "files": files,
                  "where": {m.__name__: m.__file__ for m in (clicksend_connector, phonenumbers, phantom, requests)}}))
"""


def _clean_env():
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}}
    env.update(PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return env


def test_unpacked_package_runs_test_connectivity_from_a_fresh_virtualenv(installed, sim, tmp_path, request):
    python, app = installed
    config = sim_config(sim, to="0411 111 111")  # default_country AU: exercises the phonenumbers wheel
    run = subprocess.run(  # noqa: S603
        [str(python), "-c", RUN_IN_PACKAGE, str(tmp_path / "soar"), json.dumps(config)],
        cwd=app,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    result = report["out"]["result_data"][0]
    assert (report["out"]["status"], result["status"]) == ("success", "success"), result["message"]
    assert "Connected to ClickSend as" in result["message"]
    assert "test number +61411111111 is routable" in result["message"]
    venv = python.parent.parent.resolve()
    where = {name: pathlib.Path(path).resolve() for name, path in report["where"].items()}
    assert where["clicksend_connector"].parent == app.resolve()
    assert all(venv in where[name].parents for name in ("phonenumbers", "phantom", "requests")), where
    assert [f for f in report["files"] if str(ROOT) in str(pathlib.Path(f).resolve())] == [], "the run saw the repository"
    requests_made = sorted((r["method"], r["path"]) for r in sim.requests)
    assert requests_made == [
        ("GET", "/v3/account"),
        ("GET", "/v3/automations/sms/inbound"),
        ("GET", "/v3/automations/sms/receipts"),
        ("POST", "/v3/sms/price"),
    ]


EXTRACT_IN_PACKAGE = """
import json, socket, sys
def no_network(*args, **kwargs):
    raise OSError("no network for indicators")
socket.socket = socket.create_connection = socket.getaddrinfo = no_network
import clicksend_indicators, idna, publicsuffixlist
found = [list(i[:2]) for i in clicksend_indicators.extract(sys.argv[1])]
print(json.dumps({"found": found, "where": [publicsuffixlist.__file__, idna.__file__]}))
"""


def test_unpacked_package_extracts_indicators_with_its_own_wheels_offline(installed):
    """The public suffix list comes from the declared wheel, installed in the fresh virtualenv, and is never fetched;
    hosts are mapped with the idna package that requests brings."""
    python, app = installed
    body = "Pay at paypal-verify.com or secure-login.ru/x; not readme.md; ｅｖｉｌ．com пример.рф/x"
    run = subprocess.run(  # noqa: S603
        [str(python), "-c", EXTRACT_IN_PACKAGE, body], cwd=app, env=_clean_env(), capture_output=True, text=True, check=False, timeout=120
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["found"] == [
        ["domain", "paypal-verify.com"],
        ["url", "http://secure-login.ru/x"],
        ["domain", "secure-login.ru"],
        ["domain", "evil.com"],
        ["url", "http://xn--e1afmkfd.xn--p1ai/x"],
        ["domain", "xn--e1afmkfd.xn--p1ai"],
    ]
    assert all(python.parent.parent.resolve() in pathlib.Path(where).resolve().parents for where in report["where"])


def test_unpacked_package_passes_the_compat_check(installed):
    """Nothing shipped imports a development-only package, judged on the unpacked package itself."""
    _, app = installed
    assert list(check_compat.problems(app)) == []
    assert check_compat.compile_on_real_39(app) == []

"""requirements.txt, the manifest's wheel lists and wheels/ name the same runtime dependencies at the same versions.

Splunk's tooling reads requirements.txt: soar-app-linter installs from it before running pylint (without it the linter
reports E0401 for `phonenumbers`), and dev-cicd-tools' package-app-dependencies hook rebuilds wheels/ and the
pip39_dependencies/pip313_dependencies lists from it. SOAR itself installs only the wheels the manifest declares.
So the three must agree:
- every line of requirements.txt pins one distribution exactly (name==version), sorted by name, no repeats;
- each of pip39_dependencies and pip313_dependencies declares exactly those distributions at exactly those versions,
  read from the wheel file names (the manifest's `module` must be the wheel's distribution);
- every declared wheel file exists under wheels/ and its metadata says the same name and version as its file name;
- nothing SOAR already provides (requests, urllib3, ...) is listed: Splunk's packager would drop its wheel anyway.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import zipfile

import pytest

from tests.conftest import ROOT


MANIFEST_NAME = "clicksend.json"
WHEEL_KEYS = ("pip39_dependencies", "pip313_dependencies")
# Distributions the SOAR platform ships to every app; dev-cicd-tools' packager never bundles their wheels.
PROVIDED_BY_SOAR = {
    "beautifulsoup4",
    "certifi",
    "charset-normalizer",
    "idna",
    "parse",
    "python-dateutil",
    "requests",
    "sh",
    "six",
    "soupsieve",
    "urllib3",
    "xmltodict",
}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*(?P<version>[A-Za-z0-9][A-Za-z0-9.+!_-]*)$")


def canonical(name: str) -> str:
    """A distribution name as pip compares it (PEP 503): case, '-', '_' and '.' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(text: str) -> dict:
    """canonical name -> version, from requirements.txt text; ValueError for any line that is not an exact pin."""
    pins, order = {}, []
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        match = PIN.match(line)
        if not match:
            raise ValueError(f"requirements.txt line {number}: {line!r} is not an exact pin (name==version)")
        name = canonical(match["name"])
        if name in pins:
            raise ValueError(f"requirements.txt line {number}: {match['name']} is listed twice")
        pins[name] = match["version"]
        order.append(name)
    if order != sorted(order):
        raise ValueError(f"requirements.txt is not sorted by name ({', '.join(order)}); Splunk's requirements-txt-fixer would reorder it")
    return pins


def parse_wheel_name(file_name: str) -> tuple:
    """(canonical distribution, version) from a wheel file name: name-version[-build]-python-abi-platform.whl."""
    if not file_name.endswith(".whl"):
        raise ValueError(f"{file_name} is not a wheel file name")
    parts = file_name[: -len(".whl")].split("-")
    if len(parts) not in (5, 6):
        raise ValueError(f"{file_name} is not a wheel file name (name-version[-build]-python-abi-platform.whl)")
    return canonical(parts[0]), parts[1]


def declared_pins(manifest: dict, key: str) -> dict:
    """canonical name -> version of the wheels one pip3x_dependencies list declares; ValueError if an entry is inconsistent."""
    pins = {}
    for entry in manifest.get(key, {}).get("wheel", []):
        name, version = parse_wheel_name(pathlib.PurePosixPath(entry["input_file"]).name)
        if canonical(entry["module"]) != name:
            raise ValueError(f"{key}: module {entry['module']!r} is not the distribution of its wheel {entry['input_file']}")
        if name in pins:
            raise ValueError(f"{key}: {name} is declared twice")
        pins[name] = version
    return pins


def drift(requirements: dict, declared: dict, where: str) -> list:
    """What differs between requirements.txt's pins and one manifest wheel list (both canonical name -> version)."""
    found = []
    for name in sorted(set(requirements) | set(declared)):
        wanted, shipped = requirements.get(name), declared.get(name)
        if shipped is None:
            found.append(f"{name}=={wanted} is in requirements.txt but {where} declares no wheel for it")
        elif wanted is None:
            found.append(f"{where} declares {name} {shipped} but requirements.txt does not list it")
        elif wanted != shipped:
            found.append(f"{name}: requirements.txt pins {wanted} but {where} declares {shipped}")
    return found


def wheel_metadata(path: pathlib.Path) -> tuple:
    """(canonical Name, Version) from the METADATA inside a wheel."""
    with zipfile.ZipFile(path) as archive:
        metadata = next(n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        fields = dict(line.split(": ", 1) for line in archive.read(metadata).decode("utf-8").split("\n\n", 1)[0].splitlines() if ": " in line)
    return canonical(fields["Name"]), fields["Version"]


def problems(root: pathlib.Path) -> list:
    """Every way requirements.txt, the manifest's wheel lists and wheels/ disagree in the repository at root."""
    root = pathlib.Path(root)
    requirements_file = root / "requirements.txt"
    if not requirements_file.is_file():
        return ["requirements.txt is missing: soar-app-linter cannot install the app's dependencies without it"]
    manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    try:
        requirements = parse_requirements(requirements_file.read_text(encoding="utf-8"))
    except ValueError as err:
        return [str(err)]
    found = [f"requirements.txt lists {name}, which SOAR provides: leave it out" for name in sorted(set(requirements) & PROVIDED_BY_SOAR)]
    for key in WHEEL_KEYS:
        if key not in manifest:
            found.append(f"{MANIFEST_NAME} has no {key}")
            continue
        try:
            found += drift(requirements, declared_pins(manifest, key), key)
        except ValueError as err:
            found.append(str(err))
    for input_file in sorted({entry["input_file"] for key in WHEEL_KEYS for entry in manifest.get(key, {}).get("wheel", [])}):
        relative = pathlib.PurePosixPath(input_file)
        if relative.is_absolute() or ".." in relative.parts or relative.parts[0] != "wheels":
            found.append(f"declared wheel {input_file} is not inside wheels/")
            continue
        path = root / relative
        if not path.is_file():
            found.append(f"declared wheel {input_file} does not exist")
            continue
        try:
            name, version = parse_wheel_name(relative.name)
        except ValueError as err:
            found.append(str(err))
            continue
        inside = wheel_metadata(path)
        if inside != (name, version):
            found.append(f"declared wheel {input_file} holds {'=='.join(inside)}, not what its file name says")
    return found


# --- the repository as it is --------------------------------------------------------------------------------------


def test_requirements_manifest_and_wheels_are_in_step():
    assert problems(ROOT) == []


def test_requirements_name_the_runtime_dependency_and_nothing_soar_provides():
    requirements = parse_requirements((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert {"phonenumberslite", "publicsuffixlist"} <= set(requirements)
    assert not set(requirements) & PROVIDED_BY_SOAR


@pytest.mark.parametrize("key", WHEEL_KEYS)
def test_each_python_version_declares_exactly_the_requirements(key):
    manifest = json.loads((ROOT / MANIFEST_NAME).read_text(encoding="utf-8"))
    requirements = parse_requirements((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert declared_pins(manifest, key) == requirements


def test_every_declared_wheel_exists():
    manifest = json.loads((ROOT / MANIFEST_NAME).read_text(encoding="utf-8"))
    declared = {entry["input_file"] for key in WHEEL_KEYS for entry in manifest[key]["wheel"]}
    assert declared, "the manifest declares no wheel, but the app needs phonenumberslite"
    assert sorted(f for f in declared if not (ROOT / f).is_file()) == []


# --- the comparison itself ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requirements", "declared", "expected"),
    [
        ({"phonenumberslite": "9.0.42"}, {"phonenumberslite": "9.0.42"}, []),
        (
            {"phonenumberslite": "9.0.43"},
            {"phonenumberslite": "9.0.42"},
            ["phonenumberslite: requirements.txt pins 9.0.43 but pip313 declares 9.0.42"],
        ),
        ({"phonenumberslite": "9.0.42"}, {}, ["phonenumberslite==9.0.42 is in requirements.txt but pip313 declares no wheel for it"]),
        ({}, {"phonenumberslite": "9.0.42"}, ["pip313 declares phonenumberslite 9.0.42 but requirements.txt does not list it"]),
        (
            {"phonenumberslite": "9.0.42", "pyyaml": "6.0.2"},
            {"phonenumberslite": "9.0.42"},
            ["pyyaml==6.0.2 is in requirements.txt but pip313 declares no wheel for it"],
        ),
    ],
)
def test_drift_names_each_difference(requirements, declared, expected):
    assert drift(requirements, declared, "pip313") == expected


def test_names_compare_as_pip_compares_them():
    assert parse_requirements("PhoneNumbers_Lite==9.0.42\n") == {"phonenumbers-lite": "9.0.42"}
    assert parse_wheel_name("phonenumbers_lite-9.0.42-py2.py3-none-any.whl") == ("phonenumbers-lite", "9.0.42")
    assert parse_wheel_name("Foo.Bar-1.0-1-cp313-cp313-manylinux_2_28_x86_64.whl") == ("foo-bar", "1.0")


@pytest.mark.parametrize(
    "text",
    [
        "phonenumberslite\n",
        "phonenumberslite>=9.0\n",
        "phonenumberslite==9.0.42; python_version >= '3.9'\n",
        "-r other.txt\n",
        "phonenumberslite==9.0.42\nphonenumberslite==9.0.42\n",
        "zeta==1.0\nalpha==1.0\n",
    ],
)
def test_only_sorted_exact_pins_are_accepted(text):
    with pytest.raises(ValueError):
        parse_requirements(text)


def test_comments_and_blank_lines_are_ignored():
    assert parse_requirements("# runtime\n\nphonenumberslite==9.0.42  # bundled in wheels/\n") == {"phonenumberslite": "9.0.42"}


@pytest.mark.parametrize("file_name", ["phonenumberslite-9.0.42.tar.gz", "phonenumberslite-9.0.42-any.whl"])
def test_a_file_that_is_not_a_wheel_is_refused(file_name):
    with pytest.raises(ValueError):
        parse_wheel_name(file_name)


# --- a copy of the app, drifted on purpose ------------------------------------------------------------------------


@pytest.fixture
def repo(app_copy):
    shutil.copyfile(ROOT / "requirements.txt", app_copy / "requirements.txt")
    assert problems(app_copy) == []
    return app_copy


def edit_manifest(root, change):
    path = root / MANIFEST_NAME
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, indent=4) + "\n", encoding="utf-8")


def only_wheel(root):
    return json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))["pip39_dependencies"]["wheel"][0]["input_file"]


def test_a_version_bumped_only_in_requirements_is_caught(repo):
    pins = (repo / "requirements.txt").read_text(encoding="utf-8")
    (repo / "requirements.txt").write_text(pins.replace("phonenumberslite==9.0.42", "phonenumberslite==9.0.43"), encoding="utf-8")
    assert problems(repo) == [
        "phonenumberslite: requirements.txt pins 9.0.43 but pip39_dependencies declares 9.0.42",
        "phonenumberslite: requirements.txt pins 9.0.43 but pip313_dependencies declares 9.0.42",
    ]


def test_a_wheel_dropped_from_one_python_version_is_caught(repo):
    edit_manifest(
        repo,
        lambda m: m["pip313_dependencies"].update(wheel=[w for w in m["pip313_dependencies"]["wheel"] if w["module"] != "phonenumberslite"]),
    )
    assert problems(repo) == ["phonenumberslite==9.0.42 is in requirements.txt but pip313_dependencies declares no wheel for it"]


def test_a_wheel_upgraded_only_in_the_manifest_is_caught(repo):
    old = repo / only_wheel(repo)
    new = old.with_name(old.name.replace("9.0.42", "9.0.50"))
    old.rename(new)

    def upgrade(manifest):
        for key in WHEEL_KEYS:
            manifest[key]["wheel"][0]["input_file"] = new.relative_to(repo).as_posix()

    edit_manifest(repo, upgrade)
    assert problems(repo) == [
        "phonenumberslite: requirements.txt pins 9.0.42 but pip39_dependencies declares 9.0.50",
        "phonenumberslite: requirements.txt pins 9.0.42 but pip313_dependencies declares 9.0.50",
        f"declared wheel {new.relative_to(repo).as_posix()} holds phonenumberslite==9.0.42, not what its file name says",
    ]


def test_a_module_name_that_is_not_the_wheel_distribution_is_caught(repo):
    edit_manifest(repo, lambda m: m["pip39_dependencies"]["wheel"][0].update(module="phonenumbers"))
    assert problems(repo) == [f"pip39_dependencies: module 'phonenumbers' is not the distribution of its wheel {only_wheel(repo)}"]


def test_a_missing_wheel_file_is_caught(repo):
    (repo / only_wheel(repo)).unlink()
    assert problems(repo) == [f"declared wheel {only_wheel(repo)} does not exist"]


def test_a_dependency_soar_provides_is_caught(repo):
    (repo / "requirements.txt").write_text("phonenumberslite==9.0.42\nrequests==2.32.5\n", encoding="utf-8")
    found = problems(repo)
    assert found[0] == "requirements.txt lists requests, which SOAR provides: leave it out"
    assert "requests==2.32.5 is in requirements.txt but pip39_dependencies declares no wheel for it" in found


def test_a_missing_requirements_file_is_caught(repo):
    (repo / "requirements.txt").unlink()
    assert problems(repo) == ["requirements.txt is missing: soar-app-linter cannot install the app's dependencies without it"]

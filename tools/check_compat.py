#!/usr/bin/env python3
"""Checks on the modules that ship inside the app:
- they parse as Python 3.9 (the oldest interpreter SOAR runs apps on), and compile on a real 3.9 when one is installed;
- they import only the standard library, what SOAR provides (requests, urllib3, idna, phantom), the packages inside the
  wheels the manifest declares (phonenumbers, publicsuffixlist) and each other: never a development-only package.

    python tools/check_compat.py [--root DIR]     # DIR: the repository (default) or an unpacked app folder

tools/build_package.py ships exactly shipped_modules(root), so this check and the package agree on what ships.
"""

from __future__ import annotations

import argparse
import ast
import json
import pathlib
import shutil
import subprocess
import sys
import zipfile


ROOT = pathlib.Path(__file__).resolve().parent.parent
MANIFEST_NAME = "clicksend.json"
PLATFORM_PROVIDED = {"requests", "urllib3", "idna", "phantom", "encryption_helper"}  # idna: SOAR installs it with requests
WHEEL_KEYS = ("pip39_dependencies", "pip313_dependencies")


def load_manifest(root: pathlib.Path = ROOT) -> dict:
    return json.loads((pathlib.Path(root) / MANIFEST_NAME).read_text(encoding="utf-8"))


def shipped_modules(root: pathlib.Path = ROOT) -> list:
    """The Python modules that ship: __init__.py and every clicksend_*.py at the top of the app folder."""
    root = pathlib.Path(root)
    return sorted(p for p in root.glob("*.py") if p.name.startswith("clicksend_") or p.name == "__init__.py")


def declared_wheels(manifest: dict) -> list:
    """(module, input_file) of every wheel the manifest declares, for any Python version, without repeats, sorted."""
    found = {(dep["module"], dep["input_file"]) for key in WHEEL_KEYS for dep in manifest.get(key, {}).get("wheel", [])}
    return sorted(found)


def wheel_import_names(wheel: pathlib.Path) -> set:
    """The top-level names a wheel installs, read from its RECORD (no dist-info, no .data)."""
    with zipfile.ZipFile(wheel) as archive:
        record = next(name for name in archive.namelist() if name.endswith(".dist-info/RECORD"))
        paths = [line.split(",", 1)[0] for line in archive.read(record).decode("utf-8").splitlines() if line]
    names = set()
    for path in paths:
        top = path.split("/", 1)[0]
        if top.endswith((".dist-info", ".data")):
            continue
        names.add(top[: -len(".py")] if top.endswith(".py") else top)
    return names


def allowed_imports(root: pathlib.Path = ROOT) -> set:
    root = pathlib.Path(root)
    wheels = set()
    for _, input_file in declared_wheels(load_manifest(root)):
        wheels |= wheel_import_names(root / input_file)
    local = {p.stem for p in shipped_modules(root)}
    return set(sys.stdlib_module_names) | PLATFORM_PROVIDED | wheels | local


def problems(root: pathlib.Path = ROOT):
    allowed = allowed_imports(root)
    for path in shipped_modules(root):
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source, filename=str(path), feature_version=(3, 9))
        except SyntaxError as err:
            yield f"{path.name}:{err.lineno}: not Python 3.9 syntax: {err.msg}"
            continue
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] not in allowed:
                    yield f"{path.name}:{node.lineno}: imports {name}, which SOAR does not provide and the manifest does not ship"


def pyenv_python(version: str) -> pathlib.Path | None:
    """The newest pyenv interpreter for a "3.9"-style version, or None when pyenv or that version is missing."""
    pyenv = shutil.which("pyenv")
    if not pyenv:
        return None
    listed = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True, check=False).stdout.split()  # noqa: S603
    matching = [v for v in listed if v.startswith(version + ".") and v[len(version) + 1 :].isdigit()]
    if not matching:
        return None
    newest = max(matching, key=lambda v: int(v.rsplit(".", 1)[1]))
    prefix = subprocess.run([pyenv, "prefix", newest], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    python = pathlib.Path(prefix) / "bin" / "python"
    return python if prefix and python.is_file() else None


def compile_on_real_39(root: pathlib.Path = ROOT) -> list:
    """Byte-compile with a real Python 3.9 when pyenv has one (the machines here do); skip quietly otherwise."""
    python = pyenv_python("3.9")
    if python is None:
        return []
    code = "import sys\nfor f in sys.argv[1:]: compile(open(f, encoding='utf-8').read(), f, 'exec')"
    run = subprocess.run([str(python), "-c", code, *map(str, shipped_modules(root))], capture_output=True, text=True, check=False)  # noqa: S603
    if not run.returncode:
        return []
    lines = run.stderr.strip().splitlines() or [f"exit code {run.returncode}"]
    return [f"{python}: {lines[-1]}"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, default=ROOT, help="folder holding clicksend.json and the shipped modules")
    args = parser.parse_args(argv)
    found = list(problems(args.root)) + compile_on_real_39(args.root)
    for line in found:
        print(line)
    print(f"compat: {len(shipped_modules(args.root))} shipped modules checked, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

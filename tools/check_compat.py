#!/usr/bin/env python3
"""Checks on the modules that ship inside the app:
- they parse as Python 3.9 (the oldest interpreter SOAR runs apps on), and compile on a real 3.9 when one is installed;
- they import only the standard library, what SOAR provides (requests, urllib3, phantom), the wheels the manifest
  declares (phonenumbers) and each other: never a development-only package.
"""

import ast
import json
import os
import pathlib
import shutil
import subprocess
import sys


ROOT = pathlib.Path(__file__).resolve().parent.parent
PLATFORM_PROVIDED = {"requests", "urllib3", "phantom", "encryption_helper"}
DECLARED_WHEELS = {"phonenumberslite": "phonenumbers"}


def shipped_modules():
    return sorted(p for p in ROOT.glob("*.py") if p.name.startswith("clicksend_") or p.name == "__init__.py")


def allowed_imports():
    manifest = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
    wheels = {dep["module"] for key in ("pip39_dependencies", "pip313_dependencies") for dep in manifest.get(key, {}).get("wheel", [])}
    local = {p.stem for p in shipped_modules()}
    return set(sys.stdlib_module_names) | PLATFORM_PROVIDED | {DECLARED_WHEELS.get(w, w) for w in wheels} | local


def problems():
    allowed = allowed_imports()
    for path in shipped_modules():
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


def compile_on_real_39():
    """Byte-compile with a real Python 3.9 when pyenv has one (the machines here do); skip quietly otherwise."""
    pyenv = shutil.which("pyenv")
    if not pyenv:
        return []
    versions = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True, check=False).stdout.split()  # noqa: S603
    v39 = next((v for v in versions if v.startswith("3.9.")), None)
    if not v39:
        return []
    env = dict(os.environ, PYENV_VERSION=v39)
    code = "import sys\nfor f in sys.argv[1:]: compile(open(f, encoding='utf-8').read(), f, 'exec')"
    run = subprocess.run(  # noqa: S603
        [pyenv, "exec", "python", "-c", code, *map(str, shipped_modules())], env=env, capture_output=True, text=True, check=False
    )
    return [f"Python {v39}: {run.stderr.strip().splitlines()[-1]}"] if run.returncode else []


if __name__ == "__main__":
    found = list(problems()) + compile_on_real_39()
    for line in found:
        print(line)
    print(f"compat: {len(shipped_modules())} shipped modules checked, {len(found)} problems")
    sys.exit(1 if found else 0)

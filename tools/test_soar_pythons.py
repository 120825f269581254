#!/usr/bin/env python3
"""Run the app's test suites again on each Python the manifest declares (SOAR runs apps on 3.9 and 3.13).

The main `make test` run uses the machine's Python; this one builds .venv-py<version> for each declared version
that pyenv has (the machines here have 3.9 and 3.13), installs the same development requirements, and runs the
unit, contract, end-to-end and hardening tests there. A version this machine lacks is reported as skipped.
"""

import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile


ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from check_compat import pyenv_python  # noqa: E402


SUITES = ["tests/unit", "tests/contract", "tests/e2e", "tests/hardening"]


def venv_for(version: str, python: pathlib.Path) -> pathlib.Path:
    venv = ROOT / f".venv-py{version.replace('.', '')}"
    wheels = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "wheels").rglob("*.whl"))
    stamp_text = hashlib.sha256((ROOT / "requirements-dev.txt").read_bytes() + "\n".join(wheels).encode()).hexdigest()
    stamp = venv / ".installed"
    if stamp.is_file() and stamp.read_text() == stamp_text:
        return venv
    subprocess.run([str(python), "-m", "venv", "--clear", str(venv)], check=True)  # noqa: S603
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", "requirements-dev.txt", *wheels], check=True, cwd=ROOT)  # noqa: S603
    stamp.write_text(stamp_text)
    return venv


def main() -> int:
    """Each declared version's suites run at the same time (the machine's cores share them); outputs print in order."""
    manifest = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
    versions = [v.strip() for v in str(manifest["python_version"]).split(",")]
    runs = []
    for version in versions:
        python = pyenv_python(version)
        if python is None:
            print(f"Python {version}: not on this machine, skipped")
            continue
        venv = venv_for(version, python)
        log = tempfile.TemporaryFile(mode="w+")
        command = [str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", *SUITES]
        runs.append((version, log, subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)))  # noqa: S603
    failed = []
    for version, log, process in runs:
        code = process.wait()
        log.seek(0)
        print(f"Python {version}: {' '.join(SUITES)}", flush=True)
        sys.stdout.write(log.read())
        log.close()
        if code:
            failed.append(version)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

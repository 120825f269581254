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
from typing import Optional


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


def start(extra: Optional[list] = None) -> list:
    """Starts each declared version's suites (they run at the same time; the machine's cores share them). Returns the
    runs for finish(); a version this machine lacks is a run already ended, as skipped."""
    manifest = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
    versions = [v.strip() for v in str(manifest["python_version"]).split(",")]
    runs = []
    for version in versions:
        python = pyenv_python(version)
        if python is None:
            runs.append((version, None, None))
            continue
        venv = venv_for(version, python)
        log = tempfile.TemporaryFile(mode="w+")
        command = [str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", *(extra or []), *SUITES]
        runs.append((version, log, subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)))  # noqa: S603
    return runs


def finish(runs: list) -> list:
    """(label, output, exit code) of each run, in order, once it has ended."""
    ended = []
    for version, log, process in runs:
        label = f"Python {version}: {' '.join(SUITES)}"
        if process is None:
            ended.append((label, f"{label}: not on this machine, skipped\n", 0))
            continue
        code = process.wait()
        log.seek(0)
        ended.append((label, f"{label}\n{log.read()}", code))
        log.close()
    return ended


def main() -> int:
    failed = False
    for _, output, code in finish(start(sys.argv[1:])):
        sys.stdout.write(output)
        failed = failed or bool(code)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

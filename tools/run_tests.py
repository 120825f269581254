#!/usr/bin/env python3
"""`make test`'s test run: the main suite on the machine's Python, and beside it (the two cores share the work) the
app's suites on SOAR's Pythons (tools/test_soar_pythons.py). The main run prints as it goes, the others after it;
the output ends with one verdict line per suite. Extra arguments go to every pytest run (`-v` prints the fault
matrix)."""

import subprocess
import sys
import tempfile

import test_soar_pythons


def verdict(output: str, code: int) -> str:
    """pytest's last summary line ("3119 passed, 3 skipped in 224.68s"), or why there is none."""
    lines = [line.strip("= ").strip() for line in output.splitlines() if line.strip()]
    summary = next((line for line in reversed(lines) if " in " in line and ("passed" in line or "failed" in line or "error" in line)), "")
    if not summary:
        summary = f"no pytest summary (exit code {code})"
    return ("ok    " if code == 0 else "FAIL  ") + summary


def main(argv: list) -> int:
    others = test_soar_pythons.start(argv)
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen([sys.executable, "-m", "pytest", *argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
        for line in process.stdout:
            sys.stdout.write(line)
            log.write(line)
        main_code = process.wait()
        log.seek(0)
        verdicts = [(f"main suite (Python {sys.version_info.major}.{sys.version_info.minor})", verdict(log.read(), main_code), main_code)]
    for label, output, code in test_soar_pythons.finish(others):
        sys.stdout.write(output)
        skipped = code == 0 and output.rstrip().endswith("not on this machine, skipped")
        verdicts.append((label, "ok    skipped: not on this machine" if skipped else verdict(output, code), code))
    width = max(len(label) for label, _, _ in verdicts)
    print("\n== verdicts")
    for label, text, _ in verdicts:
        print(f"{label:<{width}}  {text}")
    return 1 if any(code for _, _, code in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

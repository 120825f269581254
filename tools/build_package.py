#!/usr/bin/env python3
"""Build clicksend.tgz, the file SOAR installs (Apps -> Install App, POST /rest/app, phenv compile_app -i).

    python tools/build_package.py [--root DIR] [--output FILE]     # default: <repo>/clicksend.tgz

The archive holds one top-level folder, clicksend/, with an allow-list of files, never a walk of the repository:
    clicksend.json, __init__.py, clicksend_*.py    the manifest and every shipped module (check_compat.shipped_modules)
    wheels/...                                     exactly the wheels pip39_dependencies/pip313_dependencies declare
    the two logos the manifest names, LICENSE
    README.md                                      without its repository-only part (gen_readme.shipped)
    release_notes/<version>.md                     each released version's notes; never unreleased.md
So tests, tools, the SOAR stubs, caches and local files cannot slip in.

No .pyc: the org's build runs compileall before tar, but ships only what its excludes let through (they drop
__pycache__ and *.pyc), and a .pyc serves one interpreter while this app declares 3.9 and 3.13. SOAR compiles on
install. The build keeps the useful half: every shipped module must compile here, or the build fails.

The archive is reproducible: entries sorted, fixed mtime, uid/gid 0, fixed modes, gzip header without name or time.
"""

from __future__ import annotations

import argparse
import gzip
import io
import pathlib
import sys
import tarfile


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from check_compat import ROOT, declared_wheels, load_manifest, shipped_modules
from gen_readme import MarkerError, shipped


APP_DIR = "clicksend"
UNRELEASED = "unreleased.md"
MTIME = 1767225600  # 2026-01-01T00:00:00Z: a fixed time keeps the archive byte-identical between builds
FILE_MODE = 0o644
DIR_MODE = 0o755


class BuildError(Exception):
    """The repository cannot be packaged as it is (a declared file is missing, a module does not compile)."""


def package_files(root: pathlib.Path = ROOT) -> dict:
    """Path inside the app folder -> source file, for everything that ships."""
    root = pathlib.Path(root)
    manifest = load_manifest(root)
    files = {path.name: path for path in shipped_modules(root)}
    files["clicksend.json"] = root / "clicksend.json"
    for name in (manifest["logo"], manifest["logo_dark"], "LICENSE", "README.md"):
        files[name] = root / name
    for note in sorted((root / "release_notes").glob("*.md")):
        if note.name != UNRELEASED:  # the next version's notes in the making: only released versions ship
            files[f"release_notes/{note.name}"] = note
    for _, input_file in declared_wheels(manifest):
        files[pathlib.PurePosixPath(input_file).as_posix()] = root / input_file
    main_module = manifest["main_module"]
    if main_module not in files:
        raise BuildError(f"main_module {main_module} is not a shipped module (__init__.py or clicksend_*.py)")
    missing = sorted(name for name, source in files.items() if not source.is_file())
    if missing:
        raise BuildError(f"files the package needs are missing: {', '.join(missing)}")
    if "__init__.py" not in files:
        raise BuildError("__init__.py is missing: SOAR needs one at the top of the app folder")
    return files


def check_compiles(files: dict) -> None:
    for name, source in files.items():
        if name.endswith(".py"):
            try:
                compile(source.read_bytes(), name, "exec", dont_inherit=True)
            except SyntaxError as err:
                raise BuildError(f"{name}:{err.lineno}: does not compile: {err.msg}") from err


def content(name: str, source: pathlib.Path) -> bytes:
    """What a file ships as: its bytes, except README.md, which ships without its repository-only part."""
    if name != "README.md":
        return source.read_bytes()
    try:
        return shipped(source.read_text(encoding="utf-8")).encode("utf-8")
    except MarkerError as err:
        raise BuildError(str(err)) from err


def _info(name: str, kind: bytes, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.mode = DIR_MODE if kind == tarfile.DIRTYPE else FILE_MODE
    info.mtime = MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def archive_entries(files: dict) -> list:
    """(TarInfo, bytes or None) in archive order: every folder before its contents, all sorted."""
    folders = {APP_DIR}
    for name in files:
        parts = name.split("/")[:-1]
        folders |= {"/".join([APP_DIR, *parts[: i + 1]]) for i in range(len(parts))}
    entries = {folder: None for folder in folders}
    entries.update({f"{APP_DIR}/{name}": content(name, source) for name, source in files.items()})
    return [
        (_info(name, tarfile.DIRTYPE if data is None else tarfile.REGTYPE, len(data or b"")), data) for name, data in sorted(entries.items())
    ]


def build(root: pathlib.Path = ROOT, output: pathlib.Path | None = None) -> pathlib.Path:
    root = pathlib.Path(root)
    output = pathlib.Path(output or root / "clicksend.tgz")
    files = package_files(root)
    check_compiles(files)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, data in archive_entries(files):
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    with open(output, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=MTIME) as gz:
        gz.write(buffer.getvalue())
    return output


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the SOAR app package clicksend.tgz")
    parser.add_argument("--root", type=pathlib.Path, default=ROOT, help="the repository (default: this one)")
    parser.add_argument("--output", type=pathlib.Path, help="where to write the package (default: <root>/clicksend.tgz)")
    args = parser.parse_args(argv)
    try:
        output = build(args.root, args.output)
    except BuildError as err:
        print(f"package: {err}", file=sys.stderr)
        return 1
    with tarfile.open(output) as tar:
        count = sum(1 for member in tar if member.isfile())
    print(f"package: {output} ({count} files, {output.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

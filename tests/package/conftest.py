"""Fixtures for the package and lint-gate tests."""

import shutil

import build_package
import pytest

from tests.conftest import ROOT


@pytest.fixture
def app_copy(tmp_path):
    """A copy of just the files that ship (manifest, modules, declared wheels, logos, docs), to break on purpose."""
    root = tmp_path / "repo"
    for name, source in build_package.package_files(ROOT).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / name)
    return root

"""The apps stand on each other in one direction (pyproject.toml, [tool.importlinter]):
the contract holds on the tree, and an upward import or a cycle added later breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache", "--config", str(tree / "pyproject.toml")], cwd=tree,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture
def copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "lantern", tmp_path / "lantern", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_line(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_code_keeps_the_layer_order_and_has_no_import_cycles():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_the_counting_script_agrees_that_nothing_points_upward():
    result = subprocess.run([sys.executable, "scripts/architecture.py"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout
    assert "upward imports: 0" in result.stdout and "module cycles: 0" in result.stdout


def test_an_upward_import_fails_the_contract(copy_of_the_code):
    add_line(copy_of_the_code, "lantern.cases.models", "from lantern.portal import family  # noqa")
    result = lint(copy_of_the_code)
    assert result.returncode != 0
    assert "Apps stand on each other in one direction BROKEN" in result.stdout
    assert "lantern.cases.models -> lantern.portal.family" in result.stdout


def test_an_import_inside_a_function_counts_too(copy_of_the_code):
    add_line(copy_of_the_code, "lantern.core.errors",
             "def later():\n    from lantern.accounts.models import User  # noqa\n    return User")
    result = lint(copy_of_the_code)
    assert result.returncode != 0
    assert "lantern.core.errors -> lantern.accounts.models" in result.stdout


def test_a_cycle_between_two_modules_of_one_app_fails_the_contract(copy_of_the_code):
    # cases.workflow imports cases.states; the reverse closes a loop.
    add_line(copy_of_the_code, "lantern.cases.states", "from lantern.cases import workflow  # noqa")
    result = lint(copy_of_the_code)
    assert result.returncode != 0
    assert "No import cycles, between apps or between the modules of one app BROKEN" in result.stdout

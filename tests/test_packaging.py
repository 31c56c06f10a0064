"""The two ways of installing (pip via pyproject.toml, conda via environment.yml) agree."""
from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
import yaml

from analysis import paths


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs.extend(extra)
    return dict(_split_pin(spec) for spec in specs)


def _environment_pins() -> dict[str, str]:
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    return dict(_split_pin(spec) for spec in pip_section if not spec.startswith("-e"))


def _split_pin(spec: str) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[a-z,]+\])?==([0-9][0-9A-Za-z.]*)", spec.strip())
    assert match, f"dependency {spec!r} is not pinned with =="
    return match.group(1).lower(), match.group(3)


def test_every_dependency_is_pinned_exactly():
    assert len(_pyproject_pins()) >= 15


def test_environment_yml_matches_pyproject():
    assert _environment_pins() == _pyproject_pins()


def test_environment_yml_installs_the_package_itself():
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert "-e ." in pip_section
    assert "python=3.11" in env["dependencies"]


@pytest.mark.parametrize("spec, expected", [
    ("pandas==3.1.1", ("pandas", "3.1.1")),
    ("dask[dataframe]==2026.8.0", ("dask", "2026.8.0")),
])
def test_split_pin(spec, expected):
    assert _split_pin(spec) == expected


def test_split_pin_rejects_ranges():
    with pytest.raises(AssertionError):
        _split_pin("pandas>=2")


def test_make_help_lists_every_target():
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, flags=re.M))
    out = subprocess.run(["make", "-s", "help"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    listed = set(re.findall(r"make (\w+)", out))
    assert {"report", "test", "lab", "help", "setup"} <= listed
    assert listed == targets


def test_ci_runs_make_test_and_nothing_else():
    lines = [ln.strip() for ln in (paths.PROJECT_ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [ln for ln in lines if ln and not ln.startswith("#") and not ln.startswith("set ") and not ln.startswith("cd ")]
    assert commands == ["make test"]

"""Every example in a public docstring runs and gives what it says."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import analysis

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(analysis.__path__, prefix="analysis.")
    if not name.endswith("__main__") and "dask" not in name
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {module_name}"


def test_every_public_function_has_an_example():
    missing = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or not callable(obj) or getattr(obj, "__module__", None) != name:
                continue
            if isinstance(obj, type):
                continue
            if "Example" not in (obj.__doc__ or ""):
                missing.append(f"{name}.{attr}")
    assert not missing, "public functions without a docstring example: " + ", ".join(missing)

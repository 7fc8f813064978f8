"""The oracle stays independent of what it checks.

manual/ is pure NumPy; reference/ never sees manual/ or rnncheck/; rnncheck/
(the verifier) may use reference/ but never imports manual/. Checked on the
source with ``ast``, so nothing has to be imported to find a violation.
And both implementations define every catalogue function with the same
parameters.
"""
import ast
import inspect
import sys
from pathlib import Path

import pytest

from rnncheck import manual
from rnncheck import reference
from rnncheck.courses.cs231n import FUNCTIONS

ROOT = Path(__file__).resolve().parent.parent


def imported_top_level_modules(package):
    """{top-level module name imported anywhere in ``package``: [files importing it]}."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        here = list(path.relative_to(ROOT).parent.parts)  # the file's own package
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom):
                base = here[:max(len(here) - node.level + 1, 0)]
                names = [".".join(base + [node.module])] if node.module else \
                    [".".join(base + [alias.name]) for alias in node.names]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], []).append(path.name)
    return found


def test_manual_imports_only_numpy_and_the_standard_library():
    allowed = {"numpy", "manual"} | set(sys.stdlib_module_names)
    imports = imported_top_level_modules("manual")
    assert "numpy" in imports
    assert {name: files for name, files in imports.items() if name not in allowed} == {}


@pytest.mark.parametrize("package, forbidden", [
    ("reference", {"manual", "rnncheck"}),
    ("rnncheck", {"manual"}),
], ids=["reference", "rnncheck"])
def test_package_never_imports(package, forbidden):
    imports = imported_top_level_modules(package)
    assert {name: files for name, files in imports.items() if name in forbidden} == {}


def test_both_packages_export_the_same_names():
    assert sorted(manual.__all__) == sorted(reference.__all__)
    assert set(FUNCTIONS) == set(reference.__all__)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_function_has_the_same_parameters_in_manual_and_reference(function):
    manual_parameters = list(inspect.signature(getattr(manual, function)).parameters)
    reference_parameters = list(inspect.signature(getattr(reference, function)).parameters)
    assert manual_parameters == reference_parameters

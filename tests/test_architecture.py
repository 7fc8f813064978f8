"""The layout's import rules (setup.cfg's import-linter contracts) hold, and a bad import breaks them."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename='setup.cfg'))"


def lint(tree):
    """Run import-linter with the repository's contracts on the rnncheck package found in ``tree``."""
    shutil.copy(os.path.join(ROOT, "setup.cfg"), tree)
    environment = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.run([sys.executable, "-c", LINT], cwd=tree, env=environment, capture_output=True,
                          text=True, timeout=300)


def copy_with(tmp_path, module, line):
    """A copy of rnncheck (links to manual/ and reference/ followed) with ``line`` appended to ``module``."""
    shutil.copytree(os.path.join(ROOT, "rnncheck"), tmp_path / "rnncheck", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(tmp_path / "rnncheck" / module, "a", encoding="utf-8") as handle:
        handle.write(f"\n{line}\n")
    return tmp_path


def test_every_contract_is_kept(tmp_path):
    done = lint(copy_with(tmp_path, "__init__.py", "# unchanged"))
    assert done.returncode == 0, done.stdout
    assert "Contracts: 6 kept, 0 broken." in done.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("worker/wire.py", "from ..judge import verify", "Roles are layered"),
    ("worker/serve.py", "import autograd", "imports only the standard library, NumPy and itself"),
    ("judge/diagnose.py", "from .. import manual", "The verifier never imports manual/"),
    ("front/api.py", "from . import cli", "do not import the command line"),
    ("load/syntax.py", "from . import loader", "No import cycles"),
    ("manual/rnn.py", "from ..reference import rnn", "Roles are layered"),
], ids=["worker-imports-the-judge", "worker-imports-autograd", "judge-imports-manual", "api-imports-cli", "cycle",
        "manual-imports-reference"])
def test_a_bad_import_breaks_its_contract(tmp_path, module, line, broken):
    done = lint(copy_with(tmp_path, module, line))
    assert done.returncode == 1
    summary = done.stdout.split("Broken contracts")[-1]
    assert broken in " ".join(summary.split()), done.stdout

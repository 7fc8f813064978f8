"""A check imports only what it uses (issue 10: one check costs little more than importing NumPy and autograd).

The reporters of other formats, the batch machinery, the configuration
parser when there is no configuration file and the notebook harvester are
imported where they are used; these tests keep them from coming back
into a plain check through a module-level import.
"""
import json
import subprocess
import sys

import pytest
from conftest import BASE, ROOT

from rnncheck.front.config import find

NOT_NEEDED = ("rnncheck.views.html", "rnncheck.views.heatmap", "rnncheck.views.gradebook", "rnncheck.views.platforms",
              "rnncheck.views.summary", "rnncheck.load.harvest", "rnncheck.front.api", "rnncheck.front.compare_cli",
              "html", "csv", "tomllib", "tomli", "concurrent.futures", "logging")


def imported_after(tmp_path, statements):
    """(names from NOT_NEEDED imported by running ``statements`` in a fresh interpreter, what they printed)."""
    assert find(str(tmp_path)) is None  # no pyproject.toml above: nothing to configure
    code = (f"import contextlib, io, json, sys\nsys.path.insert(0, {ROOT!r})\nout = io.StringIO()\n"
            f"with contextlib.redirect_stdout(out):\n    {statements}\n"
            f"print(json.dumps([[m for m in {NOT_NEEDED!r} if m in sys.modules], out.getvalue()]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("form", ["json", "text"])
def test_a_plain_check_imports_no_other_format_no_batch_and_no_toml_parser(tmp_path, form):
    loaded, printed = imported_after(
        tmp_path, f"__import__('rnncheck.front.cli').front.cli.main([{BASE!r}, '--seed', '1', '--format', '{form}'])")
    assert loaded == []
    assert ('"passed": true' if form == "json" else "all 5 cases match") in printed


def test_checking_a_file_from_python_imports_neither_the_html_reporter_nor_the_harvester(tmp_path):
    loaded, printed = imported_after(tmp_path, f"print(__import__('rnncheck').check({BASE!r}, seed=1).passed)")
    assert loaded == ["rnncheck.front.api"] and printed.strip() == "True"

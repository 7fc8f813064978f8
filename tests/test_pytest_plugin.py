"""The pytest plugin end to end: ``pytest --rnncheck PATH`` in any folder, with --junitxml.

pytester runs pytest in a fresh temporary folder, in this process; the
plugin is loaded with ``-p`` (its ``pytest11`` entry point needs an
installed rnncheck).  pytester forgets the modules an inner run imported,
and NumPy's extension modules cannot be imported twice, so the heavy
modules (and the plugin, so that it stays one module) are imported here first.
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from rnncheck import reference  # noqa: F401  (imported here so that pytester's module snapshot keeps it)
import rnncheck.front.config  # noqa: F401
import rnncheck.judge.verify  # noqa: F401
from conftest import BASE, ROOT, SUBMISSIONS, expectations, patched

from rnncheck.front import pytest_plugin
from rnncheck.courses.cs231n import FUNCTIONS, REQUIRED

pytest_plugins = ["pytester"]
PLUGIN = ("-p", "rnncheck.front.pytest_plugin")
NO_GRU = os.path.join(SUBMISSIONS, "correct", "batch_loop.py")


def junit(path):
    """{test name: failure text or None} from a JUnit XML report."""
    cases = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        failure = case.find("failure")
        skipped = case.find("skipped")
        cases[case.get("name")] = (failure.get("message") if failure is not None
                                   else "skipped" if skipped is not None else None)
    return cases


def test_a_correct_solution_passes_every_function_and_exits_zero(pytester):
    result = pytester.runpytest(*PLUGIN, "--rnncheck", BASE, "--junitxml", "out.xml")
    result.assert_outcomes(passed=len(FUNCTIONS))
    assert result.ret == 0
    assert junit(pytester.path / "out.xml") == dict.fromkeys(FUNCTIONS)


def test_undefined_optional_functions_are_skipped_not_failed(pytester):
    result = pytester.runpytest(*PLUGIN, "--rnncheck", NO_GRU)
    result.assert_outcomes(passed=len(REQUIRED), skipped=len(FUNCTIONS) - len(REQUIRED))
    assert result.ret == 0


def test_a_wrong_solution_fails_exactly_its_wrong_functions_with_the_verdict_text(pytester, tmp_path):
    patch = os.path.join(SUBMISSIONS, "wrong", "lstm_step_backward_no_dnext_c.py")
    wrong = expectations(patch)
    result = pytester.runpytest(*PLUGIN, "--rnncheck", patched(patch, str(tmp_path)), "--junitxml", "out.xml")
    result.assert_outcomes(passed=len(FUNCTIONS) - len(wrong), failed=len(wrong))
    assert result.ret == 1
    report = junit(pytester.path / "out.xml")
    assert {name for name, failure in report.items() if failure} == set(wrong)
    assert report["lstm_step_backward"].startswith("FAIL: lstm_step_backward ")
    assert "wrong in gate block" in report["lstm_step_backward"]
    result.stdout.fnmatch_lines(["*reproduce with rnncheck --seed 0*"])


def test_the_check_runs_once_per_session(pytester, monkeypatch):
    calls = []
    original = pytest_plugin._check
    monkeypatch.setattr(pytest_plugin, "_check", lambda *args: calls.append(args) or original(*args))
    result = pytester.runpytest(*PLUGIN, "--rnncheck", NO_GRU, "-k", "rnn_")
    result.assert_outcomes(passed=4)
    assert len(calls) == 1


def test_an_unreadable_file_fails_every_required_function(pytester):
    (pytester.path / "rnn_layers.py").write_bytes(b"# caf\xe9\n")
    result = pytester.runpytest(*PLUGIN, "--rnncheck", "rnn_layers.py")
    result.assert_outcomes(failed=len(REQUIRED), skipped=len(FUNCTIONS) - len(REQUIRED))
    result.stdout.fnmatch_lines(["*not UTF-8*"])


def test_the_course_configuration_applies_and_its_mistakes_stop_the_run(pytester):
    pytester.makepyprojecttoml('[tool.rnncheck]\nfunctions = ["rnn_step_*"]\nseed = 5\n')
    result = pytester.runpytest(*PLUGIN, "--rnncheck", BASE)
    result.assert_outcomes(passed=2, skipped=len(FUNCTIONS) - 2)
    pytester.makepyprojecttoml("[tool.rnncheck]\nsed = 5\n")
    result = pytester.runpytest(*PLUGIN, "--rnncheck", BASE)
    assert result.ret == 4  # usage error
    result.stderr.fnmatch_lines(["*[[]tool.rnncheck[]] sed: unknown key*"])


def test_without_the_option_the_plugin_does_nothing(pytester):
    pytester.makepyfile("def test_own():\n    assert True\n")
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(passed=1)
    assert result.ret == 0


def test_loading_the_plugin_imports_nothing_heavy():
    code = ("import sys, rnncheck.front.pytest_plugin\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'autograd', 'reference')"
            " or m in ('rnncheck.judge.verify', 'rnncheck.sandbox.session')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_the_entry_point_is_declared_under_the_module_name():
    text = open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8").read()
    assert '[project.entry-points.pytest11]\n' in text
    assert '"rnncheck.front.pytest_plugin" = "rnncheck.front.pytest_plugin"' in text

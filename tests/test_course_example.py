"""Checking a layer of one's own: the peephole LSTM course of ``examples/`` end to end, through the CLI and pytest.

``examples/peephole_course.py`` declares the layer (its oracle written in
``autograd.numpy`` in that file), ``examples/peephole_layers.py`` derives it
by hand, ``examples/peephole_layers_wrong.py`` takes the output gate's
peephole gradient at prev_c instead of next_c.
"""
import csv
import os
import shutil

import pytest
from rnncheck import reference  # noqa: F401  (imported here so that pytester's module snapshot keeps it)
import rnncheck.front.config  # noqa: F401
import rnncheck.judge.verify  # noqa: F401  (as in test_pytest_plugin.py)
from conftest import ROOT, run_cli, statuses, verdicts

pytest_plugins = ["pytester"]
EXAMPLES = os.path.join(ROOT, "examples")
COURSE = os.path.join("examples", "peephole_course.py")  # relative to ROOT, where run_cli runs
RIGHT = os.path.join(EXAMPLES, "peephole_layers.py")
WRONG = os.path.join(EXAMPLES, "peephole_layers_wrong.py")
FUNCTIONS = ["peephole_step_forward", "peephole_step_backward", "peephole_forward", "peephole_backward"]


def functions(verdict):
    return {f["name"]: f for f in verdict["functions"]}


@pytest.mark.parametrize("seed", [0, 7, 2026])
def test_the_hand_derived_peephole_lstm_passes_every_function_to_rounding(seed):
    code, [verdict] = verdicts(RIGHT, "--course", COURSE, "--seed", seed)
    assert code == 0 and verdict["passed"] is True
    assert statuses(verdict) == dict.fromkeys(FUNCTIONS, "pass")
    checked = functions(verdict)
    assert [len(checked[name]["cases"]) for name in FUNCTIONS] == [4, 4, 5, 5]  # the sequences' long-memory case
    assert checked["peephole_backward"]["cases"][-1]["case"] == "long memory T=24"
    assert all(checked[name]["error"] < 1e-13 for name in FUNCTIONS)
    assert set(checked["peephole_step_backward"]["cases"][0]["errors"]) == {
        "dx", "dprev_h", "dprev_c", "dWx", "dWh", "db", "dp"}
    assert all(not checked[name]["warnings"] for name in FUNCTIONS)


def test_the_verdict_names_the_course_it_was_checked_as():
    code, [verdict] = verdicts(RIGHT, "--course", COURSE, "--seed", "0")
    assert verdict["course"] == {"name": "peephole", "title": "a peephole LSTM, step and sequence",
                                 "chosen": "requested", "why": "asked for"}
    text = run_cli(RIGHT, "--course", COURSE, "--seed", "0")
    assert "  course: peephole (a peephole LSTM, step and sequence), as asked" in text.stdout.splitlines()


@pytest.mark.parametrize("seed", [0, 1, 5])
def test_the_wrong_output_gate_peephole_fails_exactly_the_backwards_located_in_dp_block_o(seed):
    code, [verdict] = verdicts(WRONG, "--course", COURSE, "--seed", seed)
    assert code == 1 and verdict["passed"] is False
    assert statuses(verdict) == {"peephole_step_forward": "pass", "peephole_step_backward": "fail",
                                 "peephole_forward": "pass", "peephole_backward": "fail"}
    step, sequence = functions(verdict)["peephole_step_backward"], functions(verdict)["peephole_backward"]
    assert "dp is wrong (dx, dprev_h, dprev_c, dWx, dWh, db right)" in step["message"]
    assert "dp is wrong (dx, dh0, dWx, dWh, db right)" in sequence["message"]
    assert sequence["message"].startswith("it calls peephole_step_backward (fail): fix that first")
    for function in (step, sequence):
        assert "wrong in gate block o only" in function["message"]
        assert function["consistency"] == {"forward_right": True, "checked": function["consistency"]["checked"],
                                           "mismatched": ["dp"]}
        failing = [case for case in function["cases"] if case["status"] == "fail"]
        assert failing and all(case["wrong"] == ["dp"] for case in failing)
        grid = next(case["error_maps"]["dp"] for case in failing if "error_maps" in case)
        assert [(g["name"], g["start"], g["stop"]) for g in grid["groups"]][0][0] == "i"
        o = next(g for g in grid["groups"] if g["name"] == "o")
        assert max(grid["values"][0][o["start"]:o["stop"]]) > 1e-3
        assert max(grid["values"][0][:o["start"]]) == 0.0  # p_i and p_f are right


def test_a_cell_gradient_not_carried_back_in_time_is_located_in_the_time_steps(tmp_path):
    source = open(RIGHT, encoding="utf-8").read()
    carried = "dh[:, t] + dprev_h, dprev_c, steps[t])"
    assert source.count(carried) == 1
    path = tmp_path / "no_cell_gradient.py"
    path.write_text(source.replace(carried, "dh[:, t] + dprev_h, 0 * dprev_c, steps[t])"), encoding="utf-8")
    code, [verdict] = verdicts(path, "--course", COURSE, "--seed", "0")
    assert code == 1 and {k for k, v in statuses(verdict).items() if v != "pass"} == {"peephole_backward"}
    message = functions(verdict)["peephole_backward"]["message"]
    assert "dx (relative error" in message and "wrong at time steps 0..2 of 0..3 only" in message
    assert "passes T=1" in message


def test_a_course_named_in_a_pyproject_is_found_beside_that_file(tmp_path):
    (tmp_path / "examples").mkdir()
    shutil.copy(os.path.join(ROOT, COURSE), tmp_path / "examples")
    (tmp_path / "pyproject.toml").write_text('[tool.rnncheck]\ncourse = "examples/peephole_course.py"\nseed = 3\n')
    (tmp_path / "alice").mkdir()
    shutil.copy(WRONG, tmp_path / "alice" / "peephole_layers.py")
    code, [verdict] = verdicts("peephole_layers.py", cwd=tmp_path / "alice")
    assert code == 1 and verdict["seed"] == 3 and verdict["course"]["name"] == "peephole"
    assert [name for name, status in statuses(verdict).items() if status == "fail"] == [
        "peephole_step_backward", "peephole_backward"]


@pytest.mark.parametrize("edit, problem", [
    (("COURSE = Course(", "COURSES = Course("), "defines no COURSE = Course(...)"),
    (('Input("prev_c", ("N", "H"))', 'Input("prev_c", ("N", "Hh"))'),
     "raised ValueError: course 'peephole', layer 'peephole_step': input prev_c has the dimension 'Hh'"),
    (('differentiable=("x", "h0",', 'differentiable=("x", "h_0",'),
     "layer 'peephole': differentiable names h_0, not among its inputs (x, h0, Wx, Wh, b, p)"),
    (("import autograd.numpy as anp", "import autograd.numpy as anp\nfrom rnncheck.courses import Kourse"),
     "raised ImportError: cannot import name 'Kourse'"),
])
def test_a_course_file_with_a_mistake_is_a_usage_error_naming_it(tmp_path, edit, problem):
    source = open(os.path.join(ROOT, COURSE), encoding="utf-8").read()
    assert source.count(edit[0]) == 1
    course = tmp_path / "course.py"
    course.write_text(source.replace(*edit), encoding="utf-8")
    done = run_cli(RIGHT, "--course", course, "--seed", "0")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("rnncheck: error: course: ")
    assert problem in done.stderr


def test_the_pytest_plugin_checks_a_file_against_a_course_file(pytester):
    result = pytester.runpytest("-p", "rnncheck.front.pytest_plugin", "--rnncheck", WRONG,
                                "--rnncheck-course", os.path.join(ROOT, COURSE), "--rnncheck-seed", "2")
    result.assert_outcomes(passed=2, failed=2)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*FAIL: peephole_step_backward *dp is wrong*wrong in gate block o only*"])
    failed = {report.nodeid.rsplit("::", 1)[-1] for report in result.reprec.getreports("pytest_runtest_logreport")
              if report.failed}
    assert failed == {"peephole_step_backward", "peephole_backward"}


def test_the_readme_shows_the_real_output_of_the_wrong_example():
    command = "rnncheck examples/peephole_layers_wrong.py --course examples/peephole_course.py --seed 1"
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    shown = readme.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    done = run_cli(*command.split()[1:])
    assert done.returncode == 1 and done.stdout == shown


def test_the_gradebook_has_a_column_per_function_of_the_course_file(tmp_path):
    def table(done):
        """The CSV's cells up to max_score (columns added later, such as mistakes, may follow)."""
        rows = list(csv.reader(done.stdout.splitlines()))
        return [row[:rows[0].index("max_score") + 1] for row in rows]

    for path in (RIGHT, WRONG):
        shutil.copy(path, tmp_path)
    done = run_cli(tmp_path, "--course", COURSE, "--seed", "0", "--format", "csv")
    assert done.returncode == 1
    assert table(done) == [
        ["submission", *FUNCTIONS, "passed", "score", "max_score"],
        [str(tmp_path / "peephole_layers.py"), "pass", "pass", "pass", "pass", "true", "4", "4"],
        [str(tmp_path / "peephole_layers_wrong.py"), "pass", "fail", "pass", "fail", "false", "2", "4"]]
    done = run_cli(WRONG, "--course", COURSE, "--functions", "peephole_step_*", "--seed", "0", "--format", "csv")
    assert table(done) == [["submission", "peephole_step_forward", "peephole_step_backward", "passed", "score",
                            "max_score"], [WRONG, "pass", "fail", "false", "1", "2"]]


def test_the_pytest_plugin_fails_every_function_of_the_course_file_for_an_unreadable_submission(pytester):
    unreadable = pytester.path / "upload.py"
    unreadable.write_bytes(b"\x00\x01 not python")
    result = pytester.runpytest("-p", "rnncheck.front.pytest_plugin", "--rnncheck", str(unreadable),
                                "--rnncheck-course", os.path.join(ROOT, COURSE))
    result.assert_outcomes(failed=4)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*ERROR: peephole_step_forward *not checked*"])

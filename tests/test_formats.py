"""Gradescope and PrairieLearn results.json: valid for every submission, however broken.

The fields checked are those the platforms document: Gradescope's
autograder specification (top-level ``score``, ``execution_time``,
``output``, ``visibility``, ``tests`` with ``name``, ``score``,
``max_score``, ``status`` passed/failed, ``output``, ``visibility``) and
PrairieLearn's external-grading results (``gradable``, ``score`` in 0..1,
``message``, ``output``, ``tests`` with ``name``, ``points``,
``max_points``, ``message``, ``output``; ``format_errors`` when not
gradable).  A file that cannot be checked is still a result in these
formats, never a usage error.
"""
import json
import os

import pytest
from conftest import BASE, ROOT, SUBMISSIONS, expectations, patched, run_cli

from rnncheck.courses.cs231n import REQUIRED

WRONG = os.path.join(SUBMISSIONS, "wrong", "rnn_step_backward_db_mean.py")
HOSTILE = os.path.join(ROOT, "tests", "hostile")
VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")
GRADESCOPE_KEYS = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                   "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
PRAIRIELEARN_KEYS = {"gradable", "score", "message", "output", "images", "tests", "format_errors"}
LIMITS = ("--timeout", "2", "--load-timeout", "3", "--seed", "3")


def results(path, platform, *args):
    done = run_cli(path, "--format", platform, *LIMITS, *args)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def assert_valid_gradescope(found):
    assert set(found) <= GRADESCOPE_KEYS
    assert isinstance(found["execution_time"], int) and found["execution_time"] >= 0
    assert isinstance(found["output"], str) and found["visibility"] in VISIBILITY
    for test in found["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert isinstance(test["name"], str) and isinstance(test["output"], str) and test["output"]
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITY
        assert (test["status"] == "passed") is (test["score"] == test["max_score"] and test["output"][:5] == "PASS:")
    assert found["score"] == sum(t["score"] for t in found["tests"])


def assert_valid_prairielearn(found):
    assert set(found) <= PRAIRIELEARN_KEYS
    assert isinstance(found["gradable"], bool) and 0 <= found["score"] <= 1
    assert isinstance(found["message"], str) and isinstance(found["output"], str)
    for test in found["tests"]:
        assert {"name", "points", "max_points", "message", "output"} <= set(test)
        assert 0 <= test["points"] <= test["max_points"]
    most = sum(t["max_points"] for t in found["tests"])
    assert found["score"] == pytest.approx(sum(t["points"] for t in found["tests"]) / most)
    if not found["gradable"]:
        assert found["format_errors"] and found["score"] == 0


def failed(found):
    return {t["name"] for t in found["tests"] if t.get("status", "passed") == "failed"
            or t.get("points", 1) < t.get("max_points", 0)}


def test_a_correct_file_earns_every_point():
    code, found = results(BASE, "gradescope")
    assert_valid_gradescope(found)
    assert code == 0 and found["score"] == len(REQUIRED) == sum(t["max_score"] for t in found["tests"])
    optional = {t["name"]: t["max_score"] for t in found["tests"] if t["name"].startswith("gru_")}
    assert optional == dict.fromkeys(["gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward"], 0)
    code, found = results(BASE, "prairielearn")
    assert_valid_prairielearn(found)
    assert found["gradable"] and found["score"] == 1.0 and failed(found) == set()


def test_a_wrong_file_loses_exactly_its_wrong_functions(tmp_path):
    path = patched(WRONG, str(tmp_path))
    wrong = set(expectations(WRONG))
    code, found = results(path, "gradescope")
    assert_valid_gradescope(found)
    assert code == 1 and failed(found) == wrong and found["score"] == len(REQUIRED) - len(wrong)
    output = next(t["output"] for t in found["tests"] if t["name"] == "rnn_step_backward")
    assert output.startswith("FAIL: rnn_step_backward this matches a known mistake: averaged db")
    assert "db is wrong" in output and "averaged where it should be summed" in output
    code, found = results(path, "prairielearn")
    assert_valid_prairielearn(found)
    assert found["gradable"] and failed(found) == wrong
    assert found["score"] == pytest.approx((len(REQUIRED) - len(wrong)) / len(REQUIRED))
    assert "not passing: rnn_step_backward, rnn_backward" in found["message"]


def unreadable(tmp_path, kind):
    if kind == "missing":
        return str(tmp_path / "rnn_layers.py")
    path = tmp_path / ("rnn_layers.ipynb" if kind == "notebook not UTF-8" else "rnn_layers.py")
    path.write_bytes({"notebook not UTF-8": b'{"cells": [], "metadata": {"title": "caf\xe9"}}',
                      "binary": b"\x7fELF\x00\x01" * 50, "empty": b""}[kind])
    return str(path)


@pytest.mark.parametrize("kind", ["missing", "notebook not UTF-8", "binary", "empty"])
def test_an_unreadable_file_is_a_zero_result_not_a_usage_error(tmp_path, kind):
    path = unreadable(tmp_path, kind)
    code, found = results(path, "gradescope")
    assert_valid_gradescope(found)
    assert code == 1 and found["score"] == 0 and failed(found) == set(REQUIRED)
    assert "could not be checked" in found["output"]
    code, found = results(path, "prairielearn")
    assert_valid_prairielearn(found)
    assert found["gradable"] is False and found["score"] == 0
    assert os.path.basename(path) in found["format_errors"][0]


def hostile(name, tmp_path):
    return patched(os.path.join(HOSTILE, name), str(tmp_path))


@pytest.mark.parametrize("name, broken", [
    ("segfault.py", {"temporal_affine_forward", "temporal_affine_backward"}),
    ("os_exit_zero.py", {"temporal_affine_backward"}),
    ("infinite_loop.py", {"temporal_affine_forward", "temporal_affine_backward"}),
], ids=["kills its worker", "exits", "hangs"])
def test_code_that_crashes_exits_or_hangs_costs_only_its_functions(tmp_path, name, broken):
    path = hostile(name, tmp_path)
    code, found = results(path, "gradescope")
    assert_valid_gradescope(found)
    assert failed(found) == broken and found["score"] == len(REQUIRED) - len(broken)
    code, found = results(path, "prairielearn")
    assert_valid_prairielearn(found)
    assert found["gradable"] and failed(found) == broken


def test_a_file_that_kills_its_worker_at_every_load_scores_zero_and_stays_valid(tmp_path):
    path = tmp_path / "killer.py"
    path.write_text("import os\nos._exit(3)\n\ndef sigmoid(x):\n    return x\n")
    code, found = results(str(path), "gradescope")
    assert_valid_gradescope(found)
    assert code == 1 and found["score"] == 0
    code, found = results(str(path), "prairielearn")
    assert_valid_prairielearn(found)
    assert found["gradable"] and found["score"] == 0


def test_prose_that_is_not_python_is_graded_zero(tmp_path):
    path = tmp_path / "essay.py"
    path.write_text("My LSTM backward pass works like this: first I take the gradient.\n")
    code, found = results(str(path), "gradescope")
    assert_valid_gradescope(found)
    assert found["score"] == 0


def test_autograder_formats_take_exactly_one_submission(tmp_path):
    done = run_cli(BASE, BASE, "--format", "gradescope")
    assert done.returncode == 2 and "one submission" in done.stderr and done.stdout == ""


def test_a_folder_with_one_submission_is_that_submission(tmp_path):
    (tmp_path / "solution.py").write_text(open(BASE).read())
    code, found = results(str(tmp_path), "gradescope")
    assert code == 0 and found["score"] == len(REQUIRED)


def test_weights_from_the_configuration_set_the_points(tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.rnncheck.weights]\nrnn_step_backward = 4\nrnn_backward = 0.5\n")
    code, found = results(patched(WRONG, str(tmp_path)), "gradescope", "--config", str(config))
    points = {t["name"]: (t["score"], t["max_score"]) for t in found["tests"]}
    assert points["rnn_step_backward"] == (0, 4) and points["rnn_backward"] == (0, 0.5)
    assert points["sigmoid"] == (1, 1) and found["score"] == len(REQUIRED) - 2
    code, found = results(patched(WRONG, str(tmp_path)), "prairielearn", "--config", str(config))
    assert found["score"] == pytest.approx((len(REQUIRED) - 2) / (len(REQUIRED) - 2 + 4.5))

"""Numerical gradients are named: a backward that differentiates a forward numerically is not a derivation.

``submissions/numeric/`` holds backwards computed from the submission's own
forwards in different ways (central differences, one-sided differences,
complex steps, differences of a private copy of the forward's arithmetic),
each a patch over the base solution whose ``# numeric:`` line names every
backward that must be named.  The evidence and its thresholds live in
``rnncheck.judge.numeric``; ``benchmarks/numeric_gradients.py`` measures
them over 30 seeds.
"""
import glob
import json
import os

import numpy as np
import pytest
from conftest import SUBMISSIONS, header, patched, run_cli, statuses, verdicts

from rnncheck.judge import numeric
from rnncheck.judge.compare import Judgement
from rnncheck.courses.cs231n import layer_of
from rnncheck.worker.calls import Counted

NUMERIC = sorted(glob.glob(os.path.join(SUBMISSIONS, "numeric", "*.py")))
CORRECT = sorted(glob.glob(os.path.join(SUBMISSIONS, "correct", "*.*")))
FLOAT32 = os.path.join(SUBMISSIONS, "wrong", "lstm_backward_float32.py")
SEEDS = (3, 11)
SAID = "this looks like a numerical gradient"


def named(patch):
    return set(header(patch, "numeric")[0].split())


def warned(verdict):
    return {f["name"] for f in verdict["functions"] if any(SAID in w for w in f["warnings"])}


def function(verdict, name):
    return next(f for f in verdict["functions"] if f["name"] == name)


# ---------------------------------------------------------------- end to end

@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("patch", NUMERIC, ids=[os.path.basename(p) for p in NUMERIC])
def test_every_numerical_backward_is_named_and_nothing_else(patch, seed, tmp_path):
    _, [verdict] = verdicts(patched(patch, str(tmp_path)), "--seed", seed)
    assert warned(verdict) == named(patch)
    for name in named(patch):
        assert function(verdict, name)["numeric_gradient"]


def test_the_evidence_is_stated_with_its_numbers(tmp_path):
    central = os.path.join(SUBMISSIONS, "numeric", "central_differences.py")
    _, [verdict] = verdicts(patched(central, str(tmp_path)), "--seed", 3, "--functions", "rnn_step_*")
    step = function(verdict, "rnn_step_backward")
    seen = step["numeric_gradient"]
    assert step["status"] == "pass" and 1e-12 < seen["error"] < 1e-7 and seen["error"] == step["error"]
    assert seen["forwards"] == ["rnn_step_forward"] and seen["values"] == 15 + 18 + 30 + 36 + 6
    assert seen["calls"] == 2 * seen["values"]  # two forwards per value: central differences
    [warning] = step["warnings"]
    assert warning == (f"agrees with the reference only to {seen['error']:.1g}, while an analytic float64 "
                       f"backward agrees to ~1e-15; one backward call ran rnn_step_forward 210 times for 105 "
                       f"input values (a derivation needs a few forward calls per time step at most): {SAID} "
                       "(differences of a forward), not a derived backward")


def test_complex_steps_are_exact_and_named_by_their_calls_alone(tmp_path):
    complex_step = os.path.join(SUBMISSIONS, "numeric", "complex_step.py")
    _, [verdict] = verdicts(patched(complex_step, str(tmp_path)), "--seed", 3, "--functions", "rnn_step_*")
    step = function(verdict, "rnn_step_backward")
    assert step["status"] == "pass" and step["error"] < 1e-14
    assert set(step["numeric_gradient"]) == {"calls", "values", "forwards"}
    assert step["numeric_gradient"]["calls"] == step["numeric_gradient"]["values"] == 105


def test_a_private_copy_of_the_forward_is_named_by_its_accuracy_alone(tmp_path):
    inline = os.path.join(SUBMISSIONS, "numeric", "inline_forward.py")
    _, [verdict] = verdicts(patched(inline, str(tmp_path)), "--seed", 3, "--functions", "rnn_step_*")
    step = function(verdict, "rnn_step_backward")
    assert set(step["numeric_gradient"]) == {"error"} and step["numeric_gradient"]["error"] > 1e-11
    assert step["warnings"][0].endswith(f"{SAID} (differences of a forward), not a derived backward, "
                                        "or arithmetic in a lower precision")


@pytest.mark.slow
def test_strict_fails_every_numerical_backward_and_only_those(tmp_path):
    paths = [patched(p, str(tmp_path)) for p in NUMERIC]
    code, found = verdicts(*paths, "--seed", 3, "--strict")
    assert code == 1
    for patch, verdict in zip(NUMERIC, found):
        assert {n for n, s in statuses(verdict).items() if s != "pass"} == named(patch), patch
        for name in named(patch):  # failed for being numerical, or for its values (then still warned)
            strict = "not derived: " in function(verdict, name)["message"]
            assert strict != (name in warned(verdict))


def test_strict_can_be_asked_for_by_the_course(tmp_path):
    central = os.path.join(SUBMISSIONS, "numeric", "central_differences.py")
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.rnncheck]\nstrict = true\n")
    code, [verdict] = verdicts(patched(central, str(tmp_path)), "--seed", 3, "--functions", "rnn_step_*",
                               "--config", config)
    step = function(verdict, "rnn_step_backward")
    assert code == 1 and step["status"] == "fail" and step["message"].startswith("not derived: agrees with")
    assert "(strict: a numerical gradient fails); all 4 cases match" in step["message"]
    assert statuses(verdict) == {"rnn_step_forward": "pass", "rnn_step_backward": "fail"}


def test_the_warning_reaches_the_text_report_and_gradescope(tmp_path):
    central = patched(os.path.join(SUBMISSIONS, "numeric", "central_differences.py"), str(tmp_path))
    text = run_cli(central, "--seed", 3, "--functions", "rnn_step_backward,rnn_step_forward").stdout
    assert text.count(SAID) == 1 and "warning: agrees with the reference only to" in text
    done = run_cli(central, "--seed", 3, "--functions", "rnn_step_*", "--format", "gradescope")
    tests = {t["name"]: t for t in json.loads(done.stdout)["tests"]}
    assert tests["rnn_step_backward"]["status"] == "passed"
    assert SAID in tests["rnn_step_backward"]["output"] and SAID not in tests["rnn_step_forward"]["output"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_no_correct_solution_is_named_even_when_strict(seed):
    code, found = verdicts(*CORRECT, "--seed", seed, "--strict")
    assert [f["name"] for v in found for f in v["functions"] if "numeric_gradient" in f] == []
    assert code == 0 and all(v["passed"] for v in found) and len(found) == len(CORRECT)


def test_a_float32_backward_keeps_its_own_warning_only(tmp_path):
    code, [verdict] = verdicts(patched(FLOAT32, str(tmp_path)), "--seed", 3, "--strict", "--functions", "lstm_*")
    backward = function(verdict, "lstm_backward")
    assert code == 0 and backward["status"] == "pass" and "numeric_gradient" not in backward
    assert any("judged with float32 tolerance" in w for w in backward["warnings"])


# ---------------------------------------------------------------- the judgement, unit by unit

LAYER = layer_of("rnn_step_backward")


def evidence(error=1e-15, calls=None, values=105):
    return {"error": error, "calls": calls or {}, "values": values}


def verdict(status="pass"):
    return {"name": "rnn_step_backward", "status": status, "message": "all 4 cases match", "warnings": []}


def test_accuracy_names_a_passing_backward_beyond_the_threshold_only():
    assert "numeric_gradient" not in numeric.judge(verdict(), [evidence(4e-15), evidence(numeric.ACCURACY)])
    assert numeric.judge(verdict(), [evidence(1e-15), evidence(2e-13)])["numeric_gradient"] == {"error": 2e-13}
    assert "numeric_gradient" not in numeric.judge(verdict("fail"), [evidence(3e-7)])


def test_calls_name_a_backward_only_when_every_case_ran_a_forward_per_two_values():
    many = evidence(calls={"rnn_step_forward": 60}, values=105)
    few = evidence(calls={"rnn_step_forward": 52}, values=105)
    assert numeric.judge(verdict(), [many, many])["numeric_gradient"] == {
        "calls": 60, "values": 105, "forwards": ["rnn_step_forward"]}
    assert "numeric_gradient" not in numeric.judge(verdict(), [many, few])
    assert "numeric_gradient" in numeric.judge(verdict("fail"), [many, None, many])  # a failing one too


def test_strict_turns_a_pass_into_a_fail_and_leaves_a_fail_as_it_is():
    strict = numeric.judge(verdict(), [evidence(3e-10)], strict=True)
    assert strict["status"] == "fail" and strict["warnings"] == []
    assert strict["message"].startswith("not derived: agrees with the reference only to 3e-10")
    failing = numeric.judge(verdict("fail"), [evidence(calls={"rnn_step_forward": 210})], strict=True)
    assert failing["status"] == "fail" and failing["message"] == "all 4 cases match"
    assert SAID in failing["warnings"][0]


def test_case_evidence_reads_float64_gradients_and_counts_the_values_differentiated():
    reference = type("Expected", (), {"inputs": [np.zeros((3, 5)), np.zeros((3, 6)), np.zeros((5, 6)),
                                                 np.zeros((6, 6)), np.zeros(6)]})
    header = {"outputs": [{"kind": "array", "index": 0}, {"kind": "array", "index": 1}, {"kind": "none"}],
              "forward_calls": {"rnn_step_forward": 7}}
    values = [np.zeros(2, np.float32), np.zeros(2)]
    judgements = [Judgement("dx", True, 1e-5), Judgement("dprev_h", True, 3e-16), Judgement("dWx", False)]
    assert numeric.case_evidence(LAYER, header, values, judgements, reference) == {
        "error": 3e-16, "calls": {"rnn_step_forward": 7}, "values": 105}


# ---------------------------------------------------------------- counting in the worker

def test_calls_are_counted_however_the_forward_is_reached_and_the_profiler_is_put_back():
    namespace = {}
    exec("def forward(x):\n    return x + 1\n"
         "alias = forward\n"
         "def backward(n):\n    return [alias(i) for i in range(n)] + [(lambda y: forward(y))(0)]\n",
         namespace)
    with Counted(namespace, ["forward", "missing", "backward"]) as counted:
        namespace["backward"](4)
    assert counted.counts == {"forward": 5, "backward": 1}
    import sys
    assert sys.getprofile() is None


def test_only_plain_functions_are_watched():
    class Sneaky:
        def __getattr__(self, name):
            raise AssertionError("read")
    with Counted({"forward": Sneaky(), "other": len}, ["forward", "other"]) as counted:
        pass
    assert counted.codes == {} and counted.counts == {}

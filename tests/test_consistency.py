"""Self-consistency: a failing backward is differentiated against the candidate's own forward.

The verdict tells "your backward is right for your forward, but the forward
is wrong" from "your forward is right; your backward does not match it".
"""
import os

import numpy as np
import pytest
from conftest import SUBMISSIONS, patched, verdicts

from rnncheck import manual
from rnncheck.oracle.cases import cases_for, make_inputs, make_upstream
from rnncheck.courses.cs231n import layer_of
from rnncheck.judge.consistency import check, sentence
from rnncheck.judge.recognise import Trial

RNN_STEP = layer_of("rnn_step_backward")
SOFTMAX = layer_of("temporal_softmax_loss")

# rnn_step_forward adds the bias twice; a backward that follows it gives db twice too.
DOUBLE_BIAS_FORWARD = '''
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x.dot(Wx) + prev_h.dot(Wh) + 2 * b)
    return next_h, (x, prev_h, Wx, Wh, next_h)
'''
CONSISTENT_BACKWARD = '''
def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da.dot(Wx.T), da.dot(Wh.T), x.T.dot(da), prev_h.T.dot(da), 2 * da.sum(axis=0)
'''
SOFTMAX_TIMES_TWO = '''
_right_softmax_loss = temporal_softmax_loss


def temporal_softmax_loss(x, y, mask, verbose=False):
    loss, dx = _right_softmax_loss(x, y, mask)
    return {loss}, {dx}
'''
PATCHES = {
    "forward_wrong_backward_consistent.py": DOUBLE_BIAS_FORWARD + CONSISTENT_BACKWARD,
    "forward_wrong_backward_not.py": DOUBLE_BIAS_FORWARD,
    "loss_and_dx_doubled.py": SOFTMAX_TIMES_TWO.format(loss="2 * loss", dx="2 * dx"),
    "dx_doubled.py": SOFTMAX_TIMES_TWO.format(loss="loss", dx="2 * dx"),
    "forward_transposed.py": DOUBLE_BIAS_FORWARD.replace("return next_h,", "return next_h.T,") + CONSISTENT_BACKWARD,
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Verdicts on the patched submissions and on a corpus bug, checked in one run: {file: {function: result}}."""
    folder, patches = tmp_path_factory.mktemp("submissions"), tmp_path_factory.mktemp("patches")
    for name, text in PATCHES.items():
        (patches / name).write_text(text, encoding="utf-8")
        patched(str(patches / name), str(folder))
    patched(os.path.join(SUBMISSIONS, "wrong", "lstm_step_backward_g_sign_flipped.py"), str(folder))
    _, found = verdicts(*sorted(str(p) for p in folder.glob("*.py")), "--seed", 2,
                        "--functions", "rnn_step_*,lstm_step_*,temporal_softmax_loss")
    return {os.path.basename(v["candidate"]): {f["name"]: f for f in v["functions"]} for v in found}


def test_a_backward_that_follows_a_wrong_forward_is_told_to_fix_the_forward(checked):
    backward = checked["forward_wrong_backward_consistent.py"]["rnn_step_backward"]
    assert backward["status"] == "fail"
    assert backward["message"].startswith("your backward is right for your forward, but the forward "
                                          "(rnn_step_forward) is wrong: fix it first; "
                                          "dx, dprev_h, dWx, dWh, db are wrong")
    assert backward["consistency"] == {"forward_right": False, "checked": ["dx", "dprev_h", "dWx", "dWh", "db"],
                                       "mismatched": []}


def test_a_wrong_forward_and_a_backward_that_does_not_follow_it_are_both_named(checked):
    backward = checked["forward_wrong_backward_not.py"]["rnn_step_backward"]
    assert backward["message"].startswith("the forward (rnn_step_forward) is wrong, and your backward does not "
                                          "match it either (db differs from finite differences of your forward)")
    assert backward["consistency"]["mismatched"] == ["db"]


def test_a_right_forward_with_a_backward_that_does_not_match_it(checked):
    backward = checked["lstm_step_backward_g_sign_flipped.py"]["lstm_step_backward"]
    assert checked["lstm_step_backward_g_sign_flipped.py"]["lstm_step_forward"]["status"] == "pass"
    assert backward["message"].startswith("your forward is right; your backward does not match it "
                                          "(dx, dprev_h, dWx, dWh, db differ from finite differences")
    assert "wrong in gate block g only" in backward["message"]  # the details still follow
    assert "mistake" not in backward  # a hand-made bug outside the catalogue


def test_the_loss_and_its_own_gradient_are_checked_against_each_other(checked):
    both = checked["loss_and_dx_doubled.py"]["temporal_softmax_loss"]
    assert both["message"].startswith("your dx is right for your loss, but the loss is wrong; ")
    assert both["consistency"] == {"forward_right": False, "checked": ["dx"], "mismatched": []}
    gradient = checked["dx_doubled.py"]["temporal_softmax_loss"]
    assert gradient["message"].startswith("your loss is right; your dx does not match it; dx is wrong (loss right)")


def test_a_forward_that_cannot_be_differentiated_leaves_the_verdict_as_it_was(checked):
    backward = checked["forward_transposed.py"]["rnn_step_backward"]
    assert backward["status"] == "fail" and "consistency" not in backward
    assert backward["message"].startswith("its forward rnn_step_forward is wrong too: fix that first; "
                                          "dx, dprev_h, dWx, dWh, db are wrong")


def test_passing_functions_are_not_differentiated(checked):
    functions = checked["dx_doubled.py"]
    assert functions["rnn_step_backward"]["status"] == "pass" and "consistency" not in functions["rnn_step_backward"]


@pytest.mark.parametrize("found, forward_status, phrase", [
    ({"forward_right": True, "mismatched": ["db"]}, "pass",
     "your forward is right; your backward does not match it (db differs from finite differences of your forward)"),
    ({"forward_right": True, "mismatched": []}, "fail",  # right on this case, wrong on another
     "your backward is right for your forward, but the forward (rnn_step_forward) is wrong: fix it first"),
    ({"forward_right": False, "mismatched": ["dx", "db"]}, None,
     "the forward (rnn_step_forward) is wrong, and your backward does not match it either "
     "(dx, db differ from finite differences of your forward)"),
    ({"forward_right": True, "mismatched": []}, "pass", ""),
    (None, "pass", ""),
])
def test_what_consistency_says(found, forward_status, phrase):
    assert sentence(found, RNN_STEP, "rnn_step_backward", forward_status) == phrase


def test_what_consistency_says_about_a_loss():
    assert sentence({"forward_right": False, "mismatched": ["dx"]}, SOFTMAX, "temporal_softmax_loss") == \
        "the loss is wrong, and your dx does not match it either"


class ForwardOnly:
    """A stand-in for the sandbox that answers ``call`` requests with ``forward`` (trusted code).

    Counts the messages (``stream`` calls) and the answers read from them.
    """

    def __init__(self, forward):
        self.forward, self.messages, self.read = forward, 0, 0

    def stream(self, requests):
        self.messages += 1
        for header, arrays, _ in requests:
            assert header["op"] == "call"
            self.read += 1
            outputs = self.forward(*[np.array(a) for a in arrays])[:-1]
            yield ({"ok": True, "outputs": [{"kind": "array", "index": k} for k in range(len(outputs))]},
                   [np.asarray(o, dtype=np.float64) for o in outputs])


def rnn_step_trial(backward=manual.rnn_step_backward):
    inputs = make_inputs(RNN_STEP, cases_for(RNN_STEP)[0], np.random.default_rng(0))
    next_h, cache = manual.rnn_step_forward(*inputs)
    upstream = make_upstream([next_h], np.random.default_rng(1))
    return Trial(inputs, upstream, list(backward(*upstream, cache)), [], failed=True, outputs=[next_h])


def test_the_forward_runs_once_on_the_case_and_twice_per_differentiable_input():
    sandbox = ForwardOnly(manual.rnn_step_forward)
    found = check(sandbox, RNN_STEP, "rnn_step_backward", rnn_step_trial(), seed=0)
    assert found == {"forward_right": True, "checked": ["dx", "dprev_h", "dWx", "dWh", "db"], "mismatched": []}
    assert (sandbox.messages, sandbox.read) == (1, 1 + 2 * 5)  # all in one message


def test_a_gradient_of_the_wrong_shape_is_a_mismatch_without_running_the_forward_for_it():
    def transposed_dWx(*args):
        dx, dprev_h, dWx, dWh, db = manual.rnn_step_backward(*args)
        return dx, dprev_h, dWx.T, 3 * dWh, db
    sandbox = ForwardOnly(manual.rnn_step_forward)
    found = check(sandbox, RNN_STEP, "rnn_step_backward", rnn_step_trial(transposed_dWx), seed=0)
    assert found == {"forward_right": True, "checked": ["dx", "dprev_h", "dWx", "dWh", "db"],
                     "mismatched": ["dWx", "dWh"]}
    assert sandbox.read == 1 + 2 * 4


def test_no_forward_is_read_after_one_that_cannot_be_differentiated():
    calls = []

    def forward_that_changes_shape(*inputs):  # right on the case, transposed once perturbed
        calls.append(len(calls))
        next_h, cache = manual.rnn_step_forward(*inputs)
        return (next_h if len(calls) == 1 else next_h.T), cache
    sandbox = ForwardOnly(forward_that_changes_shape)
    assert check(sandbox, RNN_STEP, "rnn_step_backward", rnn_step_trial(), seed=0) is None
    assert sandbox.read == 2
